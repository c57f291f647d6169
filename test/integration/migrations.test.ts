// Migrations only append: a database made at any commit upgrades, and when one cannot, the
// message names the migration.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderProvider, MIGRATIONS_DIR, migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/** Inserted before ones that had already landed, before this test existed (migration, landed before it); never again. */
const LANDED_OUT_OF_ORDER = [
  '202612021000_checkin_messages after 202612021100_oncall_feeds',
  '202612021000_checkin_messages after 202612021200_incidents',
  '202612021300_oncall_retros after 202612021600_oncall_feeds_parsed_at',
];

/**
 * The migrations, in the order they were first committed (one not yet committed is the newest),
 * each followed by the migrations committed earlier that sort after it.
 */
function sortsBeforeEarlier(): { name: string; after: string[] }[] {
  const names = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{12}_[\w-]+\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''));
  const addedAt = (name: string) => {
    const out = execFileSync(
      'git',
      ['log', '--diff-filter=A', '--format=%ct', '--', join(MIGRATIONS_DIR, `${name}.ts`)],
      {
        encoding: 'utf8',
      },
    ).trim();
    return out ? Number(out.split('\n').at(-1)) : Number.POSITIVE_INFINITY;
  };
  const added = new Map(names.map((n) => [n, addedAt(n)]));
  return names
    .map((name) => ({
      name,
      after: names.filter(
        (o) => added.get(o)! < added.get(name)! && o > name && !LANDED_OUT_OF_ORDER.includes(`${name} after ${o}`),
      ),
    }))
    .filter((x) => x.after.length > 0);
}

describe('migration order', () => {
  it('every migration sorts after every migration committed before it, and an uncommitted one after all (name it with the time it lands)', () => {
    expect(readdirSync(MIGRATIONS_DIR).some((f) => f.startsWith('202612010900_initial'))).toBe(true);
    expect(sortsBeforeEarlier()).toEqual([]);
  });
});

describe('a migration that cannot run is named', () => {
  let d: TestDatabase;
  beforeEach(async () => {
    d = await createTestDatabase();
  });
  afterEach(async () => d?.close());

  it('a database made between the commits that inserted a migration before landed ones: its message names the missing one', async () => {
    await sql`delete from kysely_migration where name = '202612021000_checkin_messages'`.execute(d.db);
    await expect(migrateToLatest(d.db)).rejects.toThrow(
      /^Migration 202612021000_checkin_messages cannot be applied: it sorts before \d{12}_[a-z_]+, which this database already has/,
    );
  });

  it('a migration whose SQL fails is named in the message', async () => {
    const broken = {
      async getMigrations() {
        return {
          ...(await folderProvider.getMigrations()),
          '209912312359_broken': {
            async up(db: Kysely<unknown>) {
              await sql`select * from no_such_table`.execute(db);
            },
          },
        };
      },
    };
    await expect(migrateToLatest(d.db, broken)).rejects.toThrow(
      /^Migration 209912312359_broken failed: .*no_such_table/,
    );
  });
});
