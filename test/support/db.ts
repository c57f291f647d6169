import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createDb, type Db, type DbHandle } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface TestDatabase extends DbHandle {
  url: string;
  /** Empties every table, so each test starts from nothing. */
  truncate(): Promise<void>;
}

const TABLES = [
  'replies',
  'kudos',
  'help_requests',
  'oncall_retros',
  'oncall_shifts',
  'oncall_feeds',
  'deliveries',
  'incident_participations',
  'checkins',
  'nudges',
  'mentorships',
  'members',
  'send_pace',
];

export async function truncateAll(db: Db): Promise<void> {
  await sql.raw(`truncate ${TABLES.join(', ')} restart identity cascade`).execute(db);
}

/** A fresh, migrated Postgres database for one test file, cloned from this run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const template = new URL(inject('templateDatabaseUrl')).pathname.slice(1);
  const adminClient = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await adminClient.connect();
  try {
    // Two files cloning at the same instant can briefly see each other on the template.
    for (let attempt = 1; ; attempt++) {
      try {
        await adminClient.query(`create database ${name} template ${template}`);
        break;
      } catch (err) {
        if (attempt >= 10 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  } finally {
    await adminClient.end();
  }
  const u = new URL(inject('adminDatabaseUrl'));
  u.pathname = `/${name}`;
  const url = u.toString();
  const handle = await createDb({ databaseUrl: url, dataDir: '' });
  return {
    ...handle,
    url,
    truncate: () => truncateAll(handle.db),
    close: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * One database for the enclosing file (or `describe`): created before its tests, dropped after
 * them, and emptied before each test, then seeded by `seed` if given. Call it where you would
 * write those hooks; hooks registered after it run after the truncate and seed. The object it
 * returns reads the current database, so use `d.db` (or `d.url`) inside hooks and tests only.
 */
export function useTestDatabase(seed?: (db: Db) => Promise<unknown>): TestDatabase {
  let current: TestDatabase | undefined;
  const now = () => {
    if (!current) throw new Error('useTestDatabase: the database exists inside hooks and tests only');
    return current;
  };
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => current?.close());
  beforeEach(async () => {
    await now().truncate();
    await seed?.(now().db);
  });
  return {
    get db() {
      return now().db;
    },
    get kind() {
      return now().kind;
    },
    get url() {
      return now().url;
    },
    truncate: () => now().truncate(),
    close: () => now().close(),
  };
}

/** A fresh, migrated embedded PGlite database in a temporary directory, removed on close. */
export async function createPgliteDatabase(): Promise<DbHandle & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'growthbot-pglite-'));
  const h = await createDb({ dataDir: dir });
  await migrateToLatest(h.db);
  return {
    ...h,
    dir,
    close: async () => {
      await h.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Both backends the app supports, for `describe.each`: Postgres through pg, and embedded PGlite. */
export const BACKENDS = [
  ['postgres', createTestDatabase],
  ['pglite', createPgliteDatabase],
] as const;
