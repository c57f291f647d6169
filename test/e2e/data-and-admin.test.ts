import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDigests } from '../../src/jobs/digests.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { NOT_ADMIN } from '../../src/slack/admin-command.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { personColumns } from '../support/person-columns.ts';
import { runCli } from '../support/processes.ts';
import { blockAction, slashCommand } from '../support/slack-requests.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ADMIN_USER_IDS: 'U0ADMIN' });
  for (const id of ['U0ANA', 'U0BEN', 'U0MO', 'U0ADMIN', 'U0NEW'])
    h.fake.addUser({ id, tz: 'Europe/Berlin', real_name: id });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.database.truncate();
  h.fake.reset();
  h.setNow(new Date('2026-12-08T10:00:00Z'));
});

const say = async (user: string, text: string, command: '/growth' | '/checkin' = '/growth') => {
  const r = await h.send(slashCommand({ command, text, user_id: user }));
  return r.json as { text: string; blocks?: { type: string; elements?: { action_id: string }[] }[] };
};

async function ana() {
  await say('U0ANA', 'join junior');
  await say('U0ANA', 'mentor <@U0MO>');
  await say('U0BEN', 'join mid');
  await say('U0BEN', 'mentor <@U0MO>');
  await say('U0ANA', 'observability: traced a slow request through three services', '/checkin');
  await say('U0ANA', 'slo-thinking: read our SLO doc and asked two questions', '/checkin');
  await h.deps.db
    .updateTable('checkins')
    .set({ private: true, rating: 3, evidence_url: 'https://example.com/slo' })
    .where('competency_id', '=', 'slo-thinking')
    .execute();
}

