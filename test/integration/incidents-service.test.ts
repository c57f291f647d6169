import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensurePerson } from '../../src/db/members.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import {
  claimDueIncidentDms,
  closeIncidentChannel,
  fileReflection,
  incidentForm,
  joinIncidentChannel,
  noteIncidentMessage,
  tellIncident,
} from '../../src/services/incidents.ts';
import { storeCheckin } from '../support/checkins.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAll, TEAM } from '../support/members.ts';

const at = (iso: string) => new Date(iso);
// Wednesday; Anna is in Berlin (UTC+1): two working days on is Friday 10:00 there, 09:00 UTC.
const WED = at('2026-12-02T12:00:00Z');

describe('incidents service', () => {
  const d = useTestDatabase((db) =>
    joinAll(db, [
      ['UANA', 'junior', 'Europe/Berlin'],
      ['UBEA', 'mid', 'Europe/Berlin'],
    ]),
  );
  let deps: Deps;
  let now = WED;
  beforeAll(async () => {
    deps = {
      db: d.db,
      now: () => now,
      logger: createLogger('silent'),
      rubrics: await loadRubrics('rubrics'),
      config: { incidentChannelPattern: /^inc-/ },
    } as unknown as Deps;
  });
  beforeEach(async () => {
    now = WED;
    await ensurePerson(d.db, { teamId: TEAM, userId: 'UMO', displayName: 'Mo', tz: 'UTC' }, now);
  });
  const participations = () =>
    d.db
      .selectFrom('incident_participations')
      .select(['id', 'user_id', 'incident_key', 'reflected_at', 'checkin_id', 'action_item'])
      .orderBy('id')
      .execute();
  const tell = (userId: string, text: string) => tellIncident(deps, d.db, { teamId: TEAM, userId, text });
  const checkin = async (userId: string, key: string) =>
    (await storeCheckin(d.db, { user_id: userId, idempotency_key: key, created_at: now })).checkin.id;

  it('/growth incident: one incident per link or title however typed, its reflection two working days on at 10:00', async () => {
    expect(await tell('UANA', '   ')).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('Say which') });
    expect(await tell('UMO', 'Checkout outage')).toEqual({ kind: 'not-joined' });
    expect(await participations()).toEqual([]);
    const first = await tell('UANA', 'Checkout outage');
    expect(first).toMatchObject({ kind: 'noted', created: true, due: at('2026-12-04T09:00:00Z'), tz: 'Europe/Berlin' });
    const again = await tell('UANA', '  checkout   OUTAGE ');
    expect(again).toMatchObject({ kind: 'noted', created: false, due: at('2026-12-04T09:00:00Z') });
    expect(first.kind === 'noted' && again.kind === 'noted' && again.participation.id).toBe(
      first.kind === 'noted' && first.participation.id,
    );
    expect(await participations()).toHaveLength(1);
  });

  it('joining a channel counts only for an open channel matching the pattern, and only for a member, once', async () => {
    const joinChannel = (userId: string, name: string | undefined, isArchived = false) =>
      joinIncidentChannel(deps, d.db, { teamId: TEAM, userId, channel: { id: 'C0INC1', name, isArchived } });
    expect(await joinChannel('UANA', 'general')).toEqual({ kind: 'not-incident' });
    expect(await joinChannel('UANA', undefined)).toEqual({ kind: 'not-incident' });
    expect(await joinChannel('UANA', 'inc-db', true)).toEqual({ kind: 'not-incident' });
    expect(await joinChannel('UMO', 'inc-db')).toEqual({ kind: 'not-member' });
    expect(await participations()).toEqual([]);
    expect(await joinChannel('UANA', 'inc-db')).toEqual({ kind: 'recorded' });
    expect(await joinChannel('UANA', 'inc-db')).toEqual({ kind: 'already' });
    expect((await participations()).map((p) => [p.user_id, p.incident_key])).toEqual([['UANA', 'channel:C0INC1']]);
  });

  it("a member's last message in the channel moves their reflection on; archiving ends it for everyone, once", async () => {
    now = at('2026-11-30T09:00:00Z'); // Monday: joined
    for (const userId of ['UANA', 'UBEA'])
      await joinIncidentChannel(deps, d.db, {
        teamId: TEAM,
        userId,
        channel: { id: 'C0INC1', name: 'inc-db', isArchived: false },
      });
    now = at('2026-12-01T15:00:00Z'); // Tuesday: Anna writes there
    expect(await noteIncidentMessage(deps, d.db, { teamId: TEAM, userId: 'UANA', channelId: 'C0INC1' })).toBe(1);
    // Wednesday 10:00 Berlin: Bea's reflection (two working days after Monday) is due, Anna's not until Thursday.
    expect((await claimDueIncidentDms(deps, at('2026-12-02T09:30:00Z'))).reflections).toEqual({
      claimed: 1,
      held: 0,
      stale: 0,
    });
    expect((await claimDueIncidentDms(deps, at('2026-12-03T09:30:00Z'))).reflections.claimed).toBe(1);
    now = at('2026-12-03T16:00:00Z');
    expect(await closeIncidentChannel(deps, d.db, { teamId: TEAM, channelId: 'C0INC1' })).toBe(2);
    expect(await closeIncidentChannel(deps, d.db, { teamId: TEAM, channelId: 'C0INC1' })).toBe(0);
  });

  it("a reflection is filed only on the member's own incident, and only the first counts", async () => {
    await tell('UBEA', 'Checkout outage');
    await tell('UANA', 'DNS outage');
    const [bea, ana] = await participations();
    const own = await checkin('UANA', 'k1');
    const file = (incidentId: string, checkinId: string) =>
      fileReflection(d.db, { incidentId, userId: 'UANA', checkinId, actionItem: 'alert on expiry', at: now });
    expect(
      await fileReflection(d.db, { incidentId: bea!.id, userId: 'UANA', checkinId: own, actionItem: null, at: now }),
    ).toBeUndefined();
    expect(await file(ana!.id, own)).toMatchObject({
      id: ana!.id,
      userId: 'UANA',
      reflectedAt: now,
      actionItem: 'alert on expiry',
    });
    expect(await file(ana!.id, await checkin('UANA', 'k2'))).toBeUndefined();
    expect(await participations()).toEqual([
      { ...bea, reflected_at: null, checkin_id: null, action_item: null },
      { ...ana, reflected_at: now, checkin_id: own, action_item: 'alert on expiry' },
    ]);
  });

  it("the reflection's button opens the form on the member's own incident only: its competency, then the follow-up", async () => {
    await tell('UBEA', 'Checkout outage');
    await tell('UANA', 'DNS outage');
    const [bea, ana] = await participations();
    const form = (participationId: string, what: 'reflect' | 'follow-up' = 'reflect') =>
      incidentForm(deps, d.db, { userId: 'UANA', participationId, what });
    expect(await form(ana!.id)).toMatchObject({
      kind: 'form',
      participation: { id: ana!.id },
      competencyId: expect.stringMatching(/incident|on-?call/),
      reflecting: true,
    });
    expect(await form(bea!.id)).toEqual({ kind: 'gone' });
    expect(await form('not-an-id')).toEqual({ kind: 'gone' });
    await fileReflection(d.db, {
      incidentId: ana!.id,
      userId: 'UANA',
      checkinId: await checkin('UANA', 'k'),
      actionItem: null,
      at: now,
    });
    expect(await form(ana!.id)).toMatchObject({ kind: 'form', reflecting: false });
    expect(await form(ana!.id, 'follow-up')).toMatchObject({ kind: 'form', reflecting: false });
    await d.db.updateTable('members').set({ status: 'left' }).where('user_id', '=', 'UANA').execute();
    expect(await form(ana!.id)).toEqual({ kind: 'gone' });
  });

  it("claims each due reflection once; holds a paused member's; skips one held past its relevance; follows up a month after an action item", async () => {
    await tell('UANA', 'DNS outage');
    await tell('UBEA', 'DNS outage');
    await d.db.updateTable('members').set({ status: 'paused' }).where('user_id', '=', 'UBEA').execute();
    const friday = at('2026-12-04T09:30:00Z');
    expect(await claimDueIncidentDms(deps, at('2026-12-04T08:30:00Z'))).toEqual({
      reflections: { claimed: 0, held: 0, stale: 0 },
      followUps: { claimed: 0, held: 0, stale: 0 },
    });
    expect((await claimDueIncidentDms(deps, friday)).reflections).toEqual({ claimed: 1, held: 1, stale: 0 });
    expect((await claimDueIncidentDms(deps, friday)).reflections).toEqual({ claimed: 0, held: 1, stale: 0 });
    expect((await claimDueIncidentDms(deps, at('2026-12-19T09:30:00Z'))).reflections).toEqual({
      claimed: 0,
      held: 0,
      stale: 1,
    });
    const [ana] = await participations();
    await fileReflection(d.db, {
      incidentId: ana!.id,
      userId: 'UANA',
      checkinId: await checkin('UANA', 'k'),
      actionItem: 'rotate keys',
      at: friday,
    });
    expect((await claimDueIncidentDms(deps, at('2027-01-02T09:00:00Z'))).followUps.claimed).toBe(0);
    expect((await claimDueIncidentDms(deps, at('2027-01-03T09:31:00Z'))).followUps.claimed).toBe(1);
    const claims = await d.db.selectFrom('deliveries').select(['user_id', 'kind', 'status']).orderBy('id').execute();
    expect(claims).toEqual([
      { user_id: 'UANA', kind: 'reflection', status: 'claimed' },
      { user_id: 'UBEA', kind: 'reflection', status: 'skipped' },
      { user_id: 'UANA', kind: 'follow_up', status: 'claimed' },
    ]);
  });
});
