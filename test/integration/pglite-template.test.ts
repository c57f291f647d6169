import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { templateFor } from '../../src/db/pglite-template.ts';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'growthbot-template-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a new embedded database', () => {
  it('starts from the kept empty cluster, is a real database, and keeps what is written across a restart', async () => {
    const first = await createDb({ dataDir: newDir() }); // keeps the template if none is kept yet
    await first.close();
    const dir = newDir();
    expect(templateFor(join(dir, 'pglite'))).toBeInstanceOf(Blob);

    const h = await createDb({ dataDir: dir });
    await migrateToLatest(h.db);
    await sql`insert into members (team_id, user_id, level) values ('T1', 'U1', 'junior')`.execute(h.db);
    await h.close();

    const again = await createDb({ dataDir: dir });
    const { rows } = await sql<{ user_id: string }>`select user_id from members`.execute(again.db);
    await again.close();
    expect(rows).toEqual([{ user_id: 'U1' }]);
  }, 60_000);

  it('never loads the template over a database that is already there', async () => {
    const dir = newDir();
    const h = await createDb({ dataDir: dir });
    await h.close();
    expect(statSync(join(dir, 'pglite')).isDirectory()).toBe(true);
    expect(templateFor(join(dir, 'pglite'))).toBeUndefined();
  }, 60_000);
});
