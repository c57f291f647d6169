import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { runDigests } from '../../src/jobs/digests.ts';
import { runReminders } from '../../src/jobs/reminders.ts';
import { runRetros } from '../../src/jobs/retros.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';
import { blockAction, checkboxesValue, slashCommand, textValue, viewSubmission } from '../support/slack-requests.ts';

let h: Harness;
/** The jobs run with rubrics that have on-call prompts (the real ones may not yet). */
let jobs: Deps;
beforeAll(async () => {
  h = await startHarness();
  jobs = { ...h.deps, rubrics: rubricFixture };
  h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana' });
  h.fake.addUser({ id: 'U0BEN', tz: 'Europe/Berlin', real_name: 'Ben' });
  h.fake.addUser({ id: 'U0MO', tz: 'Europe/Berlin', real_name: 'Mo' });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.database.truncate();
  h.fake.reset();
});

const growth = async (user: string, text: string) =>
  ((await h.send(slashCommand({ command: '/growth', text, user_id: user }))).json as { text: string }).text;
const dms = (user: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.args.metadata);
const has = (c: { args: Record<string, unknown> }, id: string) => JSON.stringify(c.args.blocks).includes(id);

/** Ana (Berlin) is on call from Wednesday 9 December 09:00 to Wednesday 16 December 09:00, her time. */
async function anaOnCall(
  shifts: { starts: string; ends: string }[] = [{ starts: '2026-12-09T08:00:00Z', ends: '2026-12-16T08:00:00Z' }],
) {
  h.setNow(new Date('2026-11-30T12:00:00Z'));
  await growth('U0ANA', 'join mid');
  await growth('U0BEN', 'join mid');
  const db = h.deps.db;
  const feed = await db
    .insertInto('oncall_feeds')
    .values({
      team_id: 'T0TEST',
      kind: 'member',
      owner_id: 'U0ANA',
      url: 'https://pager.example.com/feed.ics',
      url_masked: 'https://pager.example.com/…',
      created_by: 'U0ANA',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('oncall_shifts')
    .values(
      shifts.map((s, i) => ({
        team_id: 'T0TEST',
        user_id: 'U0ANA',
        feed_id: feed.id,
        uid: `shift-${i}`,
        starts_at: new Date(s.starts),
        ends_at: new Date(s.ends),
      })),
    )
    .execute();
}

describe('an on-call week', () => {
  it('gets the on-call prompt instead of the regular one at the start of the shift, once across re-runs and two instances', async () => {
    await anaOnCall();
    await runWeeklyPrompts(jobs, new Date('2026-12-07T09:05:00Z')); // Monday 10:05 Berlin
    expect(dms('U0BEN')).toHaveLength(1);
    expect(dms('U0ANA')).toHaveLength(0); // on call later this week: no regular prompt
    await runWeeklyPrompts(jobs, new Date('2026-12-09T07:59:00Z'));
    expect(dms('U0ANA')).toHaveLength(0);
    const at = new Date('2026-12-09T08:00:00Z');
    await Promise.all([runWeeklyPrompts(jobs, at), runWeeklyPrompts({ ...jobs }, at)]);
    await runWeeklyPrompts(jobs, new Date('2026-12-10T12:00:00Z'));
    expect(dms('U0ANA')).toHaveLength(1);
    const nudge = await h.deps.db
      .selectFrom('nudges')
      .selectAll()
      .where('user_id', '=', 'U0ANA')
      .executeTakeFirstOrThrow();
    expect(nudge.prompt_id).toMatch(/^oncall-mid-p\d$/);
    expect(nudge.week).toBe('2026-W50');
    expect(dms('U0ANA')[0]!.args.text).toContain('oncall prompt');
  });

  it('sends no reminder during the shift', async () => {
    await anaOnCall();
    await runWeeklyPrompts(jobs, new Date('2026-12-07T09:05:00Z'));
    await runWeeklyPrompts(jobs, new Date('2026-12-09T08:00:00Z'));
    const thursday = new Date('2026-12-10T09:05:00Z');
    await runReminders(jobs, thursday);
    await runReminders(jobs, new Date('2026-12-10T20:00:00Z'));
    expect(dms('U0BEN').filter((c) => String(c.args.text).startsWith('A gentle nudge'))).toHaveLength(1);
    expect(dms('U0ANA').filter((c) => String(c.args.text).startsWith('A gentle nudge'))).toHaveLength(0);
  });

  it('sends the retro after the shift once, and stores its numbers as numbers', async () => {
    await anaOnCall();
    const retros = () => dms('U0ANA').filter((c) => has(c, IDS.retro.open));
    await runRetros(jobs, new Date('2026-12-16T07:59:00Z'));
    expect(retros()).toHaveLength(0);
    const end = new Date('2026-12-16T08:00:00Z'); // 09:00 in Berlin: at once
    await Promise.all([runRetros(jobs, end), runRetros({ ...jobs }, end)]);
    await runRetros(jobs, new Date('2026-12-16T15:00:00Z'));
    await runRetros(jobs, new Date('2026-12-17T15:00:00Z'));
    expect(retros()).toHaveLength(1);

    h.setNow(new Date('2026-12-16T09:00:00Z'));
    const shift = await h.deps.db.selectFrom('oncall_shifts').select('id').executeTakeFirstOrThrow();
    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.retro.open, value: shift.id }));
    const [open] = await h.fake.waitFor('views.open');
    const view = open!.args.view as { private_metadata: string; callback_id: string };
    expect(view.callback_id).toBe(IDS.retroModal);
    const r = IDS.retro;
    const submit = (
      pages: string,
      actionable: string,
      toil: string,
      opts: { private?: boolean; viewId?: string } = {},
    ) =>
      h.send(
        viewSubmission({
          user: 'U0ANA',
          callback_id: IDS.retroModal,
          private_metadata: view.private_metadata,
          view_id: opts.viewId ?? 'V0RETRO',
          values: {
            [r.pagesBlock]: { [r.pagesAction]: { type: 'number_input', value: pages } },
            [r.actionableBlock]: { [r.actionableAction]: { type: 'number_input', value: actionable } },
            [r.toilBlock]: { [r.toilAction]: { type: 'number_input', value: toil } },
            [r.alertBlock]: { [r.alertAction]: textValue('DiskFillingUp on the batch hosts') },
            [r.handoverBlock]: { [r.handoverAction]: textValue('Queue consumer restarts are manual; see runbook') },
            [r.optionsBlock]: { [r.optionsAction]: checkboxesValue(opts.private ? [IDS.options.private] : []) },
          },
        }),
      );
    const refused = await submit('3', '5', '-1');
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { [r.actionableBlock]: 'At most the number of pages (3).', [r.toilBlock]: expect.any(String) },
    });
    expect(await h.deps.db.selectFrom('oncall_retros').select('id').execute()).toHaveLength(0);
    expect((await submit('12', '5', '4')).status).toBe(200);
    const retro = await h.deps.db.selectFrom('oncall_retros').selectAll().executeTakeFirstOrThrow();
    expect(retro).toMatchObject({
      shift_id: shift.id,
      pages: 12,
      actionable: 5,
      toil_hours: 4,
      alert_to_fix: 'DiskFillingUp on the batch hosts',
    });
    const checkin = await h.deps.db
      .selectFrom('checkins')
      .selectAll()
      .where('id', '=', retro.checkin_id)
      .executeTakeFirstOrThrow();
    expect(checkin.text).toContain('12 pages, 5 needed action, 4 h of toil');
    // Filed twice (a second form for the same shift): one retro, one check-in.
    const again = await submit('1', '1', '1', { viewId: 'V0RETRO2' });
    expect(JSON.stringify(again.json)).toContain('already filed');
    expect(await h.deps.db.selectFrom('oncall_retros').select('id').execute()).toHaveLength(1);
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toHaveLength(1);
  });

  it('overlapping or back-to-back shifts are one stretch: one retro after its end, filed once, covering it all', async () => {
    // Daily segments Wed 09:00 – Sat 09:00, and a secondary overlapping the last day until Sat 18:00.
    await anaOnCall([
      { starts: '2026-12-09T08:00:00Z', ends: '2026-12-10T08:00:00Z' },
      { starts: '2026-12-10T08:00:00Z', ends: '2026-12-11T08:00:00Z' },
      { starts: '2026-12-11T08:00:00Z', ends: '2026-12-12T08:00:00Z' },
      { starts: '2026-12-11T12:00:00Z', ends: '2026-12-12T17:00:00Z' },
    ]);
    const retros = () => dms('U0ANA').filter((c) => has(c, IDS.retro.open));
    // Each segment's end passes while the stretch goes on: no retro yet.
    for (const t of ['2026-12-10T09:00:00Z', '2026-12-11T09:00:00Z', '2026-12-12T09:00:00Z'])
      await runRetros(jobs, new Date(t));
    expect(retros()).toHaveLength(0);
    for (const t of ['2026-12-12T17:00:00Z', '2026-12-13T09:00:00Z', '2026-12-14T09:00:00Z'])
      await runRetros(jobs, new Date(t));
    expect(retros()).toHaveLength(1);
    expect(String(retros()[0]!.args.text)).toMatch(/Wed 9 Dec/);
    // Its button names one of the shifts; the form and the retro cover the whole stretch.
    const button = (retros()[0]!.args.blocks as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === IDS.retro.open)!;
    h.setNow(new Date('2026-12-14T09:00:00Z'));
    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.retro.open, value: button.value }));
    const [open] = await h.fake.waitFor('views.open');
    const view = open!.args.view as { private_metadata: string };
    const r = IDS.retro;
    const submit = (viewId: string) =>
      h.send(
        viewSubmission({
          user: 'U0ANA',
          callback_id: IDS.retroModal,
          private_metadata: view.private_metadata,
          view_id: viewId,
          values: {
            [r.pagesBlock]: { [r.pagesAction]: { type: 'number_input', value: '4' } },
            [r.actionableBlock]: { [r.actionableAction]: { type: 'number_input', value: '2' } },
            [r.toilBlock]: { [r.toilAction]: { type: 'number_input', value: '1' } },
            [r.handoverBlock]: { [r.handoverAction]: textValue('Quiet week') },
            [r.optionsBlock]: { [r.optionsAction]: checkboxesValue([]) },
          },
        }),
      );
    expect((await submit('V0STRETCH')).status).toBe(200);
    const filed = await h.deps.db.selectFrom('oncall_retros').select(['shift_starts_at', 'shift_ends_at']).execute();
    expect(filed).toEqual([
      { shift_starts_at: new Date('2026-12-09T08:00:00Z'), shift_ends_at: new Date('2026-12-12T17:00:00Z') },
    ]);
    // Filed from another segment's id, it is the same stretch: kept once.
    const other = await h.deps.db
      .selectFrom('oncall_shifts')
      .select('id')
      .orderBy('starts_at', 'desc')
      .executeTakeFirstOrThrow();
    const again = await h.send(
      viewSubmission({
        user: 'U0ANA',
        callback_id: IDS.retroModal,
        private_metadata: JSON.stringify({ shiftId: other.id }),
        view_id: 'V0STRETCH2',
        values: {
          [r.pagesBlock]: { [r.pagesAction]: { type: 'number_input', value: '9' } },
          [r.actionableBlock]: { [r.actionableAction]: { type: 'number_input', value: '9' } },
          [r.toilBlock]: { [r.toilAction]: { type: 'number_input', value: '9' } },
          [r.handoverBlock]: { [r.handoverAction]: textValue('twice') },
          [r.optionsBlock]: { [r.optionsAction]: checkboxesValue([]) },
        },
      }),
    );
    expect(JSON.stringify(again.json)).toContain('already filed');
    expect(await h.deps.db.selectFrom('oncall_retros').select('pages').execute()).toEqual([{ pages: 4 }]);
  });

  it('a retro form naming someone else\u2019s shift files nothing', async () => {
    await anaOnCall();
    h.setNow(new Date('2026-12-16T09:00:00Z'));
    const shift = await h.deps.db.selectFrom('oncall_shifts').select('id').executeTakeFirstOrThrow();
    const r = IDS.retro;
    const res = await h.send(
      viewSubmission({
        user: 'U0BEN',
        callback_id: IDS.retroModal,
        private_metadata: JSON.stringify({ shiftId: shift.id }),
        view_id: 'V0NOTMINE',
        values: {
          [r.pagesBlock]: { [r.pagesAction]: { type: 'number_input', value: '1' } },
          [r.actionableBlock]: { [r.actionableAction]: { type: 'number_input', value: '1' } },
          [r.toilBlock]: { [r.toilAction]: { type: 'number_input', value: '1' } },
          [r.handoverBlock]: { [r.handoverAction]: textValue('planted handover') },
          [r.optionsBlock]: { [r.optionsAction]: checkboxesValue([]) },
        },
      }),
    );
    expect(JSON.stringify(res.json)).toContain('no longer in your feed');
    expect(await h.deps.db.selectFrom('oncall_retros').select('id').execute()).toEqual([]);
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toEqual([]);
  });

  it('holds a paused member\u2019s retro, and records it as skipped when the pause outlasts it', async () => {
    await anaOnCall();
    h.setNow(new Date('2026-12-15T12:00:00Z'));
    await growth('U0ANA', 'pause 2');
    const r = await runRetros(jobs, new Date('2026-12-16T09:00:00Z'));
    expect(r).toMatchObject({ held: 1, claimed: 0, sent: 0 });
    const late = await runRetros(jobs, new Date('2026-12-20T09:00:00Z'));
    expect(late).toMatchObject({ stale: 1, sent: 0 });
    expect(dms('U0ANA')).toHaveLength(0);
  });
});

