import { describe, expect, it } from 'vitest';
import { claimDeliveries, claimPrompts, leaseDue } from '../../src/db/deliveries.ts';
import { ensurePerson, setPaused } from '../../src/db/members.ts';
import { runRefreshTimezones } from '../../src/jobs/refresh-timezones.ts';
import { runReminders } from '../../src/jobs/reminders.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { claimPrompt, leaveSending, MONDAY_0905, postPromptFor } from '../support/deliveries.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { join, seedMembers, TEAM } from '../support/members.ts';
import { blockAction, slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x));

// MONDAY_0905: Monday 7 December 2026 (ISO week 2026-W50). Berlin is UTC+1: 10:00 local is 09:00Z.
const prompts = () =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === IDS.deliveryEvent);
const promptsTo = (user: string) => prompts().filter((c) => c.args.channel === user);
const deliveries = () => h.deps.db.selectFrom('deliveries').selectAll().orderBy('id').execute();

describe('weekly prompts', () => {
  it('sends each due member one prompt of their level, and a re-run sends nothing', async () => {
    const ids = await seedMembers(h.deps.db, 5, { level: 'mid' });
    const first = await runWeeklyPrompts(h.deps, MONDAY_0905);
    expect(first).toMatchObject({ members: 5, claimed: 5, sent: 5 });
    for (const id of ids) expect(promptsTo(id)).toHaveLength(1);
    const mid = new Set(h.deps.rubrics.levels.mid.competencies.map((c) => c.id));
    const nudges = await h.deps.db.selectFrom('nudges').selectAll().execute();
    for (const n of nudges) expect(mid.has(n.competency_id)).toBe(true);
    const dm = promptsTo(ids[0]!)[0]!;
    expect(dm.args.text).toContain('Your growth prompt this week');
    const buttons = (dm.args.blocks as { type: string; elements?: { action_id: string }[] }[])
      .find((b) => b.type === 'actions')!
      .elements!.map((e) => e.action_id);
    expect(buttons).toEqual([IDS.nudge.answer, IDS.nudge.skip, IDS.nudge.pause]);

    expect(await runWeeklyPrompts(h.deps, new Date(MONDAY_0905.getTime() + 5 * 60_000))).toMatchObject({
      claimed: 0,
      sent: 0,
    });
    expect(prompts()).toHaveLength(5);
    expect((await deliveries()).every((d) => d.status === 'sent' && d.message_ts)).toBe(true);
  });

  it('sends nothing before the local slot, and each zone at its own 10:00', async () => {
    await join(h.deps.db, 'U0NY', 'junior', 'America/New_York');
    await join(h.deps.db, 'U0KOLKATA', 'junior', 'Asia/Kolkata');
    await join(h.deps.db, 'U0AUCKLAND', 'junior', 'Pacific/Auckland');
    // Auckland (UTC+13 in December): Monday 10:00 local is Sunday 21:00Z.
    await runWeeklyPrompts(h.deps, new Date('2026-12-06T20:59:00Z'));
    expect(prompts()).toHaveLength(0);
    await runWeeklyPrompts(h.deps, new Date('2026-12-06T21:00:00Z'));
    expect(prompts().map((c) => c.args.channel)).toEqual(['U0AUCKLAND']);
    // Kolkata (UTC+5:30): 04:30Z. New York (UTC-5): 15:00Z.
    await runWeeklyPrompts(h.deps, new Date('2026-12-07T04:29:00Z'));
    expect(prompts()).toHaveLength(1);
    await runWeeklyPrompts(h.deps, new Date('2026-12-07T04:30:00Z'));
    await runWeeklyPrompts(h.deps, new Date('2026-12-07T14:59:00Z'));
    expect(prompts().map((c) => c.args.channel)).toEqual(['U0AUCKLAND', 'U0KOLKATA']);
    await runWeeklyPrompts(h.deps, new Date('2026-12-07T15:00:00Z'));
    expect(prompts().map((c) => c.args.channel)).toEqual(['U0AUCKLAND', 'U0KOLKATA', 'U0NY']);
    const weeks = await h.deps.db.selectFrom('nudges').select(['user_id', 'week']).orderBy('user_id').execute();
    expect(weeks.every((w) => w.week === '2026-W50')).toBe(true);
  });

  it('keeps 10:00 local across the DST change in New York', async () => {
    await join(h.deps.db, 'U0NY', 'junior', 'America/New_York');
    // Monday 9 March 2026, the day after clocks went forward: 10:00 EDT is 14:00Z.
    await runWeeklyPrompts(h.deps, new Date('2026-03-09T13:59:00Z'));
    expect(prompts()).toHaveLength(0);
    await runWeeklyPrompts(h.deps, new Date('2026-03-09T14:00:00Z'));
    expect(prompts()).toHaveLength(1);
    // Monday 2 November 2026, the day after clocks went back: 10:00 EST is 15:00Z.
    await runWeeklyPrompts(h.deps, new Date('2026-11-02T14:30:00Z'));
    expect(prompts()).toHaveLength(1);
    await runWeeklyPrompts(h.deps, new Date('2026-11-02T15:00:00Z'));
    expect(prompts()).toHaveLength(2);
  });

  it('sends each prompt once when two runs race at the same instant', async () => {
    const ids = await seedMembers(h.deps.db, 40);
    const other = { ...h.deps }; // a second instance: same database, its own run
    await Promise.all([
      runWeeklyPrompts(h.deps, MONDAY_0905),
      runWeeklyPrompts(other, MONDAY_0905),
      runWeeklyPrompts(h.deps, MONDAY_0905),
    ]);
    expect(prompts()).toHaveLength(40);
    expect(new Set(prompts().map((c) => c.args.channel))).toEqual(new Set(ids));
  });

  it('catches up after downtime until Wednesday night, then records the week as missed', async () => {
    await seedMembers(h.deps.db, 2);
    // Down on Monday and Tuesday: Wednesday 23:00 Berlin still gets this week's prompt.
    await runWeeklyPrompts(h.deps, new Date('2026-12-09T22:00:00Z'));
    expect(prompts()).toHaveLength(2);
    // A member who joined late and the bot down until Thursday: nothing sent, week missed.
    await join(h.deps.db, 'U0LATE', 'junior', 'Europe/Berlin');
    const r = await runWeeklyPrompts(h.deps, new Date('2026-12-10T09:00:00Z'));
    expect(r).toMatchObject({ tooLate: 1, sent: 0 });
    expect(promptsTo('U0LATE')).toHaveLength(0);
    const late = (await deliveries()).find((d) => d.user_id === 'U0LATE');
    expect(late).toMatchObject({ kind: 'prompt', week: '2026-W50', status: 'missed' });
  });

  it('recovers a claim whose send never happened (crash between claim and send)', async () => {
    await seedMembers(h.deps.db, 1);
    await claimPrompt(h, 'Trace one request end to end and tell me what you found.');
    expect(prompts()).toHaveLength(0);
    const r = await runWeeklyPrompts(h.deps, new Date(MONDAY_0905.getTime() + 60_000));
    expect(r).toMatchObject({ claimed: 0, sent: 1 });
    expect(promptsTo('UM00000')[0]!.args.text).toContain('Trace one request');
  });

  /** One member with this week's prompt claimed at 09:05 Monday and not sent yet. */
  async function claimOnePrompt() {
    const [user] = await seedMembers(h.deps.db, 1);
    const claim = {
      teamId: TEAM,
      userId: user!,
      week: '2026-W50',
      level: 'junior' as const,
      competencyId: 'observability',
    };
    expect(
      await claimPrompts(h.deps.db, [{ ...claim, promptId: 'x', promptText: 'Trace one request.' }], MONDAY_0905),
    ).toBe(1);
  }

  it('a claim whose send never happened and whose week has passed its cut-off is missed, and so is its prompt', async () => {
    await claimOnePrompt();
    const r = await runWeeklyPrompts(h.deps, new Date('2026-12-10T09:00:00Z')); // Thursday: too late to send
    expect(r).toMatchObject({ claimed: 0, sent: 0, missed: 1 });
    expect(prompts()).toHaveLength(0);
    expect((await deliveries()).map((d) => d.status)).toEqual(['missed']);
    expect(await h.deps.db.selectFrom('nudges').select('outcome').execute()).toEqual([{ outcome: 'missed' }]);
  });

  it('a claim whose member left before it was sent is skipped, not sent', async () => {
    await claimOnePrompt();
    await h.deps.db.updateTable('members').set({ status: 'left' }).execute();
    const r = await runWeeklyPrompts(h.deps, new Date(MONDAY_0905.getTime() + 60_000));
    expect(r).toMatchObject({ sent: 0, skipped: 1 });
    expect(prompts()).toHaveLength(0);
    expect(await deliveries()).toMatchObject([{ status: 'skipped', last_error: 'member left' }]);
  });

  it('retries a send that met a 5xx, after checking it did not arrive', async () => {
    const ids = await seedMembers(h.deps.db, 2);
    h.fake.failNext('chat.postMessage', { status: 503 }, 1);
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    for (const id of ids) expect(promptsTo(id)).toHaveLength(1);
    expect(h.fake.callsTo('conversations.history')).toHaveLength(1);
    expect((await deliveries()).map((d) => d.status)).toEqual(['sent', 'sent']);
  });

  it("does not send again when a crashed run's send had arrived", async () => {
    await seedMembers(h.deps.db, 1);
    const id = await claimPrompt(h, 'Trace one request end to end and tell me what you found.');
    // The crashed process had leased it and its message reached Slack, with our metadata.
    await leaveSending(h, id);
    await postPromptFor(h, id);
    const r = await runWeeklyPrompts(h.deps, new Date(MONDAY_0905.getTime() + 10 * 60_000));
    expect(r).toMatchObject({ found: 1, sent: 0 });
    expect(promptsTo('UM00000')).toHaveLength(1);
    expect((await deliveries())[0]).toMatchObject({
      status: 'sent',
      channel: 'DM00000',
      message_ts: expect.any(String),
    });
  });

  it('honours 429 Retry-After without losing or doubling a send', async () => {
    const ids = await seedMembers(h.deps.db, 6);
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 2);
    const started = Date.now();
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    for (const id of ids) expect(promptsTo(id)).toHaveLength(1);
    expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.failed)).toHaveLength(2);
  });

  it('completes every send once when Slack fails a share of calls with 5xx', async () => {
    const ids = await seedMembers(h.deps.db, 30);
    h.fake.failShare('chat.postMessage', 0.3, { status: 502 }, 7);
    for (let i = 0; i < 6; i++) await runWeeklyPrompts(h.deps, new Date(MONDAY_0905.getTime() + i * 20 * 60_000));
    for (const id of ids) expect(promptsTo(id)).toHaveLength(1);
    expect(h.fake.calls.some((c) => c.failed)).toBe(true);
  });

  it('retries a failing send twice at once, then after 1, 5 and 15 minutes, and gives up after the sixth try', async () => {
    await seedMembers(h.deps.db, 1);
    h.fake.failNext('chat.postMessage', { status: 503 }, 100);
    const attempts = () => h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.failed).length;
    const tries: number[] = [];
    for (const minute of [0, 0.9, 1, 5.9, 6, 20.9, 21, 60]) {
      const before = attempts();
      await runWeeklyPrompts(h.deps, new Date(MONDAY_0905.getTime() + minute * 60_000));
      tries.push(attempts() - before);
    }
    expect(tries).toEqual([3, 0, 1, 0, 1, 0, 1, 0]);
    expect((await deliveries())[0]).toMatchObject({ status: 'failed', next_attempt_at: null });
  });

  it('gives up on a permanent error and logs it', async () => {
    await seedMembers(h.deps.db, 1);
    h.fake.failNext('chat.postMessage', { error: 'account_inactive' }, 1);
    const r = await runWeeklyPrompts(h.deps, MONDAY_0905);
    expect(r.gaveUp).toBe(1);
    expect((await deliveries())[0]).toMatchObject({
      status: 'failed',
      last_error: 'account_inactive',
      next_attempt_at: null,
    });
    expect(h.logs.some((l) => String(l.msg).includes('giving up'))).toBe(true);
  });

  it('skips paused, left and never-joined people', async () => {
    await join(h.deps.db, 'U0ACTIVE', 'junior', 'Europe/Berlin');
    await join(h.deps.db, 'U0PAUSED', 'junior', 'Europe/Berlin');
    await join(h.deps.db, 'U0LEFT', 'junior', 'Europe/Berlin');
    await ensurePerson(
      h.deps.db,
      { teamId: TEAM, userId: 'U0MENTOR', displayName: 'M', tz: 'Europe/Berlin' },
      MONDAY_0905,
    );
    await setPaused(h.deps.db, TEAM, 'U0PAUSED', new Date('2026-12-20T00:00:00Z'), MONDAY_0905);
    await h.deps.db.updateTable('members').set({ status: 'left' }).where('user_id', '=', 'U0LEFT').execute();
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    expect(prompts().map((c) => c.args.channel)).toEqual(['U0ACTIVE']);
    // The pause ends by itself: the next Monday after it, the prompt comes.
    await runWeeklyPrompts(h.deps, new Date('2026-12-21T09:05:00Z'));
    expect(promptsTo('U0PAUSED')).toHaveLength(1);
  });

  it('pauses after three unanswered weeks, says how to resume, and sends no fourth prompt', async () => {
    await seedMembers(h.deps.db, 1);
    for (const day of ['2026-12-07', '2026-12-14', '2026-12-21'])
      await runWeeklyPrompts(h.deps, new Date(`${day}T09:05:00Z`));
    expect(prompts()).toHaveLength(3);
    const r = await runWeeklyPrompts(h.deps, new Date('2026-12-28T09:05:00Z'));
    expect(r).toMatchObject({ autoPaused: 1, sent: 0 });
    expect(prompts()).toHaveLength(3);
    const notice = h.fake.callsTo('chat.postMessage').at(-1)!;
    expect(notice.args.text).toContain('/growth resume');
    const m = await h.deps.db.selectFrom('members').selectAll().executeTakeFirstOrThrow();
    expect(m.status).toBe('paused');
    const outcomes = await h.deps.db.selectFrom('nudges').select('outcome').orderBy('week').execute();
    expect(outcomes.map((o) => o.outcome)).toEqual(['missed', 'missed', 'missed']);
  });
});

