import { describe, expect, it } from 'vitest';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import {
  checkboxesValue,
  radioValue,
  selectValue,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => {
  h = x;
  h.fake.addUser({ id: 'U0ALICE', tz: 'Europe/Berlin', real_name: 'Alice Example' });
  h.fake.addUser({ id: 'U0MENTOR', tz: 'America/New_York', real_name: 'Morgan Mentor' });
});

const growth = (text: string, user = 'U0ALICE') => h.send(slashCommand({ command: '/growth', text, user_id: user }));
const checkin = (text: string, user = 'U0ALICE') => h.send(slashCommand({ command: '/checkin', text, user_id: user }));
const replyText = (r: { json?: unknown }) => (r.json as { text?: string } | undefined)?.text ?? '';
const count = async (table: 'members' | 'checkins' | 'mentorships') =>
  Number(
    (
      await h.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('request signatures', () => {
  it('refuses unsigned, wrongly signed and stale requests with 401 and stores nothing', async () => {
    const req = slashCommand({ command: '/growth', text: 'join junior', user_id: 'U0ALICE' });
    expect((await h.send(req, { signature: null })).status).toBe(401);
    expect((await h.send(req, { signature: 'v0=' + '0'.repeat(64) })).status).toBe(401);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect((await h.send(req, { timestamp: tenMinutesAgo })).status).toBe(401);
    expect(await count('members')).toBe(0);
    // The same request, signed properly, is accepted: the 401s were about the signature.
    expect((await h.send(req)).status).toBe(200);
    expect(await count('members')).toBe(1);
  });
});

describe('/growth', () => {
  it('joins a member with their Slack timezone and shows it back', async () => {
    const r = await growth('join junior');
    expect(r.status).toBe(200);
    expect(replyText(r)).toContain('junior');
    expect(replyText(r)).toContain('Europe/Berlin');
    const m = await h.deps.db.selectFrom('members').selectAll().executeTakeFirstOrThrow();
    expect(m).toMatchObject({
      team_id: 'T0TEST',
      user_id: 'U0ALICE',
      level: 'junior',
      tz: 'Europe/Berlin',
      display_name: 'Alice Example',
      status: 'active',
    });
    expect(h.fake.callsTo('users.info').map((c) => c.args.user)).toEqual(['U0ALICE']);
    expect(replyText(await growth('me'))).toMatch(/Level: \*junior\*[\s\S]*Europe\/Berlin[\s\S]*Monday 10:00/);
  });

  it('answers an unknown level with the valid ones, and an unknown subcommand with one sentence and where help is', async () => {
    const bad = replyText(await growth('join wizard'));
    expect(bad).toContain('`wizard` is not a level');
    for (const l of ['junior', 'mid', 'senior', 'staff']) expect(bad).toContain(l);
    expect(await count('members')).toBe(0);
    const unknown = replyText(await growth('frobnicate'));
    expect(unknown).toBe("I don't know `frobnicate`. `/growth help` lists every command.");
    const help = replyText(await growth('help'));
    expect(help).toContain('/growth join');
    expect(help).toContain('/checkin');
  });

  it('tells someone who has not joined how to join', async () => {
    for (const text of ['me', 'level mid', 'mentor <@U0MENTOR|morgan>']) {
      expect(replyText(await growth(text))).toContain('/growth join');
    }
    expect(await count('members')).toBe(0);
  });

  it('changes level, and names a mentor who is told by DM; a new mentor keeps the history', async () => {
    await growth('join junior');
    expect(replyText(await growth('level mid'))).toContain('now *mid*');
    const r = await growth('mentor <@U0MENTOR|morgan>');
    expect(replyText(r)).toContain('<@U0MENTOR> is now your mentor');
    const dm = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0MENTOR');
    expect(dm?.args.text).toContain('<@U0ALICE> named you as their mentor');
    // The mentor is known (timezone read) but is not a member and gets no prompts.
    const mentor = await h.deps.db
      .selectFrom('members')
      .selectAll()
      .where('user_id', '=', 'U0MENTOR')
      .executeTakeFirstOrThrow();
    expect(mentor).toMatchObject({ level: null, joined_at: null, tz: 'America/New_York' });

    h.fake.addUser({ id: 'U0OTHER', tz: 'UTC', real_name: 'Other' });
    expect(replyText(await growth('mentor <@U0OTHER>'))).toContain('instead of <@U0MENTOR>');
    const rows = await h.deps.db.selectFrom('mentorships').selectAll().orderBy('id').execute();
    expect(rows.map((m) => [m.mentor_id, m.ended_at === null])).toEqual([
      ['U0MENTOR', false],
      ['U0OTHER', true],
    ]);
    expect(replyText(await growth('mentor <@U0ALICE>'))).toContain('your own mentor');
  });
});

describe('/checkin', () => {
  it('stores a quick check-in and confirms it; a competency prefix files it there', async () => {
    await growth('join junior');
    const r = await checkin('observability: traced a slow request through three services');
    expect(r.status).toBe(200);
    expect(replyText(r)).toContain('Saved your check-in under *');
    const row = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      user_id: 'U0ALICE',
      competency_id: 'observability',
      text: 'traced a slow request through three services',
      source: 'command',
    });
    // The same words again the same day are not stored twice.
    expect(replyText(await checkin('observability: traced a slow request through three services'))).toContain(
      'already saved',
    );
    expect(await count('checkins')).toBe(1);
  });

  it('stores what the person typed once, not the entities Slack sends it as', async () => {
    await growth('join junior');
    // Slack sends `p99 < 200ms && <b>` typed in /checkin with &, < and > as entities.
    const r = await checkin('p99 &lt; 200ms &amp;&amp; no &lt;b&gt;bold&lt;/b&gt; tricks');
    expect(replyText(r)).toContain('Saved your check-in');
    const row = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(row.text).toBe('p99 < 200ms && no <b>bold</b> tricks');
    const summary = replyText(await growth('summary'));
    expect(summary).toContain('p99 &lt; 200ms &amp;&amp; no &lt;b&gt;bold&lt;/b&gt; tricks');
    expect(summary).not.toContain('&amp;lt;');
  });

  it('refuses a check-in over the limit, saying the limit and the length, and gives the text back', async () => {
    await growth('join junior');
    const long = 'a'.repeat(3001);
    const text = replyText(await checkin(long));
    expect(text).toContain('3001 characters');
    expect(text).toContain('limit is 3000');
    expect(text).toContain(long);
    expect(await count('checkins')).toBe(0);
  });

  it('gives the text back to someone who has not joined', async () => {
    const text = replyText(await checkin('my first ever postmortem'));
    expect(text).toContain('/growth join');
    expect(text).toContain('my first ever postmortem');
  });

  it('stores nothing for someone known only as a mentor, and tells them how to join', async () => {
    await growth('join junior');
    await growth('mentor <@U0MENTOR|morgan>');
    expect(await count('members')).toBe(2); // the mentor has a row, but never joined
    const text = replyText(await checkin('reviewed a runbook', 'U0MENTOR'));
    expect(text).toContain('/growth join');
    expect(text).toContain('reviewed a runbook');
    expect(await count('checkins')).toBe(0);
  });

  it('opens the modal at once, rejects blank text inline, and stores a full submission', async () => {
    await growth('join mid');
    const r = await checkin('');
    expect(r.status).toBe(200);
    const open = await h.fake.waitFor('views.open');
    expect(open).toHaveLength(1);
    const view = open[0]!.args.view as {
      callback_id: string;
      blocks: { block_id?: string; element?: { options?: { value: string }[] } }[];
    };
    expect(view.callback_id).toBe(IDS.checkinModal);
    const options = view.blocks
      .find((b) => b.block_id === IDS.checkin.competencyBlock)!
      .element!.options!.map((o) => o.value);
    expect(options).toEqual(expect.arrayContaining(['slo-thinking', 'production-debugging', 'writing-clearly']));
    expect(options).not.toContain('observability');

    const c = IDS.checkin;
    const values = (text: string) => ({
      [c.competencyBlock]: { [c.competencyAction]: selectValue('slo-thinking') },
      [c.textBlock]: { [c.textAction]: textValue(text) },
      [c.ratingBlock]: { [c.ratingAction]: radioValue('3') },
      [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([IDS.options.needsHelp]) },
      [c.evidenceBlock]: { [c.evidenceAction]: { type: 'url_text_input', value: 'https://example.com/slo-doc' } },
    });
    const blank = await h.send(
      viewSubmission({
        user: 'U0ALICE',
        callback_id: IDS.checkinModal,
        private_metadata: '{}',
        values: values('   \n '),
      }),
    );
    expect(blank.status).toBe(200);
    expect(blank.json).toMatchObject({ response_action: 'errors', errors: { [c.textBlock]: expect.any(String) } });
    expect(await count('checkins')).toBe(0);

    const ok = await h.send(
      viewSubmission({
        user: 'U0ALICE',
        callback_id: IDS.checkinModal,
        private_metadata: '{}',
        values: values('Wrote our first SLO for the billing API'),
      }),
    );
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const row = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      competency_id: 'slo-thinking',
      rating: 3,
      needs_help: true,
      private: false,
      evidence_url: 'https://example.com/slo-doc',
      source: 'modal',
    });
    expect((await h.fake.waitFor('chat.postMessage')).at(-1)?.args.text).toContain('Saved your check-in');
  });
});

describe('/healthz', () => {
  it('answers 200 when the database answers and migrations are applied', async () => {
    const r = await fetch(`${h.privateUrl}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, database: 'up', migrations: 'applied' });
  });
});