describe('/growth export', () => {
  it('DMs two files: all stored data as JSON (private check-ins too) and a growth journal', async () => {
    await ana();
    expect((await say('U0ANA', 'export')).text).toContain('two files');
    await h.fake.waitFor('files.completeUploadExternal');
    expect(h.fake.uploads).toHaveLength(2);
    const json = JSON.parse(h.fake.uploads.find((u) => u.filename.endsWith('.json'))!.content.toString('utf8'));
    expect(json).toMatchObject({
      user_id: 'U0ANA',
      team_id: 'T0TEST',
      member: { level: 'junior', tz: 'Europe/Berlin' },
    });
    expect(json.checkins.map((c: { text: string }) => c.text)).toEqual([
      'traced a slow request through three services',
      'read our SLO doc and asked two questions',
    ]);
    expect(json.mentorships).toHaveLength(1);
    const md = h.fake.uploads.find((u) => u.filename.endsWith('.md'))!.content.toString('utf8');
    expect(md).toContain('# Growth journal');
    expect(md).toContain('## Observability');
    expect(md).toContain('## Toward mid');
    expect(md).toMatch(
      /### SLO-driven thinking[\s\S]*1 check-in, best self-rating 3\/4[\s\S]*\(rated 3\/4, just for me\): read our SLO doc[\s\S]*\[evidence\]\(https:\/\/example\.com\/slo\)/,
    );
    const complete = h.fake.callsTo('files.completeUploadExternal')[0]!;
    expect(complete.args.channel_id).toBe('D0ANA');
  });

  it('the CLI exports any member to a file for an admin', async () => {
    await ana();
    const out = join(await mkdtemp(join(tmpdir(), 'export-')), 'ana.json');
    const r = await runCli(h, 'export', '--user', 'U0ANA', '--out', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8')).checkins).toHaveLength(2);
    expect(await readFile(out.replace(/\.json$/, '.md'), 'utf8')).toContain('## Toward mid');
    expect((await runCli(h, 'export', '--user', 'U0NOBODY')).code).toBe(1);
  }, 20_000);
});

describe('/growth forget-me', () => {
  it('asks first, then deletes every row about the person in every table, and the mentor\u2019s digest forgets them', async () => {
    await ana();
    const ask = await say('U0ANA', 'forget-me');
    expect(ask.text).toContain('cannot be undone');
    expect(ask.blocks!.flatMap((b) => b.elements?.map((e) => e.action_id) ?? [])).toEqual([
      IDS.forgetMe.confirm,
      IDS.forgetMe.cancel,
    ]);
    expect((await h.deps.db.selectFrom('checkins').select('id').execute()).length).toBe(2); // asking deletes nothing

    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.forgetMe.confirm, value: 'forget' }));
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => String(c.args.text).startsWith('Done: everything'));
    const columns = await personColumns(h.deps.db);
    expect(columns.map((c) => c.table)).toEqual(
      expect.arrayContaining(['members', 'mentorships', 'nudges', 'checkins', 'deliveries']),
    );
    for (const { table, column } of columns) {
      const r = await sql<{
        n: string;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = 'U0ANA'`.execute(h.deps.db);
      expect(Number(r.rows[0]!.n), `${table}.${column}`).toBe(0);
    }
    // Ben and Mo are untouched; Mo's digest now covers Ben alone.
    expect(
      (await h.deps.db.selectFrom('members').select('user_id').orderBy('user_id').execute()).map((m) => m.user_id),
    ).toEqual(['U0BEN', 'U0MO']);
    await runDigests(h.deps, new Date('2026-12-11T14:05:00Z'));
    const digest = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0MO' && c.args.metadata)!;
    expect(JSON.stringify(digest.args)).not.toContain('U0ANA');
    expect(digest.args.text).toContain('1 mentee');
  });
});

describe('/growth admin', () => {
  it('refuses everyone but admins, and changes nothing for them', async () => {
    await ana();
    for (const text of [
      'admin level <@U0BEN> staff',
      'admin assign <@U0BEN> <@U0ANA>',
      'admin remove <@U0BEN>',
      'admin run digests',
    ]) {
      expect((await say('U0ANA', text)).text).toBe(NOT_ADMIN);
    }
    const ben = await h.deps.db
      .selectFrom('members')
      .selectAll()
      .where('user_id', '=', 'U0BEN')
      .executeTakeFirstOrThrow();
    expect(ben).toMatchObject({ level: 'mid', status: 'active' });
    expect(
      (await h.deps.db.selectFrom('mentorships').select('mentor_id').where('mentee_id', '=', 'U0BEN').execute()).map(
        (m) => m.mentor_id,
      ),
    ).toEqual(['U0MO']);
  });

  it('lets an admin assign, set levels (enrolling newcomers), remove and run a job', async () => {
    await ana();
    expect((await say('U0ADMIN', 'admin assign <@U0BEN> <@U0ANA>')).text).toContain(
      '<@U0ANA> now mentors <@U0BEN> (was <@U0MO>)',
    );
    expect((await say('U0ADMIN', 'admin level <@U0BEN> senior')).text).toContain('now at *senior*');
    expect((await say('U0ADMIN', 'admin level <@U0NEW> junior')).text).toContain('joined at *junior*');
    expect(
      await h.deps.db.selectFrom('members').selectAll().where('user_id', '=', 'U0NEW').executeTakeFirstOrThrow(),
    ).toMatchObject({ level: 'junior', tz: 'Europe/Berlin' });
    expect((await say('U0ADMIN', 'admin remove <@U0BEN>')).text).toContain('is removed');
    expect(
      (await h.deps.db.selectFrom('members').select('status').where('user_id', '=', 'U0BEN').executeTakeFirstOrThrow())
        .status,
    ).toBe('left');
    expect((await say('U0ADMIN', 'admin run nothing')).text).toContain('There is no job');
    expect((await say('U0ADMIN', 'admin run reminders')).text).toContain('Running `reminders`');
    const [ran] = await h.fake.waitFor(
      'chat.postMessage',
      1,
      5_000,
      (c) => c.args.channel === 'U0ADMIN' && String(c.args.text).startsWith('Ran reminders:'),
    );
    // In words, not the report's JSON.
    expect(String(ran!.args.text)).not.toMatch(/[{}"]/);
    expect((await say('U0ADMIN', 'admin frob')).text).toContain('Admin commands');
  });
});

describe('rubric overrides', () => {
  it('a competency removed from the rubrics stays visible under its old name in summaries and exports', async () => {
    await ana();
    const dir = await mkdtemp(join(tmpdir(), 'rubrics-'));
    await cp('rubrics', dir, { recursive: true });
    const junior = await readFile(join(dir, 'junior.yaml'), 'utf8');
    // Rename the id: for the app, the old competency is gone and a new one has arrived (and the
    // trap and on-call prompts filed under it follow it).
    const renamed = junior
      .replace('id: observability\n', 'id: observability-2\n')
      .replaceAll('competency: observability\n', 'competency: observability-2\n');
    await (await import('node:fs/promises')).writeFile(join(dir, 'junior.yaml'), renamed);
    const rubrics = await loadRubrics(dir);
    expect(rubrics.byId.has('observability-2')).toBe(true);
    const deps = { ...h.deps, rubrics };
    const { summaryHandlers } = await import('../../src/slack/summary-command.ts');
    const text = await summaryHandlers.summary(
      { deps, slack: {} as never, teamId: 'T0TEST', userId: 'U0ANA' },
      { kind: 'summary', userId: null },
    );
    expect(text).toContain('*Earlier competencies* (no longer in the rubrics)');
    expect(text).toContain('• Observability');
    const { buildExport } = await import('../../src/slack/export.ts');
    expect((await buildExport(deps, 'T0TEST', 'U0ANA')).markdown).toContain(
      '## Observability literacy (no longer in the rubrics)',
    );
    await rm(dir, { recursive: true, force: true });
  });
});