describe('Skip', () => {
  it('counts as an answer: three Skips in a row pause nothing, and the fourth prompt comes', async () => {
    const [user] = await seedMembers(h.deps.db, 1);
    const days = ['2026-12-07', '2026-12-14', '2026-12-21'];
    for (const day of days) {
      await runWeeklyPrompts(h.deps, new Date(`${day}T09:05:00Z`));
      const nudge = await h.deps.db
        .selectFrom('nudges')
        .select(['id', 'outcome'])
        .orderBy('week', 'desc')
        .executeTakeFirstOrThrow();
      expect(nudge.outcome).toBe('open');
      h.setNow(new Date(`${day}T09:30:00Z`));
      await h.send(blockAction({ user: user!, action_id: IDS.nudge.skip, value: nudge.id }));
      await expect
        .poll(
          async () =>
            (
              await h.deps.db
                .selectFrom('nudges')
                .select('outcome')
                .where('id', '=', nudge.id)
                .executeTakeFirstOrThrow()
            ).outcome,
          { timeout: 5_000 },
        )
        .toBe('skipped');
    }
    expect(promptsTo(user!)).toHaveLength(3);
    const r = await runWeeklyPrompts(h.deps, new Date('2026-12-28T09:05:00Z'));
    expect(r).toMatchObject({ autoPaused: 0, sent: 1 });
    expect(promptsTo(user!)).toHaveLength(4);
    expect(await h.deps.db.selectFrom('members').select('status').executeTakeFirstOrThrow()).toEqual({
      status: 'active',
    });
  });
});

