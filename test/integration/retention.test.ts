// RETENTION_DAYS on real Postgres: what is older goes, what is newer stays, members stay, and
// the log says how many rows of each kind, never what anyone wrote.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeDeps } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/create-db.ts';
import { createDb } from '../../src/db/create-db.ts';
import { removeMember } from '../../src/db/members.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Deps } from '../../src/deps.ts';
import { runRetention } from '../../src/jobs/retention.ts';
import { createLogger } from '../../src/logger.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { createTestDatabase, truncateAll } from '../support/db.ts';
import { join, TEAM } from '../support/members.ts';

const NOW = new Date('2026-12-07T03:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 24 * 3600 * 1000);
const SECRET_WORDS = 'the payments outage still scares me';
/** The focus each history has: Q2 ended 159 days before NOW, Q1 250; Q4 is NOW's. */
const QUARTER: Record<string, string> = { '10': '2026-Q2', '11': '2026-Q1', '40': '2026-Q4' };

/** One of each kind of history, written `age` days ago; `tag` keeps their keys apart. */
async function history(db: Db, tag: string, age: number): Promise<void> {
  const at = daysAgo(age);
  const nudge = await db
    .insertInto('nudges')
    .values({
      team_id: TEAM,
      user_id: 'U1',
      week: `2026-W${tag}`,
      level: 'mid',
      competency_id: 'obs',
      prompt_id: `p-${tag}`,
      prompt_text: 'What did you learn?',
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('deliveries')
    .values({ team_id: TEAM, user_id: 'U1', kind: 'prompt', week: `2026-W${tag}`, nudge_id: nudge.id, claimed_at: at })
    .execute();
  await db
    .insertInto('deliveries')
    .values({ team_id: TEAM, user_id: 'U2', kind: 'digest', week: `2026-W${tag}`, claimed_at: at })
    .execute();
  const checkin = (key: string) =>
    db
      .insertInto('checkins')
      .values({
        team_id: TEAM,
        user_id: 'U1',
        text: SECRET_WORDS,
        source: 'command',
        idempotency_key: `${tag}-${key}`,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const plain = await checkin('plain');
  await db
    .insertInto('replies')
    .values({
      team_id: TEAM,
      user_id: 'U1',
      mentor_id: 'U2',
      from_mentor: true,
      text: SECRET_WORDS,
      idempotency_key: `reply-${tag}`,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('kudos')
    .values({ checkin_id: plain.id, team_id: TEAM, user_id: 'U1', mentor_id: 'U2', created_at: at })
    .execute();
  await db
    .insertInto('help_requests')
    .values({ checkin_id: plain.id, team_id: TEAM, user_id: 'U1', offered_by: 'U2', offered_at: at })
    .execute();
  const oneOnOne = await db
    .insertInto('one_on_ones')
    .values({
      team_id: TEAM,
      mentor_id: 'U2',
      mentee_id: 'U1',
      weekday: 4,
      minute: 600,
      every_weeks: 1,
      anchor_week: '2026-W01',
      created_by: 'U1',
    })
    .onConflict((oc) => oc.columns(['team_id', 'mentee_id']).doUpdateSet({ created_by: 'U1' }))
    .returning('id')
    .executeTakeFirstOrThrow();
  // A typed item of that age, and the check-in added yesterday: it goes with its check-in.
  await db
    .insertInto('agenda_items')
    .values([
      { team_id: TEAM, one_on_one_id: oneOnOne.id, user_id: 'U2', text: SECRET_WORDS, created_at: at },
      { team_id: TEAM, one_on_one_id: oneOnOne.id, user_id: 'U1', checkin_id: plain.id, created_at: daysAgo(1) },
    ])
    .execute();
  await db
    .insertInto('focus_areas')
    .values({
      team_id: TEAM,
      user_id: 'U1',
      quarter: QUARTER[tag]!,
      competency_ids: '["obs"]',
      created_at: at,
      updated_at: at,
    })
    .execute();
  const retroCheckin = await checkin('retro');
  const reflection = await checkin('reflection');
  const feed = await db
    .insertInto('oncall_feeds')
    .values({
      team_id: TEAM,
      kind: 'schedule',
      owner_id: null,
      url: `https://cal.example/${tag}`,
      url_masked: 'x',
      created_by: 'U1',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const shift = await db
    .insertInto('oncall_shifts')
    .values({
      team_id: TEAM,
      user_id: 'U1',
      feed_id: feed.id,
      uid: `s-${tag}`,
      starts_at: daysAgo(age + 7),
      ends_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('oncall_retros')
    .values({
      team_id: TEAM,
      user_id: 'U1',
      shift_id: shift.id,
      shift_starts_at: daysAgo(age + 7),
      shift_ends_at: at,
      checkin_id: retroCheckin.id,
      pages: 3,
      actionable: 1,
      toil_hours: 2,
      alert_to_fix: SECRET_WORDS,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('incident_participations')
    .values({
      team_id: TEAM,
      user_id: 'U1',
      incident_key: `inc-${tag}`,
      source: 'command',
      title: SECRET_WORDS,
      action_item: SECRET_WORDS,
      checkin_id: reflection.id,
      reported_at: at,
    })
    .execute();
}

async function counts(db: Db) {
  const n = async (
    table:
      | 'checkins'
      | 'oncall_retros'
      | 'incident_participations'
      | 'nudges'
      | 'deliveries'
      | 'oncall_shifts'
      | 'replies'
      | 'kudos'
      | 'help_requests'
      | 'focus_areas'
      | 'agenda_items'
      | 'members',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    checkins: await n('checkins'),
    retros: await n('oncall_retros'),
    reflections: await n('incident_participations'),
    prompts: await n('nudges'),
    deliveries: await n('deliveries'),
    shifts: await n('oncall_shifts'),
    replies: await n('replies'),
    kudos: await n('kudos'),
    helpRequests: await n('help_requests'),
    focusAreas: await n('focus_areas'),
    agendaItems: await n('agenda_items'),
    members: await n('members'),
  };
}

/** Real Postgres, and the embedded PGlite a trial runs on. */
async function open(kind: 'postgres' | 'pglite'): Promise<{ db: Db; url: string; close(): Promise<void> }> {
  if (kind === 'postgres') return createTestDatabase();
  const dir = await mkdtemp(joinPath(tmpdir(), 'retention-'));
  const handle = await createDb({ databaseUrl: undefined, dataDir: joinPath(dir, 'db') });
  await migrateToLatest(handle.db);
  return {
    db: handle.db,
    url: '',
    close: async () => (await handle.close(), await rm(dir, { recursive: true, force: true })),
  };
}

describe.each(['postgres', 'pglite'] as const)('retention on %s', (kind) => {
  let d: { db: Db; url: string; close(): Promise<void> };
  const lines: string[] = [];
  const depsWith = async (env: Record<string, string>): Promise<Deps> => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', DATABASE_URL: d.url, ...env });
    const sink = new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) });
    return makeDeps({
      config,
      logger: createLogger('info', sink),
      db: d.db,
      rubrics: await loadRubrics(config.rubricsDir),
    });
  };

  beforeAll(async () => {
    d = await open(kind);
  }, 60_000);
  afterAll(async () => d?.close());
  beforeEach(async () => {
    lines.length = 0;
    await truncateAll(d.db);
    await join(d.db, 'U1', 'mid', 'UTC');
    await join(d.db, 'U2', 'senior', 'UTC');
    await history(d.db, '10', 120); // older than 90 days
    await history(d.db, '40', 20); // newer
  });

  it('with RETENTION_DAYS=90 deletes each kind older than 90 days, keeps the newer and the members', async () => {
    // A focus last changed 120 days ago whose quarter ended 67 days ago stays.
    await d.db
      .insertInto('focus_areas')
      .values({
        team_id: TEAM,
        user_id: 'U1',
        quarter: '2026-Q3',
        competency_ids: '[]',
        created_at: daysAgo(120),
        updated_at: daysAgo(120),
      })
      .execute();
    const before = await counts(d.db);
    expect(before).toEqual({
      checkins: 6,
      retros: 2,
      reflections: 2,
      prompts: 2,
      deliveries: 4,
      shifts: 2,
      replies: 2,
      kudos: 2,
      helpRequests: 2,
      focusAreas: 3,
      agendaItems: 4,
      members: 2,
    });
    const report = await runRetention(await depsWith({ RETENTION_DAYS: '90' }), NOW);
    const deleted = {
      checkins: 3,
      retros: 1,
      reflections: 1,
      prompts: 1,
      deliveries: 2,
      shifts: 1,
      replies: 1,
      kudos: 1,
      helpRequests: 1,
      focusAreas: 1,
      agendaItems: 2,
    };
    expect(report).toMatchObject({ retentionDays: 90, deleted });
    expect(await counts(d.db)).toEqual({
      checkins: 3,
      retros: 1,
      reflections: 1,
      prompts: 1,
      deliveries: 2,
      shifts: 1,
      replies: 1,
      kudos: 1,
      helpRequests: 1,
      focusAreas: 2,
      agendaItems: 2,
      members: 2,
    });
    const focusLeft = await d.db.selectFrom('focus_areas').select('quarter').orderBy('quarter').execute();
    expect(focusLeft.map((f) => f.quarter)).toEqual(['2026-Q3', '2026-Q4']);
    const itemsLeft = await d.db.selectFrom('agenda_items').select(['text', 'checkin_id']).execute();
    expect(itemsLeft).toHaveLength(2);
    const left = await d.db.selectFrom('checkins').select('created_at').execute();
    expect(left.every((c) => c.created_at > daysAgo(90))).toBe(true);
    const replyLeft = await d.db.selectFrom('replies').select('created_at').execute();
    expect(replyLeft.map((r) => r.created_at)).toEqual([daysAgo(20)]);
    const kudosLeft = await d.db.selectFrom('kudos').select('created_at').execute();
    expect(kudosLeft.map((k) => k.created_at)).toEqual([daysAgo(20)]);
    const requestLeft = await d.db.selectFrom('help_requests').select('offered_at').execute();
    expect(requestLeft.map((r) => r.offered_at)).toEqual([daysAgo(20)]);

    const logged = lines.join('');
    expect(logged).toContain(
      '"deleted":{"checkins":3,"retros":1,"reflections":1,"prompts":1,"deliveries":2,"shifts":1,"replies":1,"kudos":1,"helpRequests":1,"focusAreas":1,"agendaItems":2,"leavers":0,"leaverMentorships":0,"leaverRows":0}',
    );
    expect(logged).not.toContain(SECRET_WORDS);
  });

  it('forgets a leaver who left before the cutoff with their mentorships and newer history; a recent leaver and current members stay', async () => {
    await join(d.db, 'U3', 'senior', 'UTC', daysAgo(400));
    await join(d.db, 'U4', 'mid', 'UTC', daysAgo(400));
    const pair = (mentor: string, mentee: string) => ({
      team_id: TEAM,
      mentor_id: mentor,
      mentee_id: mentee,
      started_at: daysAgo(300),
    });
    // U3 mentored U1 and was mentored by U2; U4 was mentored by U2.
    await d.db
      .insertInto('mentorships')
      .values([pair('U3', 'U1'), pair('U2', 'U3'), pair('U2', 'U4')])
      .execute();
    await d.db
      .insertInto('checkins')
      .values({ team_id: TEAM, user_id: 'U3', text: SECRET_WORDS, source: 'command', idempotency_key: 'u3-late' })
      .execute();
    await removeMember(d.db, TEAM, 'U3', daysAgo(100));
    await removeMember(d.db, TEAM, 'U4', daysAgo(10));
    const people = () => d.db.selectFrom('members').select(['user_id', 'status']).orderBy('user_id').execute();
    const mentorships = () =>
      d.db
        .selectFrom('mentorships')
        .select(['mentor_id', 'mentee_id'])
        .orderBy('mentor_id')
        .orderBy('mentee_id')
        .execute();
    expect(await people()).toEqual([
      { user_id: 'U1', status: 'active' },
      { user_id: 'U2', status: 'active' },
      { user_id: 'U3', status: 'left' },
      { user_id: 'U4', status: 'left' },
    ]);
    expect(await mentorships()).toHaveLength(3);
    expect(await d.db.selectFrom('checkins').select('id').where('user_id', '=', 'U3').execute()).toHaveLength(1);

    const report = await runRetention(await depsWith({ RETENTION_DAYS: '90' }), NOW);

    expect(report).toMatchObject({ deleted: { leavers: 1, leaverMentorships: 2, checkins: 3 } });
    expect(await people()).toEqual([
      { user_id: 'U1', status: 'active' },
      { user_id: 'U2', status: 'active' },
      { user_id: 'U4', status: 'left' },
    ]);
    expect(await mentorships()).toEqual([{ mentor_id: 'U2', mentee_id: 'U4' }]);
    expect(await d.db.selectFrom('checkins').select('id').where('user_id', '=', 'U3').execute()).toEqual([]);
    expect(lines.join('')).toContain('"leavers":1,"leaverMentorships":2');
    expect(lines.join('')).not.toContain(SECRET_WORDS);
  });

  it('runs once a day: a second tick the same day deletes nothing more and says why', async () => {
    const deps = await depsWith({ RETENTION_DAYS: '90' });
    await runRetention(deps, NOW);
    await history(d.db, '11', 100);
    expect(await runRetention(deps, new Date(NOW.getTime() + 3600_000))).toEqual({
      skipped: 'already ran today (2026-12-07)',
    });
    expect((await counts(d.db)).checkins).toBe(6);
    expect(await runRetention(deps, new Date(NOW.getTime() + 24 * 3600_000))).toMatchObject({
      deleted: { checkins: 3 },
    });
  });

  it('unset keeps everything', async () => {
    const before = await counts(d.db);
    expect(await runRetention(await depsWith({}), NOW)).toEqual({
      skipped: 'RETENTION_DAYS is unset: everything is kept',
    });
    expect(await counts(d.db)).toEqual(before);
  });

  it('refuses fewer than 30 days, naming RETENTION_DAYS (an older week could otherwise be sent again)', async () => {
    await expect(depsWith({ RETENTION_DAYS: '7' })).rejects.toThrow(/RETENTION_DAYS .*30/);
  });
});
