import { sql } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  noteChannelMessage,
  ownParticipation,
  participationsByIds,
  recordParticipation,
  reflectionDm,
  reflectionsSince,
} from '../../src/db/incidents.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { fileReflection, incidentForm, joinIncidentChannel, tellIncident } from '../../src/services/incidents.ts';
import { storeCheckin } from '../support/checkins.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAnaAndBen, TEAM } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

const WED = new Date('2026-12-02T12:00:00Z');
const at = (iso: string) => new Date(iso);

// Incidents: a reflection is filed on the member's own incident only, the DM's button is found
// for that one only, and a private reflection reaches no mentor.
describe('incidents: ownership and privacy', () => {
  const d = useTestDatabase(joinAnaAndBen);
  let deps: Deps;
  let now = WED;
  beforeAll(async () => {
    deps = {
      now: () => now,
      logger: createLogger('silent'),
      rubrics: rubricFixture,
      config: { incidentChannelPattern: /^inc-/ },
    } as unknown as Deps;
  });
  beforeEach(async () => {
    now = WED;
    deps = { ...deps, db: d.db };
  });
  const told = async (userId: string, text: string) => {
    const t = await tellIncident(deps, d.db, { teamId: TEAM, userId, text });
    if (t.kind !== 'noted') throw new Error(t.kind);
    return t.participation;
  };
  const inChannel = async (userId: string, channel = 'C0INC1', name = 'inc-db') =>
    joinIncidentChannel(deps, d.db, { teamId: TEAM, userId, channel: { id: channel, name, isArchived: false } });
  let n = 0;
  const checkin = async (userId: string, o: { private?: boolean; at?: Date; text?: string } = {}) =>
    (
      await storeCheckin(d.db, {
        user_id: userId,
        text: o.text ?? 'what I learnt',
        private: o.private ?? false,
        idempotency_key: `k${++n}`,
        created_at: o.at ?? now,
      })
    ).checkin.id;
  const reflect = async (userId: string, incidentId: string, o: { private?: boolean; at?: Date; text?: string }) =>
    fileReflection(d.db, {
      incidentId,
      userId,
      checkinId: await checkin(userId, o),
      actionItem: null,
      at: o.at ?? now,
    });

  it('records what the member told: the link, the title, or the channel joined', async () => {
    const byLink = await told('UANA', 'https://status.example.com/incidents/42');
    const byTitle = await told('UANA', 'Checkout outage');
    expect(byLink).toMatchObject({
      userId: 'UANA',
      source: 'command',
      link: 'https://status.example.com/incidents/42',
    });
    expect(byTitle).toMatchObject({ source: 'command', link: null, title: 'Checkout outage', channelId: null });
    expect(await inChannel('UANA')).toEqual({ kind: 'recorded' });
    const rows = await d.db
      .selectFrom('incident_participations')
      .select(['source', 'title', 'channel_id', 'reported_at'])
      .where('source', '=', 'channel')
      .execute();
    expect(rows).toEqual([{ source: 'channel', title: '#inc-db', channel_id: 'C0INC1', reported_at: WED }]);
    // Someone who never joined growthbot is not recorded, however they ask.
    expect(
      await recordParticipation(d.db, { teamId: TEAM, userId: 'UNEW', key: 'title:x', source: 'command', at: now }),
    ).toBeUndefined();
  });

  it('a message in the channel moves only that member’s reflection on, and never back', async () => {
    await inChannel('UANA');
    await inChannel('UBEN');
    await inChannel('UANA', 'C0INC2', 'inc-dns');
    const later = at('2026-12-02T15:00:00Z');
    expect(await noteChannelMessage(d.db, TEAM, 'C0INC1', 'UANA', later)).toBe(1);
    // An older message arriving late changes nothing; the same instant neither.
    expect(await noteChannelMessage(d.db, TEAM, 'C0INC1', 'UANA', at('2026-12-02T14:00:00Z'))).toBe(0);
    expect(await noteChannelMessage(d.db, TEAM, 'C0INC1', 'UANA', later)).toBe(0);
    const rows = await d.db
      .selectFrom('incident_participations')
      .select(['user_id', 'channel_id', 'last_message_at'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { user_id: 'UANA', channel_id: 'C0INC1', last_message_at: later },
      { user_id: 'UBEN', channel_id: 'C0INC1', last_message_at: null },
      { user_id: 'UANA', channel_id: 'C0INC2', last_message_at: null },
    ]);
  });

  it('a button carrying a tampered incident id finds nothing; the job loads only real ids', async () => {
    const ana = await told('UANA', 'DNS outage');
    // An id of two digits, so a check that took one digit only would refuse the real one.
    await sql`update incident_participations set id = 12 where id = ${ana.id}`.execute(d.db);
    expect(await ownParticipation(d.db, '12', 'UANA')).toMatchObject({ id: '12', title: 'DNS outage' });
    expect(await ownParticipation(d.db, '12', 'UBEN')).toBeUndefined();
    for (const id of ['x12', '12x', '1 2']) expect(await ownParticipation(d.db, id, 'UANA')).toBeUndefined();
    const loaded = await participationsByIds(d.db, ['12', 'x12', '12x', '99']);
    expect([...loaded.keys()]).toEqual(['12']);
    expect(loaded.get('12')).toMatchObject({ userId: 'UANA', title: 'DNS outage' });
    expect(await participationsByIds(d.db, ['x'])).toEqual(new Map());
    expect(await participationsByIds(d.db, [])).toEqual(new Map());
  });

  it('the reflection DM whose button settles is the member’s sent one about that incident only', async () => {
    const ana = await told('UANA', 'DNS outage');
    const other = await told('UANA', 'Checkout outage');
    const ben = await told('UBEN', 'DNS outage');
    const delivery = (
      userId: string,
      kind: 'reflection' | 'follow_up',
      ref: string,
      status: 'sent' | 'claimed',
      ts: string,
    ) => ({
      team_id: TEAM,
      user_id: userId,
      kind,
      week: 'once',
      ref,
      status,
      channel: `D0${userId}`,
      message_ts: ts,
      claimed_at: now,
    });
    await d.db
      .insertInto('deliveries')
      .values([
        delivery('UANA', 'follow_up', `incident:${ana.id}`, 'sent', '1.1'),
        delivery('UANA', 'reflection', `incident:${other.id}`, 'sent', '2.2'),
        delivery('UBEN', 'reflection', `incident:${ben.id}`, 'sent', '3.3'),
      ])
      .execute();
    expect(await reflectionDm(d.db, ana)).toBeUndefined();
    await d.db
      .insertInto('deliveries')
      .values(delivery('UANA', 'reflection', `incident:${ana.id}`, 'claimed', '4.4'))
      .execute();
    expect(await reflectionDm(d.db, ana)).toBeUndefined();
    await d.db.updateTable('deliveries').set({ status: 'sent' }).where('message_ts', '=', '4.4').execute();
    expect(await reflectionDm(d.db, ana)).toEqual({ channel: 'D0UANA', messageTs: '4.4' });
    expect(await reflectionDm(d.db, ben)).toEqual({ channel: 'D0UBEN', messageTs: '3.3' });
  });

  it('the digest quotes the shared reflections since last week, oldest first; a private one reaches no mentor', async () => {
    const ana = await told('UANA', 'DNS outage');
    const ana2 = await told('UANA', 'Checkout outage');
    const ana3 = await told('UANA', 'Queue backlog');
    const ben = await told('UBEN', 'DNS outage');
    await reflect('UANA', ana.id, { at: at('2026-12-03T10:00:00Z'), text: 'TTLs matter' });
    await reflect('UANA', ana2.id, { at: at('2026-12-04T10:00:00Z'), text: 'SECRET of mine', private: true });
    await reflect('UANA', ana3.id, { at: at('2026-11-20T10:00:00Z'), text: 'long ago' });
    await reflect('UBEN', ben.id, { at: at('2026-12-02T13:00:00Z'), text: 'Ben learnt' });
    // Anna's private reflection exists: it is filed on her incident.
    expect(await ownParticipation(d.db, ana2.id, 'UANA')).toMatchObject({ reflectedAt: expect.any(Date) });
    const seen = await reflectionsSince(
      d.db,
      [
        { teamId: TEAM, userId: 'UANA' },
        { teamId: TEAM, userId: 'UBEN' },
      ],
      at('2026-11-27T00:00:00Z'),
    );
    expect(seen).toEqual([
      {
        teamId: TEAM,
        userId: 'UBEN',
        title: 'DNS outage',
        link: null,
        channelId: null,
        text: 'Ben learnt',
        createdAt: at('2026-12-02T13:00:00Z'),
      },
      expect.objectContaining({ userId: 'UANA', title: 'DNS outage', text: 'TTLs matter' }),
    ]);
    expect(await reflectionsSince(d.db, [], at('2026-11-27T00:00:00Z'))).toEqual([]);
  });

  it('with no incident channel pattern no channel counts; a channel without a name never does', async () => {
    const join = (d2: Deps, name: string | undefined) =>
      joinIncidentChannel(d2, d.db, {
        teamId: TEAM,
        userId: 'UANA',
        channel: { id: 'C0INC9', name, isArchived: false },
      });
    expect(await join({ ...deps, config: { incidentChannelPattern: undefined } } as unknown as Deps, 'inc-db')).toEqual(
      {
        kind: 'not-incident',
      },
    );
    // A pattern matching any name still needs a name to match.
    const any = { ...deps, config: { incidentChannelPattern: /./ } } as unknown as Deps;
    expect(await join(any, undefined)).toEqual({ kind: 'not-incident' });
    expect(await d.db.selectFrom('incident_participations').select('id').execute()).toEqual([]);
    expect(await join(any, 'general')).toEqual({ kind: 'recorded' });
  });

  it('the follow-up’s button asks the follow-up’s questions, even before any reflection', async () => {
    const ana = await told('UANA', 'DNS outage');
    const form = (what: 'reflect' | 'follow-up') =>
      incidentForm(deps, d.db, { userId: 'UANA', participationId: ana.id, what });
    expect(await form('reflect')).toMatchObject({ kind: 'form', reflecting: true });
    expect(await form('follow-up')).toMatchObject({ kind: 'form', reflecting: false });
  });
});