describe('reminders', () => {
  it('reminds once on Thursday only members who neither answered nor skipped', async () => {
    const [a, b, c] = await seedMembers(h.deps.db, 3);
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    const nudges = await h.deps.db.selectFrom('nudges').selectAll().orderBy('user_id').execute();
    await h.deps.db.updateTable('nudges').set({ outcome: 'answered' }).where('id', '=', nudges[1]!.id).execute();
    await h.deps.db.updateTable('nudges').set({ outcome: 'skipped' }).where('id', '=', nudges[2]!.id).execute();
    h.fake.reset();
    expect((await runReminders(h.deps, new Date('2026-12-10T08:59:00Z'))).sent).toBe(0);
    expect((await runReminders(h.deps, new Date('2026-12-10T09:05:00Z'))).sent).toBe(1);
    expect((await runReminders(h.deps, new Date('2026-12-10T12:00:00Z'))).sent).toBe(0);
    expect(promptsTo(a!)).toHaveLength(1);
    expect(promptsTo(a!)[0]!.args.text).toContain('gentle nudge');
    expect(promptsTo(b!)).toHaveLength(0);
    expect(promptsTo(c!)).toHaveLength(0);
  });
});

describe('reminders and the prompt day', () => {
  it('a prompt on Friday gets no reminder (too late in the week for one), and does not hold up the others', async () => {
    const [monday, friday] = await seedMembers(h.deps.db, 2);
    await h.deps.db.updateTable('members').set({ prompt_weekday: 5 }).where('user_id', '=', friday!).execute();
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    await runWeeklyPrompts(h.deps, new Date('2026-12-11T09:05:00Z')); // Friday 10:05 in Berlin
    expect(promptsTo(friday!)).toHaveLength(1);
    h.fake.reset();
    for (const day of ['2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13', '2026-12-14'])
      await runReminders(h.deps, new Date(`${day}T09:05:00Z`));
    expect(promptsTo(monday!)).toHaveLength(1);
    expect(promptsTo(friday!)).toHaveLength(0);
  });

  it('a reminder claimed on Thursday whose send never happened is not sent after Friday, but recorded as missed', async () => {
    await seedMembers(h.deps.db, 1);
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    const nudge = await h.deps.db.selectFrom('nudges').selectAll().executeTakeFirstOrThrow();
    const thursday = new Date('2026-12-10T09:05:00Z');
    await claimDeliveries(
      h.deps.db,
      'reminder',
      [{ teamId: TEAM, userId: nudge.user_id, week: nudge.week, nudgeId: nudge.id }],
      thursday,
    );
    h.fake.reset();
    // Saturday 00:05 in Berlin: the reminder could go out until the end of Friday.
    expect(await runReminders(h.deps, new Date('2026-12-11T23:05:00Z'))).toMatchObject({ sent: 0, missed: 1 });
    expect(prompts()).toHaveLength(0);
  });
});

