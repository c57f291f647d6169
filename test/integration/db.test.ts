import { execFile } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recentCheckins, recordCheckin, recordCheckins } from '../../src/db/checkins.ts';
import { createDb, type DbHandle } from '../../src/db/create-db.ts';
import { DataDirLockedError } from '../../src/db/lock.ts';
import { ensurePerson, getMember, isJoined, joinMember, setLevel } from '../../src/db/members.ts';
import { currentMentorship, setMentor } from '../../src/db/mentorships.ts';
import { migrateDown, migrateToLatest, migrationsApplied } from '../../src/db/migrate.ts';
import { BACKENDS, truncateAll } from '../support/db.ts';

const T = 'T0TEST';
const now = new Date('2026-12-01T10:00:00Z');

async function tables(h: DbHandle): Promise<string[]> {
  const r = await sql<{
    table_name: string;
  }>`select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%' order by 1`.execute(
    h.db,
  );
  return r.rows.map((x) => x.table_name);
}

// The same tests on both backends the app supports: Postgres through pg, and embedded PGlite.
describe.each(BACKENDS)('database on %s', (_name, open) => {
  let h: DbHandle & { dir?: string };
  beforeAll(async () => {
    h = await open();
  }, 60_000);
  afterAll(async () => h?.close());
  beforeEach(async () => truncateAll(h.db));

  it('migrates down and up again', async () => {
    const all = [
      'agenda_items',
      'checkins',
      'deliveries',
      'focus_areas',
      'help_requests',
      'incident_participations',
      'kudos',
      'members',
      'mentorships',
      'nudges',
      'oncall_feeds',
      'oncall_retros',
      'oncall_shifts',
      'one_on_ones',
      'replies',
      'send_pace',
      'withdrawn_dm_messages',
    ];
    expect(await tables(h)).toEqual(all);
    expect(await migrationsApplied(h.db)).toBe(true);
    const reverted: string[] = [];
    while ((await tables(h)).length && reverted.length < 50) reverted.push(...(await migrateDown(h.db)));
    expect(await tables(h)).toEqual([]);
    expect(await migrationsApplied(h.db)).toBe(false);
    const applied = await migrateToLatest(h.db);
    expect(applied).toContain('applied 202612010900_initial');
    expect(applied).toContain('applied 202612021100_oncall_feeds');
    expect(applied).toContain('applied 202612021200_incidents');
    expect(applied).toContain('applied 202612021600_oncall_feeds_parsed_at');
    expect(applied).toHaveLength(reverted.length);
    expect(await tables(h)).toEqual(all);
  });

  it('joins, re-joins and tells a member from a person who only mentors', async () => {
    await joinMember(h.db, { teamId: T, userId: 'U1', level: 'junior', displayName: 'Ana', tz: 'Europe/Lisbon' }, now);
    await ensurePerson(h.db, { teamId: T, userId: 'U2', displayName: 'Mo', tz: 'UTC' }, now);
    expect(isJoined(await getMember(h.db, T, 'U1'))).toBe(true);
    expect(isJoined(await getMember(h.db, T, 'U2'))).toBe(false);
    // Joining later keeps the first join time; a person named as mentor can still join.
    const later = new Date('2026-12-08T10:00:00Z');
    await joinMember(h.db, { teamId: T, userId: 'U1', level: 'mid', displayName: 'Ana', tz: 'Europe/Lisbon' }, later);
    expect(await getMember(h.db, T, 'U1')).toMatchObject({ level: 'mid', joinedAt: now });
    await joinMember(h.db, { teamId: T, userId: 'U2', level: 'senior', displayName: 'Mo', tz: 'UTC' }, later);
    expect(isJoined(await getMember(h.db, T, 'U2'))).toBe(true);
    await setLevel(h.db, T, 'U2', 'staff', later);
    expect((await getMember(h.db, T, 'U2'))?.level).toBe('staff');
    // A second workspace is just another key.
    expect(await getMember(h.db, 'T0OTHER', 'U1')).toBeUndefined();
  });

  it('keeps mentorship history when the mentor changes', async () => {
    for (const u of ['U1', 'M1', 'M2'])
      await ensurePerson(h.db, { teamId: T, userId: u, displayName: u, tz: 'UTC' }, now);
    expect(await setMentor(h.db, T, 'U1', 'M1', now)).toEqual({ unchanged: false, previousMentorId: null });
    expect(await setMentor(h.db, T, 'U1', 'M1', now)).toEqual({ unchanged: true, previousMentorId: 'M1' });
    expect(await setMentor(h.db, T, 'U1', 'M2', new Date('2026-12-02T00:00:00Z'))).toEqual({
      unchanged: false,
      previousMentorId: 'M1',
    });
    expect((await currentMentorship(h.db, T, 'U1'))?.mentorId).toBe('M2');
    const all = await h.db.selectFrom('mentorships').select(['mentor_id', 'ended_at']).orderBy('id').execute();
    expect(all).toEqual([
      { mentor_id: 'M1', ended_at: new Date('2026-12-02T00:00:00Z') },
      { mentor_id: 'M2', ended_at: null },
    ]);
  });

  it('stores a check-in once per idempotency key and lists the newest first', async () => {
    await joinMember(h.db, { teamId: T, userId: 'U1', level: 'junior', displayName: null, tz: 'UTC' }, now);
    const base = {
      team_id: T,
      user_id: 'U1',
      competency_id: 'observability',
      competency_name: 'Observability',
      rating: 2,
      evidence_url: null,
      source: 'modal' as const,
      nudge_id: null,
    };
    const first = await recordCheckin(h.db, {
      ...base,
      text: 'first',
      idempotency_key: 'k1',
      created_at: now,
      updated_at: now,
    });
    const again = await recordCheckin(h.db, {
      ...base,
      text: 'first',
      idempotency_key: 'k1',
      created_at: now,
      updated_at: now,
    });
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, checkin: first.checkin });
    expect(typeof first.checkin.id).toBe('string'); // bigints come back as strings on both backends
    const later = new Date(now.getTime() + 60_000);
    await recordCheckin(h.db, { ...base, text: 'second', idempotency_key: 'k2', created_at: later, updated_at: later });
    expect((await recentCheckins(h.db, T, 'U1')).map((c) => c.text)).toEqual(['second', 'first']);
  });

  it('stores a batch of check-ins in order, once each, and one bad row does not sink the others', async () => {
    await joinMember(h.db, { teamId: T, userId: 'U1', level: 'junior', displayName: null, tz: 'UTC' }, now);
    const row = (key: string, text = key) => ({
      team_id: T,
      user_id: 'U1',
      competency_id: null,
      competency_name: null,
      text,
      rating: null,
      evidence_url: null,
      source: 'command' as const,
      nudge_id: null,
      idempotency_key: key,
      created_at: now,
      updated_at: now,
    });
    await recordCheckin(h.db, row('old'));
    const r = await recordCheckins(h.db, [row('a'), row('old'), row('b'), row('a')]);
    expect(r.map((x) => (x instanceof Error ? 'error' : [x.checkin.idempotencyKey, x.created]))).toEqual([
      ['a', true],
      ['old', false],
      ['b', true],
      ['a', false],
    ]);
    const bad = await recordCheckins(h.db, [row('c'), row('too-long', 'x'.repeat(3001)), row('d')]);
    expect(bad.map((x) => (x instanceof Error ? 'error' : x.created))).toEqual([true, 'error', true]);
    expect(
      (await h.db.selectFrom('checkins').select('idempotency_key').orderBy('idempotency_key').execute()).map(
        (c) => c.idempotency_key,
      ),
    ).toEqual(['a', 'b', 'c', 'd', 'old']);
  });

  it('refuses rows the rules forbid', async () => {
    await joinMember(h.db, { teamId: T, userId: 'U1', level: 'junior', displayName: null, tz: 'UTC' }, now);
    const base = {
      team_id: T,
      user_id: 'U1',
      competency_id: null,
      competency_name: null,
      rating: null,
      evidence_url: null,
      source: 'command' as const,
      nudge_id: null,
      created_at: now,
      updated_at: now,
    };
    await expect(recordCheckin(h.db, { ...base, text: 'x'.repeat(3001), idempotency_key: 'long' })).rejects.toThrow();
    await expect(recordCheckin(h.db, { ...base, text: 'ok', rating: 5, idempotency_key: 'r5' })).rejects.toThrow();
    await expect(
      recordCheckin(h.db, { ...base, user_id: 'U0NOBODY', text: 'ok', idempotency_key: 'fk' }),
    ).rejects.toThrow();
    await expect(setMentor(h.db, T, 'U1', 'U1', now)).rejects.toThrow();
  });

  it('lets a second process in only where that is safe: Postgres yes, the embedded database no', async () => {
    const env = {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-x',
      SLACK_SIGNING_SECRET: 's',
      ...(h.dir ? { DATA_DIR: h.dir, DATABASE_URL: '' } : { DATABASE_URL: (h as { url?: string }).url! }),
    };
    // Run without blocking this process: the lock's holder (this process) answers the one who asks.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate'], { env }, (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    if (h.dir) {
      await expect(createDb({ dataDir: h.dir })).rejects.toBeInstanceOf(DataDirLockedError);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`already in use by process ${process.pid}`);
      expect(r.stderr).toContain('DATABASE_URL');
    } else {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('up to date');
    }
  }, 30_000);
});