describe('the mentor digest', () => {
  /** Four earlier shifts with retros (the latest just for Ana), and this week's shift. */
  async function history() {
    await anaOnCall([
      { starts: '2026-11-04T08:00:00Z', ends: '2026-11-11T08:00:00Z' },
      { starts: '2026-11-11T08:00:00Z', ends: '2026-11-18T08:00:00Z' },
      { starts: '2026-11-18T08:00:00Z', ends: '2026-11-25T08:00:00Z' },
      { starts: '2026-11-25T08:00:00Z', ends: '2026-12-02T08:00:00Z' },
      { starts: '2026-12-09T08:00:00Z', ends: '2026-12-16T08:00:00Z' },
    ]);
    await growth('U0ANA', 'mentor <@U0MO>');
    const db = h.deps.db;
    const shifts = await db.selectFrom('oncall_shifts').selectAll().orderBy('starts_at').execute();
    const figures = [
      [10, 2],
      [6, 3],
      [4, 4],
      [9, 9],
    ] as const;
    for (const [i, [pages, actionable]] of figures.entries()) {
      const s = shifts[i]!;
      const hidden = i === 3;
      const c = await db
        .insertInto('checkins')
        .values({
          team_id: 'T0TEST',
          user_id: 'U0ANA',
          text: hidden ? 'SECRET retro words' : `retro ${i}`,
          source: 'modal',
          private: hidden,
          idempotency_key: `retro-${i}`,
          created_at: s.ends_at,
          updated_at: s.ends_at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('oncall_retros')
        .values({
          team_id: 'T0TEST',
          user_id: 'U0ANA',
          shift_id: s.id,
          shift_starts_at: s.starts_at,
          shift_ends_at: s.ends_at,
          checkin_id: c.id,
          pages,
          actionable,
          toil_hours: 2,
          alert_to_fix: hidden ? 'SECRET-ALERT' : 'CpuHigh <flapping>',
          handover: hidden ? 'SECRET-HANDOVER' : 'all quiet',
          created_at: s.ends_at,
        })
        .execute();
    }
  }

  it('says who was on call, the retro numbers and the trend over the shared retros; a private retro reaches the mentor in no way', async () => {
    await history();
    // The private retro is there, the latest of the four.
    const stored = await h.deps.db
      .selectFrom('oncall_retros as r')
      .innerJoin('checkins as c', 'c.id', 'r.checkin_id')
      .select(['r.pages', 'r.handover', 'c.private'])
      .orderBy('r.shift_ends_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ pages: 9, handover: 'SECRET-HANDOVER', private: true });
    await runDigests(jobs, new Date('2026-12-11T14:05:00Z')); // Friday 15:05 in Berlin
    const digest = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0MO' && c.args.metadata)!;
    const all = JSON.stringify(digest.args);
    expect(all).toContain(':pager: *On call* Wed 9 Dec 09:00 – Wed 16 Dec 09:00');
    // The latest retro the mentor may see is the third, shared one.
    expect(all).toContain('Latest on-call retro: *4* pages, *4* needed action');
    // The three shared retros, oldest first: 20 pages, 9 actionable.
    expect(all).toContain('Last 3 shifts: pages 10 → 6 → 4 (6.7 a shift) · 45% needed action');
    expect(all).not.toContain('SECRET');
    expect(all).not.toContain('9 needed action');
    expect(all).not.toContain('just for them');
    expect(all).not.toContain('retros');
  });

  it('shows the latest shared retro\u2019s numbers and words (escaped), and lists incident reflections first among what was written', async () => {
    await history();
    await h.deps.db
      .updateTable('oncall_retros')
      .set({ alert_to_fix: 'CpuHigh <flapping>', handover: 'all quiet' })
      .execute();
    await h.deps.db.updateTable('checkins').set({ private: false, text: 'retro 3' }).execute();
    const db = h.deps.db;
    for (const [i, hidden] of [
      [0, false],
      [1, true],
    ] as const) {
      const c = await db
        .insertInto('checkins')
        .values({
          team_id: 'T0TEST',
          user_id: 'U0ANA',
          text: hidden ? 'SECRET reflection' : 'I believed the cache was cold; it was the pool',
          source: 'modal',
          private: hidden,
          idempotency_key: `reflection-${i}`,
          created_at: new Date('2026-12-10T10:00:00Z'),
          updated_at: new Date('2026-12-10T10:00:00Z'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('incident_participations')
        .values({
          team_id: 'T0TEST',
          user_id: 'U0ANA',
          incident_key: `title:db ${i}`,
          source: 'command',
          title: `DB outage ${i}`,
          reported_at: new Date('2026-12-08T10:00:00Z'),
          checkin_id: c.id,
          reflected_at: new Date('2026-12-10T10:00:00Z'),
        })
        .execute();
    }
    await runDigests(jobs, new Date('2026-12-11T14:05:00Z'));
    const digest = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0MO' && c.args.metadata)!;
    const all = JSON.stringify(digest.args);
    expect(all).toContain('Latest on-call retro: *9* pages, *9* needed action, *2* h toil');
    expect(all).toContain('alert to fix: CpuHigh &lt;flapping&gt;');
    expect(all).toContain('Last 4 shifts: pages 10 → 6 → 4 → 9');
    const section = (digest.args.blocks as { type: string; text?: { text: string } }[])
      .map((b) => b.text?.text ?? '')
      .find((t) => t.includes('U0ANA'))!;
    expect(section).toContain('*Incident reflection* on *DB outage 0*');
    expect(section.indexOf('Incident reflection')).toBeLessThan(section.indexOf('Latest'));
    // The private reflection exists, and nothing of it (not even a count) reaches the mentor.
    const secret = await db.selectFrom('checkins').select('private').where('text', '=', 'SECRET reflection').execute();
    expect(secret).toEqual([{ private: true }]);
    expect(all).not.toContain('SECRET');
    expect(all).not.toContain('DB outage 1');
    expect(all).not.toContain('just for them');
    expect(all).not.toContain('more incident reflection');
  });
});