describe('a reminder claimed before the member answered', () => {
  it('is not sent: neither after a crash between claim and send, nor when a crashed send\u2019s lease runs out', async () => {
    const [leased, claimedOnly] = await seedMembers(h.deps.db, 2);
    await runWeeklyPrompts(h.deps, MONDAY_0905);
    const nudges = await h.deps.db.selectFrom('nudges').select(['id', 'user_id', 'week']).orderBy('user_id').execute();
    expect(nudges.map((n) => n.user_id)).toEqual([leased, claimedOnly]);
    // Thursday 10:05 in Berlin: a run claimed both reminders, took the first one's lease, and died.
    const thursday = new Date('2026-12-10T09:05:00Z');
    await claimDeliveries(
      h.deps.db,
      'reminder',
      nudges.map((n) => ({ teamId: TEAM, userId: n.user_id, week: n.week, nudgeId: n.id })),
      thursday,
    );
    expect((await leaseDue(h.deps.db, 'reminder', thursday, 1, 5 * 60_000)).map((d) => d.userId)).toEqual([leased]);
    // Both answer before any run comes back.
    h.setNow(new Date('2026-12-10T09:06:00Z'));
    for (const user of [leased!, claimedOnly!]) {
      const r = await h.send(slashCommand({ command: '/checkin', text: 'read the on-call handbook', user_id: user }));
      expect((r.json as { text: string }).text).toContain("as your answer to this week's prompt");
    }
    h.fake.reset();
    // After the lease ran out (10:10), a run finds both reminders: nothing is left to remind of.
    const r = await runReminders(h.deps, new Date('2026-12-10T09:11:00Z'));
    expect(r).toMatchObject({ claimed: 0, sent: 0, skipped: 2 });
    expect(prompts()).toHaveLength(0);
    expect((await deliveries()).filter((d) => d.kind === 'reminder').map((d) => d.status)).toEqual([
      'skipped',
      'skipped',
    ]);
  });
});

