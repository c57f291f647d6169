// Everything stored about one person, row by row: the export (`/growth data export`) holds all of
// it and nothing of anyone else, in order, without a feed's secret address; forget-me removes all
// of it (on both sides of a mentorship, a reply, a kudos, a 1:1) and says how much, and leaves
// what belongs to others (their rows, their help requests and focus, a notice that their mentor
// left). Someone else in the team, and the same user id in another team, are seeded alike.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/create-db.ts';
import { forgetLeaversBefore, forgetPerson, personData } from '../../src/db/person-data.ts';
import { useTestDatabase } from '../support/db.ts';
import { OTHER_TEAM as OTHER, TEAM } from '../support/members.ts';

const now = new Date('2026-12-08T10:00:00Z');
const at = (d: number) => new Date(Date.UTC(2026, 10, d, 9));

/** The tables person-data reads and deletes, with the columns that name a person. */
const PEOPLE_COLUMNS: Record<string, string[]> = {
  members: ['user_id'],
  mentorships: ['mentor_id', 'mentee_id'],
  nudges: ['user_id'],
  checkins: ['user_id'],
  deliveries: ['user_id'],
  incident_participations: ['user_id'],
  oncall_feeds: ['owner_id', 'created_by'],
  oncall_shifts: ['user_id'],
  oncall_retros: ['user_id'],
  withdrawn_dm_messages: ['user_id'],
  replies: ['user_id', 'mentor_id'],
  kudos: ['user_id', 'mentor_id'],
  help_requests: ['user_id', 'offered_by', 'resolved_by'],
  focus_areas: ['user_id', 'mentor_id'],
  one_on_ones: ['mentor_id', 'mentee_id'],
  agenda_items: ['user_id'],
};

type Seeded = Awaited<ReturnType<typeof seedPerson>>;

/**
 * One person's rows in every table, in `team`, with `mo` as their mentor and `cy` as their
 * mentee, and `ben` a bystander with rows of his own (and a schedule feed that names `ana`).
 */
