// What db/deliveries.ts promises beyond the lease (deliveries.test.ts): which claims a batch
// sees, claims kept apart by ref, a check-in made before the prompt answering it, and what
// the sandbox's "what went out" list reads.
import { describe, expect, it } from 'vitest';
import {
  claimDeliveries,
  claimKey,
  claimPrompts,
  existingClaims,
  leaseDue,
  recordResults,
  sentBetween,
} from '../../src/db/deliveries.ts';
import { useTestDatabase } from '../support/db.ts';
import { seedMembers, TEAM } from '../support/members.ts';

const d = useTestDatabase();

// Monday 7 December 2026, 10:05 in Berlin (UTC+1): ISO week 2026-W50.
const MONDAY_0905 = new Date('2026-12-07T09:05:00Z');
const minutes = (n: number) => new Date(MONDAY_0905.getTime() + n * 60_000);
const W50 = '2026-W50';

const promptClaim = (userId: string, promptId = 'p1') => ({
  teamId: TEAM,
  userId,
  week: W50,
  level: 'junior' as const,
  competencyId: 'observability',
  promptId,
  promptText: 'Trace one request end to end.',
});

/** A check-in `userId` typed at `at`, not the answer to any prompt yet. */
async function checkinAt(userId: string, at: Date, key: string): Promise<string> {
  const c = await d.db
    .insertInto('checkins')
    .values({
      team_id: TEAM,
      user_id: userId,
      text: 'Paired on the flaky deploy pipeline',
      source: 'command',
      idempotency_key: key,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return c.id;
}

describe('existingClaims', () => {
  it('with members, sees only their claims; with none, none', async () => {
    const [ana, ben] = await seedMembers(d.db, 2);
    const both = [
      { teamId: TEAM, userId: ana!, week: W50 },
      { teamId: TEAM, userId: ben!, week: W50 },
    ];
    expect(await claimDeliveries(d.db, 'reminder', both, MONDAY_0905)).toBe(2);
    // The claims exist: unfiltered, both come back.
    expect(await existingClaims(d.db, 'reminder', [W50])).toEqual(
      new Set([claimKey(TEAM, ana!, W50), claimKey(TEAM, ben!, W50)]),
    );
    expect(await existingClaims(d.db, 'reminder', [W50], [{ teamId: TEAM, userId: ben! }])).toEqual(
      new Set([claimKey(TEAM, ben!, W50)]),
    );
    expect(await existingClaims(d.db, 'reminder', [W50], [])).toEqual(new Set());
    expect(await existingClaims(d.db, 'reminder', [])).toEqual(new Set());
  });
});

describe('claimDeliveries and refs', () => {
  it('keeps claims with different refs apart (one per ref), and one without a ref has ref ""', async () => {
    const [ana] = await seedMembers(d.db, 1);
    const item = { teamId: TEAM, userId: ana!, week: W50 };
    expect(
      await claimDeliveries(
        d.db,
        'digest',
        [
          { ...item, ref: 'shift-1' },
          { ...item, ref: 'shift-2' },
        ],
        MONDAY_0905,
      ),
    ).toBe(2);
    expect(await claimDeliveries(d.db, 'digest', [{ ...item, ref: 'shift-1' }], MONDAY_0905)).toBe(0);
    expect(await claimDeliveries(d.db, 'digest', [item], MONDAY_0905)).toBe(1);
    expect(await claimDeliveries(d.db, 'digest', [{ ...item, ref: '' }], MONDAY_0905)).toBe(0);
    const leased = await leaseDue(d.db, 'digest', MONDAY_0905, 10, 60_000);
    expect(leased.map((r) => r.ref).sort()).toEqual(['', 'shift-1', 'shift-2']);
  });
});

describe('claimPrompts', () => {
  it('an empty batch claims nothing', async () => {
    await seedMembers(d.db, 1);
    expect(await claimPrompts(d.db, [], MONDAY_0905)).toBe(0);
    expect(await d.db.selectFrom('nudges').select('id').execute()).toEqual([]);
  });

  it('a check-in typed earlier in the local week answers the prompt it claims; one from last week does not', async () => {
    const [ana, ben, cai] = await seedMembers(d.db, 3);
    const anas = await checkinAt(ana!, new Date('2026-12-07T07:00:00Z'), 'a'); // Monday 08:00 Berlin
    const bens = await checkinAt(ben!, new Date('2026-12-06T22:30:00Z'), 'b'); // Sunday 23:30 Berlin: W49
    expect(await claimPrompts(d.db, [promptClaim(ana!), promptClaim(ben!), promptClaim(cai!)], MONDAY_0905)).toBe(3);
    const nudges = await d.db.selectFrom('nudges').select(['id', 'user_id', 'outcome']).orderBy('user_id').execute();
    expect(nudges.map((n) => [n.user_id, n.outcome])).toEqual([
      [ana, 'answered'],
      [ben, 'open'],
      [cai, 'open'],
    ]);
    const checkins = await d.db.selectFrom('checkins').select(['id', 'nudge_id']).orderBy('id').execute();
    expect(checkins).toEqual([
      { id: anas, nudge_id: nudges[0]!.id },
      { id: bens, nudge_id: null },
    ]);
    // Its delivery is still claimed: the prompt goes out, settled.
    expect(await d.db.selectFrom('deliveries').select('status').execute()).toEqual([
      { status: 'claimed' },
      { status: 'claimed' },
      { status: 'claimed' },
    ]);
  });

  it('a check-in typed after the claim is not taken as the answer of an earlier claim', async () => {
    const [ana] = await seedMembers(d.db, 1);
    await checkinAt(ana!, minutes(1), 'later');
    await claimPrompts(d.db, [promptClaim(ana!)], MONDAY_0905);
    expect(await d.db.selectFrom('nudges').select('outcome').execute()).toEqual([{ outcome: 'open' }]);
  });
});

describe('sentBetween', () => {
  it('lists what was sent in (from, to], oldest first, with the prompt each prompt asked', async () => {
    const [ana, ben, cai] = await seedMembers(d.db, 3, { level: 'mid' });
    await claimPrompts(d.db, [promptClaim(ana!, 'p-ana'), promptClaim(ben!, 'p-ben')], MONDAY_0905);
    await claimDeliveries(d.db, 'reminder', [{ teamId: TEAM, userId: cai!, week: W50 }], MONDAY_0905);
    const ids = async (kind: 'prompt' | 'reminder', user: string) =>
      (
        await d.db
          .selectFrom('deliveries')
          .select('id')
          .where('kind', '=', kind)
          .where('user_id', '=', user)
          .executeTakeFirstOrThrow()
      ).id;
    const sent = (id: string) => ({ id, status: 'sent' as const, channel: 'D1', ts: '1.1' });
    // Ben's at 10 minutes, then Cai's reminder and Ana's prompt at 20 (in that order of id), then a failure.
    await recordResults(d.db, [sent(await ids('prompt', ben!))], minutes(10));
    await recordResults(d.db, [sent(await ids('prompt', ana!)), sent(await ids('reminder', cai!))], minutes(20));

    expect(await sentBetween(d.db, minutes(0), minutes(20))).toEqual([
      { kind: 'prompt', userId: ben, sentAt: minutes(10), promptId: 'p-ben', promptLevel: 'junior' },
      { kind: 'prompt', userId: ana, sentAt: minutes(20), promptId: 'p-ana', promptLevel: 'junior' },
      { kind: 'reminder', userId: cai, sentAt: minutes(20), promptId: null, promptLevel: null },
    ]);
    // The interval is open at its start and closed at its end.
    expect((await sentBetween(d.db, minutes(10), minutes(19))).map((s) => s.userId)).toEqual([]);
    expect((await sentBetween(d.db, minutes(9), minutes(10))).map((s) => s.userId)).toEqual([ben]);
    // A delivery that failed later is no longer "sent".
    await recordResults(
      d.db,
      [{ id: await ids('prompt', ben!), status: 'failed', error: 'x', nextAttemptAt: null }],
      minutes(30),
    );
    expect((await sentBetween(d.db, minutes(0), minutes(30))).map((s) => s.userId)).toEqual([ana, cai]);
  });
});
