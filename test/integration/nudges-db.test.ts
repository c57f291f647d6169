// The weekly prompt's rows, as the buttons, the DM handler, the reminders and the weekly job read
// and change them: a prompt is only the member's own (by id, by message, by week), an answer
// outlasts a late Skip, a withdrawn answer reopens the prompt only when nothing else answers it,
// and a week that ended unanswered becomes missed.
import { beforeEach, describe, expect, it } from 'vitest';
import { joinMember } from '../../src/db/members.ts';
import {
  closePastWeeks,
  getNudge,
  latestCheckins,
  membersWithNudges,
  nudgeForWeek,
  nudgeHistory,
  nudgeMessage,
  openDeliveredNudges,
  promptOfMessage,
  reopenNudge,
  setNudgeOutcome,
} from '../../src/db/nudges.ts';
import type { NudgeOutcome } from '../../src/db/schema.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAll, OTHER_TEAM as OTHER, TEAM } from '../support/members.ts';

const now = new Date('2026-12-08T10:00:00Z');
const later = new Date('2026-12-08T11:00:00Z');

describe('prompts in the database', () => {
  const d = useTestDatabase((db) =>
    joinAll(db, [
      ['UANA', 'junior', 'Europe/Berlin'],
      ['UBEN', 'junior', 'America/Los_Angeles'],
    ]),
  );
  beforeEach(async () => {
    await joinMember(
      d.db,
      { teamId: OTHER, userId: 'UANA', level: 'junior', displayName: 'UANA', tz: 'Europe/Berlin' },
      now,
    );
  });

  async function nudge(
    user: string,
    week: string,
    o: { outcome?: NudgeOutcome; team?: string; competency?: string } = {},
  ) {
    return (
      await d.db
        .insertInto('nudges')
        .values({
          team_id: o.team ?? TEAM,
          user_id: user,
          week,
          level: 'junior',
          competency_id: o.competency ?? 'c1',
          prompt_id: `${week}-p`,
          prompt_text: 'Tell us',
          outcome: o.outcome ?? 'open',
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  async function delivery(
    user: string,
    nudgeId: string | null,
    o: {
      kind?: 'prompt' | 'reminder' | 'digest';
      status?: 'sent' | 'claimed' | 'failed';
      ts?: string;
      week?: string;
    } = {},
  ) {
    await d.db
      .insertInto('deliveries')
      .values({
        team_id: TEAM,
        user_id: user,
        kind: o.kind ?? 'prompt',
        week: o.week ?? '2026-W50',
        ref: `${o.kind ?? 'prompt'}-${nudgeId}-${o.ts}`,
        nudge_id: nudgeId,
        status: o.status ?? 'sent',
        channel: `D-${user}`,
        message_ts: o.ts ?? null,
        claimed_at: now,
      })
      .execute();
  }
  async function checkin(
    user: string,
    key: string,
    o: { nudgeId?: string; competency?: string | null; at: Date; rating?: number },
  ) {
    return (
      await d.db
        .insertInto('checkins')
        .values({
          team_id: TEAM,
          user_id: user,
          competency_id: o.competency === undefined ? 'c1' : o.competency,
          text: key,
          rating: o.rating ?? null,
          source: 'command',
          nudge_id: o.nudgeId ?? null,
          idempotency_key: key,
          created_at: o.at,
          updated_at: o.at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const outcomeOf = async (id: string) =>
    (await d.db.selectFrom('nudges').select('outcome').where('id', '=', id).executeTakeFirstOrThrow()).outcome;

  it('a prompt by id: only a number that is one, else nothing', async () => {
    const id = await nudge('UANA', '2026-W50');
    expect(await getNudge(d.db, id)).toMatchObject({ id, userId: 'UANA', week: '2026-W50' });
    for (const bad of [`${id}x`, `x${id}`, '', '1234567890123456789', `${id} `])
      expect(await getNudge(d.db, bad), bad).toBeUndefined();
    expect(await getNudge(d.db, String(Number(id) + 100))).toBeUndefined();
  });

  it("the member's prompt of a week, with where its DM is; nothing for another week or member", async () => {
    const id = await nudge('UANA', '2026-W50');
    await nudge('UBEN', '2026-W50');
    await delivery('UANA', id, { ts: '111.1' });
    await delivery('UANA', id, { kind: 'reminder', ts: '222.2' });
    expect(await nudgeForWeek(d.db, TEAM, 'UANA', '2026-W50')).toMatchObject({
      id,
      userId: 'UANA',
      channel: 'D-UANA',
      messageTs: '111.1',
      deliveryStatus: 'sent',
    });
    expect(await nudgeForWeek(d.db, TEAM, 'UANA', '2026-W49')).toBeUndefined();
    expect(await nudgeForWeek(d.db, OTHER, 'UANA', '2026-W50')).toBeUndefined();
    expect(await nudgeForWeek(d.db, TEAM, 'UBEN', '2026-W50')).toMatchObject({ userId: 'UBEN', channel: null });
  });

  it('the prompt a DM message is (its prompt or its reminder), in that team and channel only', async () => {
    const id = await nudge('UANA', '2026-W50');
    await delivery('UANA', id, { ts: '111.1' });
    await delivery('UANA', id, { kind: 'reminder', ts: '222.2' });
    const digest = await nudge('UANA', '2026-W49');
    await delivery('UANA', digest, { kind: 'digest', ts: '333.3', week: '2026-W49' });
    expect(await promptOfMessage(d.db, TEAM, 'D-UANA', '111.1')).toMatchObject({ id });
    expect(await promptOfMessage(d.db, TEAM, 'D-UANA', '222.2')).toMatchObject({ id });
    expect(await promptOfMessage(d.db, TEAM, 'D-UANA', '333.3')).toBeUndefined();
    expect(await promptOfMessage(d.db, TEAM, 'D-UBEN', '111.1')).toBeUndefined();
    expect(await promptOfMessage(d.db, OTHER, 'D-UANA', '111.1')).toBeUndefined();
    expect(await promptOfMessage(d.db, TEAM, 'D-UANA', '999.9')).toBeUndefined();
  });

  it("where a prompt's DM is: only its sent prompt, not its reminder nor a claim", async () => {
    const id = await nudge('UANA', '2026-W50');
    await delivery('UANA', id, { kind: 'reminder', ts: '222.2' });
    expect(await nudgeMessage(d.db, id)).toBeUndefined();
    const claimed = await nudge('UANA', '2026-W49');
    await delivery('UANA', claimed, { status: 'claimed', ts: '1.1', week: '2026-W49' });
    expect(await nudgeMessage(d.db, claimed)).toBeUndefined();
    await delivery('UANA', id, { ts: '111.1' });
    expect(await nudgeMessage(d.db, id)).toEqual({ channel: 'D-UANA', messageTs: '111.1' });
  });

  it('an answer wins over a skip, a late skip cannot undo an answer, and only the member settles their prompt', async () => {
    const id = await nudge('UANA', '2026-W50');
    // Someone else's click changes nothing and shows them nothing.
    expect(await setNudgeOutcome(d.db, id, 'UBEN', 'skipped', now)).toBeUndefined();
    expect(await setNudgeOutcome(d.db, id, 'UBEN', 'answered', now)).toBeUndefined();
    expect(await outcomeOf(id)).toBe('open');
    expect(await setNudgeOutcome(d.db, id, 'UANA', 'skipped', now)).toMatchObject({
      outcome: 'skipped',
      updatedAt: now,
    });
    expect(await setNudgeOutcome(d.db, id, 'UANA', 'answered', later)).toMatchObject({
      outcome: 'answered',
      updatedAt: later,
    });
    // A late Skip: the answer stays, and the prompt as it is comes back.
    expect(await setNudgeOutcome(d.db, id, 'UANA', 'skipped', new Date('2026-12-08T12:00:00Z'))).toMatchObject({
      outcome: 'answered',
      updatedAt: later,
    });
    // A missed prompt may still be skipped or answered.
    const missed = await nudge('UANA', '2026-W49', { outcome: 'missed' });
    expect(await setNudgeOutcome(d.db, missed, 'UANA', 'skipped', now)).toMatchObject({ outcome: 'skipped' });
    const missed2 = await nudge('UANA', '2026-W48', { outcome: 'missed' });
    expect(await setNudgeOutcome(d.db, missed2, 'UANA', 'answered', now)).toMatchObject({ outcome: 'answered' });
    // A second answer leaves the first time.
    expect(await setNudgeOutcome(d.db, missed2, 'UANA', 'answered', later)).toMatchObject({
      outcome: 'answered',
      updatedAt: now,
    });
  });

  it('a withdrawn answer reopens its prompt only when no other check-in answers it, and only the member’s', async () => {
    const id = await nudge('UANA', '2026-W50', { outcome: 'answered' });
    const first = await checkin('UANA', 'first', { nudgeId: id, at: now });
    await checkin('UANA', 'second', { nudgeId: id, at: now });
    expect(await reopenNudge(d.db, id, 'UANA', later)).toBeUndefined();
    await d.db.deleteFrom('checkins').where('nudge_id', '=', id).where('id', '!=', first).execute();
    expect(await reopenNudge(d.db, id, 'UANA', later)).toBeUndefined();
    await d.db.deleteFrom('checkins').where('id', '=', first).execute();
    expect(await reopenNudge(d.db, id, 'UBEN', later)).toBeUndefined();
    expect(await outcomeOf(id)).toBe('answered');
    expect(await reopenNudge(d.db, id, 'UANA', later)).toMatchObject({ id, outcome: 'open', updatedAt: later });
    // A skipped prompt is not "reopened" by a withdrawal.
    const skipped = await nudge('UANA', '2026-W49', { outcome: 'skipped' });
    expect(await reopenNudge(d.db, skipped, 'UANA', later)).toBeUndefined();
    expect(await outcomeOf(skipped)).toBe('skipped');
  });

  it("a week that ended with its prompt open becomes missed; this week's, an answer and a skip stay", async () => {
    const past = await nudge('UANA', '2026-W49');
    const answered = await nudge('UANA', '2026-W48', { outcome: 'answered' });
    const skipped = await nudge('UANA', '2026-W47', { outcome: 'skipped' });
    const current = await nudge('UANA', '2026-W50');
    // Ben's week in his zone is still W49: his W49 prompt is this week's.
    const bens = await nudge('UBEN', '2026-W49');
    const otherTeam = await nudge('UANA', '2026-W49', { team: OTHER });
    expect(
      await closePastWeeks(
        d.db,
        [
          { teamId: TEAM, userId: 'UANA', week: '2026-W50' },
          { teamId: TEAM, userId: 'UBEN', week: '2026-W49' },
        ],
        now,
      ),
    ).toBe(1);
    expect(await outcomeOf(past)).toBe('missed');
    for (const [id, outcome] of [
      [answered, 'answered'],
      [skipped, 'skipped'],
      [current, 'open'],
      [bens, 'open'],
      [otherTeam, 'open'],
    ] as const)
      expect(await outcomeOf(id), outcome).toBe(outcome);
    expect(await closePastWeeks(d.db, [], now)).toBe(0);
  });

  it('the history of prompts since a week, with whether each was delivered', async () => {
    const sent = await nudge('UANA', '2026-W50');
    await delivery('UANA', sent, { ts: '1' });
    const failed = await nudge('UANA', '2026-W49', { outcome: 'missed' });
    await delivery('UANA', failed, { status: 'failed', week: '2026-W49' });
    await nudge('UANA', '2026-W48', { outcome: 'skipped' });
    await nudge('UANA', '2026-W40');
    await nudge('UBEN', '2026-W50');
    await nudge('UANA', '2026-W50', { team: OTHER });
    const h = await nudgeHistory(d.db, [{ teamId: TEAM, userId: 'UANA' }], '2026-W41');
    expect(h.map((r) => [r.week, r.outcome, r.delivered, r.teamId, r.userId, r.promptId]).sort()).toEqual([
      ['2026-W48', 'skipped', false, TEAM, 'UANA', '2026-W48-p'],
      ['2026-W49', 'missed', false, TEAM, 'UANA', '2026-W49-p'],
      ['2026-W50', 'open', true, TEAM, 'UANA', '2026-W50-p'],
    ]);
    expect(await nudgeHistory(d.db, [], '2026-W41')).toEqual([]);
  });

  it('the latest check-in per member and competency, with its rating', async () => {
    await checkin('UANA', 'old', { competency: 'c1', at: new Date('2026-11-01T00:00:00Z'), rating: 2 });
    await checkin('UANA', 'new', { competency: 'c1', at: new Date('2026-12-01T00:00:00Z'), rating: 4 });
    await checkin('UANA', 'other', { competency: 'c2', at: new Date('2026-11-15T00:00:00Z'), rating: 3 });
    await checkin('UANA', 'none', { competency: null, at: new Date('2026-12-02T00:00:00Z') });
    await checkin('UBEN', 'ben', { competency: 'c1', at: new Date('2026-12-03T00:00:00Z'), rating: 1 });
    const rows = await latestCheckins(d.db, [{ teamId: TEAM, userId: 'UANA' }]);
    expect(rows.map((r) => [r.userId, r.competencyId, r.at, r.rating])).toEqual([
      ['UANA', 'c1', new Date('2026-12-01T00:00:00Z'), 4],
      ['UANA', 'c2', new Date('2026-11-15T00:00:00Z'), 3],
    ]);
    expect(await latestCheckins(d.db, [])).toEqual([]);
  });

  it('members with their prompt of the week at that moment in their own zone, in the order asked', async () => {
    // Monday 7 December 05:00 UTC: W50 in Berlin, still Sunday (W49) in Los Angeles.
    const at = new Date('2026-12-07T05:00:00Z');
    const anas = await nudge('UANA', '2026-W50', { competency: 'c9' });
    await nudge('UANA', '2026-W49');
    const bens = await nudge('UBEN', '2026-W49', { outcome: 'answered' });
    const got = await membersWithNudges(d.db, [
      { teamId: TEAM, userId: 'UBEN', at },
      { teamId: TEAM, userId: 'UNOBODY', at },
      { teamId: TEAM, userId: 'UANA', at },
    ]);
    expect(got.map((g) => [g.member?.userId, g.member?.tz, g.nudge])).toEqual([
      ['UBEN', 'America/Los_Angeles', { id: bens, week: '2026-W49', competencyId: 'c1', outcome: 'answered' }],
      [undefined, undefined, undefined],
      ['UANA', 'Europe/Berlin', { id: anas, week: '2026-W50', competencyId: 'c9', outcome: 'open' }],
    ]);
    const monday = new Date('2026-12-14T12:00:00Z');
    expect((await membersWithNudges(d.db, [{ teamId: TEAM, userId: 'UANA', at: monday }]))[0]).toMatchObject({
      member: { userId: 'UANA' },
      nudge: undefined,
    });
  });

  it("a reminder's reason: the week's prompt delivered and still open, for these members only", async () => {
    const open = await nudge('UANA', '2026-W50');
    await delivery('UANA', open, { ts: '1' });
    const answered = await nudge('UBEN', '2026-W50', { outcome: 'answered' });
    await delivery('UBEN', answered, { ts: '2' });
    const notSent = await nudge('UANA', '2026-W49');
    await delivery('UANA', notSent, { status: 'failed', week: '2026-W49' });
    const reminderOnly = await nudge('UANA', '2026-W48');
    await delivery('UANA', reminderOnly, { kind: 'reminder', ts: '3', week: '2026-W48' });
    const keys = (week: string) => [
      { teamId: TEAM, userId: 'UANA', week },
      { teamId: TEAM, userId: 'UBEN', week },
    ];
    expect(await openDeliveredNudges(d.db, keys('2026-W50'))).toEqual([
      { id: open, teamId: TEAM, userId: 'UANA', week: '2026-W50' },
    ]);
    expect(await openDeliveredNudges(d.db, keys('2026-W49'))).toEqual([]);
    expect(await openDeliveredNudges(d.db, keys('2026-W48'))).toEqual([]);
    expect(await openDeliveredNudges(d.db, [{ teamId: OTHER, userId: 'UANA', week: '2026-W50' }])).toEqual([]);
    expect(await openDeliveredNudges(d.db, [])).toEqual([]);
  });
});