async function seedPerson(db: Db, team: string, ana = 'UANA') {
  const [mo, cy, ben] = ['UMO', 'UCY', 'UBEN'];
  for (const u of [ana, mo, cy, ben])
    await db
      .insertInto('members')
      .values({
        team_id: team,
        user_id: u,
        level: 'junior',
        display_name: u === ana ? 'Ana Lopez' : `${u} name`,
        tz: 'UTC',
        joined_at: at(1),
        updated_at: at(1),
      })
      .execute();
  const mentorship = async (mentor: string, mentee: string) =>
    (
      await db
        .insertInto('mentorships')
        .values({ team_id: team, mentor_id: mentor, mentee_id: mentee, started_at: at(1) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const asMentee = await mentorship(mo, ana);
  const asMentor = await mentorship(ana, cy);
  await mentorship(mo, ben);
  const nudge = async (user: string, week: string) =>
    (
      await db
        .insertInto('nudges')
        .values({
          team_id: team,
          user_id: user,
          week,
          level: 'junior',
          competency_id: 'c1',
          prompt_id: 'p1',
          prompt_text: 'Tell us',
          updated_at: at(2),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  // Inserted later week first: the export orders them by week.
  const w48 = await nudge(ana, '2026-W48');
  await nudge(ana, '2026-W47');
  await nudge(ben, '2026-W48');
  const checkin = async (user: string, key: string, day: number, o: { help?: boolean } = {}) =>
    (
      await db
        .insertInto('checkins')
        .values({
          team_id: team,
          user_id: user,
          text: `${key} text`,
          needs_help: o.help ?? false,
          source: 'command',
          idempotency_key: `${team}-${key}`,
          created_at: at(day),
          updated_at: at(day),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  // Newer first: the export orders them by time.
  const anaLater = await checkin(ana, 'ana-later', 6, { help: true });
  const anaEarlier = await checkin(ana, 'ana-earlier', 3);
  const cyHelp = await checkin(cy, 'cy-help', 4, { help: true });
  const benCheckin = await checkin(ben, 'ben', 4, { help: true });
  await db
    .insertInto('deliveries')
    .values([
      { team_id: team, user_id: ana, kind: 'prompt', week: '2026-W48', nudge_id: w48, claimed_at: at(2) },
      { team_id: team, user_id: ben, kind: 'prompt', week: '2026-W48', claimed_at: at(2) },
    ])
    .execute();
  await db
    .insertInto('incident_participations')
    .values(
      [ana, ben].map((u) => ({
        team_id: team,
        user_id: u,
        incident_key: `inc-${u}`,
        source: 'command' as const,
        reported_at: at(3),
      })),
    )
    .execute();
  const feed = async (kind: 'member' | 'schedule', owner: string | null, createdBy: string, unmatched: string[] = []) =>
    (
      await db
        .insertInto('oncall_feeds')
        .values({
          team_id: team,
          kind,
          owner_id: owner,
          url: `https://calendar.example/secret-token-${kind}-${createdBy}.ics`,
          url_masked: `https://calendar.example/…${kind}-${createdBy}`,
          unmatched: JSON.stringify(unmatched),
          created_by: createdBy,
          updated_at: at(2),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const anaFeed = await feed('member', ana, ana);
  const anaSchedule = await feed('schedule', null, ana);
  const benSchedule = await feed('schedule', null, ben, ['ANA LOPEZ', 'ana@example.com', 'Someone Else']);
  await feed('member', ben, ben);
  const shift = async (user: string, feedId: string, uid: string) =>
    (
      await db
        .insertInto('oncall_shifts')
        .values({
          team_id: team,
          user_id: user,
          feed_id: feedId,
          uid,
          starts_at: at(4),
          ends_at: at(5),
          updated_at: at(2),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const anaShift = await shift(ana, benSchedule, 'a1');
  await shift(ben, benSchedule, 'b1');
  await db
    .insertInto('oncall_retros')
    .values(
      [ana, ben].map((u) => ({
        team_id: team,
        user_id: u,
        shift_id: u === ana ? anaShift : null,
        shift_starts_at: at(4),
        shift_ends_at: at(5),
        checkin_id: u === ana ? anaEarlier : benCheckin,
        pages: 2,
        actionable: 1,
        toil_hours: 1,
      })),
    )
    .execute();
  await db
    .insertInto('withdrawn_dm_messages')
    .values([ana, ben].map((u) => ({ team_id: team, user_id: u, channel: `D-${u}`, ts: '1.2', withdrawn_at: at(5) })))
    .execute();
  const reply = (user: string, mentor: string, text: string) => ({
    team_id: team,
    user_id: user,
    mentor_id: mentor,
    from_mentor: true,
    text,
    idempotency_key: `${team}-${text}`,
    created_at: at(6),
  });
  await db
    .insertInto('replies')
    .values([reply(ana, mo, 'to ana'), reply(cy, ana, 'from ana'), reply(ben, mo, 'to ben')])
    .execute();
  await db
    .insertInto('kudos')
    .values([
      { checkin_id: anaLater, team_id: team, user_id: ana, mentor_id: mo, created_at: at(7) },
      { checkin_id: cyHelp, team_id: team, user_id: cy, mentor_id: ana, created_at: at(6) },
      { checkin_id: benCheckin, team_id: team, user_id: ben, mentor_id: mo, created_at: at(6) },
    ])
    .execute();
  await db
    .insertInto('help_requests')
    .values([
      { checkin_id: anaLater, team_id: team, user_id: ana, offered_by: mo, offered_at: at(7) },
      {
        checkin_id: cyHelp,
        team_id: team,
        user_id: cy,
        offered_by: ana,
        offered_at: at(7),
        resolved_by: ana,
        resolved_at: at(8),
      },
      { checkin_id: benCheckin, team_id: team, user_id: ben, offered_by: mo, offered_at: at(7) },
    ])
    .execute();
  await db
    .insertInto('focus_areas')
    .values([
      {
        team_id: team,
        user_id: ana,
        quarter: '2026-Q4',
        competency_ids: '["c1"]',
        status: 'agreed',
        mentor_id: mo,
        updated_at: at(2),
      },
      {
        team_id: team,
        user_id: cy,
        quarter: '2026-Q4',
        competency_ids: '["c2"]',
        status: 'agreed',
        mentor_id: ana,
        updated_at: at(2),
      },
      {
        team_id: team,
        user_id: ben,
        quarter: '2026-Q4',
        competency_ids: '["c3"]',
        status: 'chosen',
        updated_at: at(2),
      },
    ])
    .execute();
  const pair = async (mentor: string, mentee: string, weekday: 1 | 2 | 3) =>
    (
      await db
        .insertInto('one_on_ones')
        .values({
          team_id: team,
          mentor_id: mentor,
          mentee_id: mentee,
          weekday,
          minute: 600,
          every_weeks: 1,
          anchor_week: '2026-W48',
          created_by: mentor,
          updated_at: at(2),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const withMo = await pair(mo, ana, 1);
  await pair(ana, cy, 2);
  const benPair = await pair(mo, ben, 3);
  await db
    .insertInto('agenda_items')
    .values([
      { team_id: team, one_on_one_id: withMo, user_id: ana, text: 'ana adds', checkin_id: null },
      { team_id: team, one_on_one_id: withMo, user_id: ana, text: null, checkin_id: anaEarlier },
      { team_id: team, one_on_one_id: benPair, user_id: ben, text: 'ben adds', checkin_id: null },
    ])
    .execute();
  return { asMentee, asMentor, anaFeed, anaSchedule, benSchedule, anaLater, anaEarlier, cyHelp, anaShift };
}

/** How many rows of each table name the person, in the team. */
async function rowsNaming(db: Db, team: string, user: string) {
  const out: Record<string, number> = {};
  for (const [table, columns] of Object.entries(PEOPLE_COLUMNS)) {
    const r = await db
      .selectFrom(table as 'members')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('team_id', '=', team)
      .where((eb) => eb.or(columns.map((c) => eb(c as 'user_id', '=', user))))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

describe('person data: export and forget-me', () => {
  const d = useTestDatabase();
  let s: Seeded;
  beforeEach(async () => {
    for (const t of ['withdrawn_dm_messages', 'focus_areas', 'agenda_items', 'one_on_ones'] as const)
      await d.db.deleteFrom(t).execute();
    s = await seedPerson(d.db, TEAM);
    await seedPerson(d.db, OTHER);
  });

  it('the export holds each of their rows, in order, and nothing of anyone else', async () => {
    const x = await personData(d.db, TEAM, 'UANA', ['ana@example.com']);
    expect(x.member).toMatchObject({ team_id: TEAM, user_id: 'UANA', display_name: 'Ana Lopez' });
    expect(x.mentorships.map((m) => [m.id, m.mentor_id, m.mentee_id])).toEqual([
      [s.asMentee, 'UMO', 'UANA'],
      [s.asMentor, 'UANA', 'UCY'],
    ]);
    expect(x.nudges.map((n) => n.week)).toEqual(['2026-W47', '2026-W48']);
    expect(x.checkins.map((c) => c.text)).toEqual(['ana-earlier text', 'ana-later text']);
    expect(x.deliveries.map((r) => [r.user_id, r.kind])).toEqual([['UANA', 'prompt']]);
    expect(x.incidents.map((i) => i.incident_key)).toEqual(['inc-UANA']);
    // Their own feed and the schedule feed they added, each without its address (a secret token).
    expect(x.oncall_feeds.map((f) => [f.id, f.kind, f.url_masked])).toEqual([
      [s.anaFeed, 'member', 'https://calendar.example/…member-UANA'],
    ]);
    expect(x.schedule_feeds_added.map((f) => [f.id, f.kind, f.created_by])).toEqual([
      [s.anaSchedule, 'schedule', 'UANA'],
    ]);
    for (const f of [...x.oncall_feeds, ...x.schedule_feeds_added]) expect(f).not.toHaveProperty('url');
    expect(x.oncall_shifts.map((r) => r.id)).toEqual([s.anaShift]);
    expect(x.retros.map((r) => [r.user_id, r.checkin_id])).toEqual([['UANA', s.anaEarlier]]);
    // Names of theirs another's feed could not match: their display name and the e-mail given.
    expect(x.unmatched_names).toEqual([{ feed_id: s.benSchedule, names: ['ANA LOPEZ', 'ana@example.com'] }]);
    expect(x.withdrawn_dm_messages).toEqual([{ channel: 'D-UANA', ts: '1.2', withdrawn_at: at(5) }]);
    expect(x.replies.map((r) => r.text)).toEqual(['to ana', 'from ana']);
    // Kudos by time: the one Ana gave (6th) before the one she got (7th).
    expect(x.kudos.map((k) => [k.user_id, k.mentor_id])).toEqual([
      ['UCY', 'UANA'],
      ['UANA', 'UMO'],
    ]);
    expect(x.help_requests.map((h) => [h.checkin_id, h.offered_by])).toEqual([[s.anaLater, 'UMO']]);
    expect(x.focus_areas.map((f) => [f.quarter, f.status])).toEqual([['2026-Q4', 'agreed']]);
    expect(x.focus_answered).toEqual([{ user_id: 'UCY', quarter: '2026-Q4', status: 'agreed' }]);
    expect(x.one_on_ones).toEqual([
      { mentor_id: 'UMO', mentee_id: 'UANA', weekday: 1, minute: 600, every_weeks: 1 },
      { mentor_id: 'UANA', mentee_id: 'UCY', weekday: 2, minute: 600, every_weeks: 1 },
    ]);
    expect(x.agenda_items.map((a) => [a.text, a.checkin_id])).toEqual([
      ['ana adds', null],
      [null, s.anaEarlier],
    ]);
    // What must not be in it exists: Ben's rows in every table, the same id in another team, feed addresses.
    expect(Object.entries(await rowsNaming(d.db, TEAM, 'UBEN')).filter(([, n]) => n === 0)).toEqual([]);
    expect((await rowsNaming(d.db, OTHER, 'UANA')).checkins).toBe(2);
    expect((await d.db.selectFrom('oncall_feeds').select('url').execute()).map((f) => f.url)).toContain(
      'https://calendar.example/secret-token-member-UANA.ics',
    );
    const all = JSON.stringify(x);
    expect(all).not.toContain('secret-token');
    expect(all).not.toContain('UBEN');
    expect(all).not.toContain(OTHER);
    expect(all).not.toContain('Someone Else');
  });

  it('without names given, the display name alone finds their unmatched names; someone unknown has nothing', async () => {
    expect((await personData(d.db, TEAM, 'UANA')).unmatched_names).toEqual([
      { feed_id: s.benSchedule, names: ['ANA LOPEZ'] },
    ]);
    const nobody = await personData(d.db, TEAM, 'UNOBODY');
    expect(nobody.member).toBeNull();
    expect(nobody.unmatched_names).toEqual([]);
    expect(Object.values(nobody).filter((v) => Array.isArray(v) && v.length)).toEqual([]);
  });

  it('forget-me removes every row of theirs, says how many of each, and leaves everyone else’s', async () => {
    const before = await rowsNaming(d.db, TEAM, 'UANA');
    expect(Object.values(before).every((n) => n > 0)).toBe(true);
    const benBefore = await rowsNaming(d.db, TEAM, 'UBEN');
    const otherBefore = await rowsNaming(d.db, OTHER, 'UANA');

    const counts = await forgetPerson(d.db, TEAM, 'UANA', { now, names: ['ana@example.com'] });
    expect(counts).toEqual({
      unmatched_names: 2,
      oncall_shifts: 1,
      oncall_feeds: 2,
      replies: 2,
      kudos: 2,
      help_requests: 1,
      deliveries: 1,
      focus_areas: 1,
      agenda_items: 2,
      one_on_ones: 2,
      focus_answered: 1,
      incident_participations: 1,
      oncall_retros: 1,
      checkins: 2,
      nudges: 2,
      mentorships: 2,
      members: 1,
    });
    const after = await rowsNaming(d.db, TEAM, 'UANA');
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    // Everyone else's rows stay: Ben's, and the same id in another team.
    const benAfter = await rowsNaming(d.db, TEAM, 'UBEN');
    expect(benAfter).toEqual(benBefore);
    expect(await rowsNaming(d.db, OTHER, 'UANA')).toEqual(otherBefore);
    // Ben's feed keeps the names that are not hers.
    const feed = await d.db
      .selectFrom('oncall_feeds')
      .select('unmatched')
      .where('id', '=', s.benSchedule)
      .executeTakeFirstOrThrow();
    expect(feed.unmatched).toEqual(['Someone Else']);
    // Cy's request stays, without her name; Cy's focus stays, without her as the mentor who agreed.
    expect(
      await d.db
        .selectFrom('help_requests')
        .select(['offered_by', 'resolved_by', 'resolved_at'])
        .where('checkin_id', '=', s.cyHelp)
        .execute(),
    ).toEqual([{ offered_by: null, resolved_by: null, resolved_at: at(8) }]);
    expect(
      await d.db
        .selectFrom('focus_areas')
        .select(['status', 'mentor_id'])
        .where('team_id', '=', TEAM)
        .where('user_id', '=', 'UCY')
        .execute(),
    ).toEqual([{ status: 'agreed', mentor_id: null }]);
    // Cy is still told her mentor left, by a notice that names only her.
    expect(
      await d.db
        .selectFrom('deliveries')
        .select(['user_id', 'ref'])
        .where('team_id', '=', TEAM)
        .where('kind', '=', 'mentor_left')
        .execute(),
    ).toEqual([{ user_id: 'UCY', ref: `forgotten:${s.asMentor}` }]);
  });

  it('forget-me of someone who left earlier still rewrites a notice not yet sent about them', async () => {
    // Left a month ago: the notice to Cy was claimed then and is not sent yet.
    await d.db
      .insertInto('deliveries')
      .values({
        team_id: TEAM,
        user_id: 'UCY',
        kind: 'mentor_left',
        week: 'once',
        ref: `mentorship:${s.asMentor}`,
        claimed_at: at(9),
      })
      .execute();
    await d.db
      .updateTable('members')
      .set({ status: 'left', left_at: at(9) })
      .where('team_id', '=', TEAM)
      .where('user_id', '=', 'UANA')
      .execute();
    await d.db
      .updateTable('mentorships')
      .set({ ended_at: at(9) })
      .where('team_id', '=', TEAM)
      .where('mentee_id', 'in', ['UANA', 'UCY'])
      .execute();
    const r = await forgetLeaversBefore(d.db, new Date('2026-11-20T00:00:00Z'));
    // One leaver, her two mentorships, and her other rows (the updates of others' rows not counted).
    expect(r).toEqual({ leavers: 1, leaverMentorships: 2, leaverRows: 20 });
    // (shifts 1, feeds 2, replies 2, kudos 2, help requests 1, deliveries 1, focus 1, agenda items 2,
    // 1:1s 2, incidents 1, retros 1, check-ins 2, prompts 2.)
    expect(Object.entries(await rowsNaming(d.db, TEAM, 'UANA')).filter(([, n]) => n > 0)).toEqual([]);
    expect(
      await d.db.selectFrom('deliveries').select(['user_id', 'ref']).where('kind', '=', 'mentor_left').execute(),
    ).toEqual([{ user_id: 'UCY', ref: `forgotten:${s.asMentor}` }]);
    // Nobody else had left: the same user id in the other team, and Ben, stay.
    expect(
      await d.db
        .selectFrom('members')
        .select('user_id')
        .where('team_id', '=', OTHER)
        .where('user_id', '=', 'UANA')
        .execute(),
    ).toHaveLength(1);
    expect((await rowsNaming(d.db, TEAM, 'UBEN')).members).toBe(1);
  });

  it('forgets no one who left after the cut-off, nor anyone still here', async () => {
    await d.db
      .updateTable('members')
      .set({ status: 'left', left_at: at(25) })
      .where('team_id', '=', TEAM)
      .where('user_id', '=', 'UANA')
      .execute();
    expect(await forgetLeaversBefore(d.db, new Date('2026-11-20T00:00:00Z'))).toEqual({
      leavers: 0,
      leaverMentorships: 0,
      leaverRows: 0,
    });
    expect((await rowsNaming(d.db, TEAM, 'UANA')).members).toBe(1);
  });
});