describe('a fan-out in pages', () => {
  it.each([7, 6])('plans %i members three at a time: each claimed and sent once, paused ones skipped', async (n) => {
    const ids = await seedMembers(h.deps.db, n, { level: 'mid' });
    // Pages meet at a paused member: their week is skipped, the pages go on.
    await h.deps.db.updateTable('members').set({ status: 'paused' }).where('user_id', '=', ids[2]!).execute();
    const r = await runWeeklyPrompts(h.deps, MONDAY_0905, 3);
    expect(r).toMatchObject({ members: n - 1, claimed: n - 1, sent: n - 1 });
    for (const [i, id] of ids.entries()) expect(promptsTo(id)).toHaveLength(i === 2 ? 0 : 1);
    const rows = await h.deps.db.selectFrom('deliveries').select(['user_id', 'status']).orderBy('user_id').execute();
    expect(rows.map((d) => d.status)).toEqual(ids.map((_, i) => (i === 2 ? 'skipped' : 'sent')));
    expect((await runWeeklyPrompts(h.deps, MONDAY_0905, 3)).claimed).toBe(0);
  });
});

describe('timezone refresh', () => {
  it('reads stale timezones again, stalest first, and stops prompting deactivated people', async () => {
    const [moved, stayed, gone] = await seedMembers(h.deps.db, 3);
    h.fake.addUser({ id: moved!, tz: 'America/Chicago', real_name: 'Moved' });
    h.fake.addUser({ id: stayed!, tz: 'Europe/Berlin' });
    h.fake.addUser({ id: gone!, tz: 'Europe/Berlin', deleted: true });
    // The one who left mentored the one who stayed: that mentorship ends with them.
    await h.deps.db
      .insertInto('mentorships')
      .values({ team_id: 'T0TEST', mentor_id: gone!, mentee_id: stayed!, started_at: new Date('2026-11-01T00:00:00Z') })
      .execute();
    const r = await runRefreshTimezones(h.deps, MONDAY_0905);
    expect(await h.deps.db.selectFrom('mentorships').select('ended_at').execute()).toEqual([{ ended_at: MONDAY_0905 }]);
    expect(r).toEqual({ checked: 3, changed: 1, left: 1 });
    const rows = await h.deps.db
      .selectFrom('members')
      .select(['user_id', 'tz', 'status', 'tz_checked_at'])
      .orderBy('user_id')
      .execute();
    expect(rows.map((m) => [m.tz, m.status])).toEqual([
      ['America/Chicago', 'active'],
      ['Europe/Berlin', 'active'],
      ['Europe/Berlin', 'left'],
    ]);
    expect(rows.every((m) => m.tz_checked_at?.getTime() === MONDAY_0905.getTime())).toBe(true);
    // Fresh now: a run the same day asks Slack nothing.
    h.fake.reset();
    expect((await runRefreshTimezones(h.deps, MONDAY_0905)).checked).toBe(0);
    expect(h.fake.callsTo('users.info')).toHaveLength(0);
    // Chicago's Monday 10:00 is 16:00Z: the moved member is prompted on their new local time.
    await runWeeklyPrompts(h.deps, new Date('2026-12-07T15:59:00Z'));
    // The run did prompt Berlin (its 10:00 has passed): so the one who left was left out, not just not due.
    expect(promptsTo(stayed!)).toHaveLength(1);
    expect(promptsTo(moved!)).toHaveLength(0);
    expect(promptsTo(gone!)).toHaveLength(0);
    await runWeeklyPrompts(h.deps, new Date('2026-12-07T16:00:00Z'));
    expect(promptsTo(moved!)).toHaveLength(1);
  });

  it('claims its rows: runs at once (two instances) ask Slack once per person; one Slack failed on is asked again after the claim', async () => {
    const people = await seedMembers(h.deps.db, 4);
    for (const id of people) h.fake.addUser({ id, tz: 'Europe/Berlin' });
    h.fake.failNext('users.info', { error: 'internal_error' }, 1);
    const runs = await Promise.all([1, 2, 3].map(() => runRefreshTimezones(h.deps, MONDAY_0905)));
    expect(runs.reduce((n, r) => n + r.checked, 0)).toBe(3);
    expect(h.fake.calls.filter((c) => c.method === 'users.info')).toHaveLength(4);
    // The one Slack failed on is claimed for ten minutes, then read again.
    expect((await runRefreshTimezones(h.deps, new Date(MONDAY_0905.getTime() + 9 * 60_000))).checked).toBe(0);
    expect((await runRefreshTimezones(h.deps, new Date(MONDAY_0905.getTime() + 11 * 60_000))).checked).toBe(1);
  });
});
