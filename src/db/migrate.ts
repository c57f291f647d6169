import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';
import { CODE_EXT, CODE_ROOT } from '../paths.ts';
import type { Db } from './create-db.ts';

/** migrations/ beside src/: compiled to dist/migrations/*.js with the rest of the code. */
export const MIGRATIONS_DIR = join(CODE_ROOT, 'migrations');
const MIGRATION_FILE = new RegExp(`^\\d{12}_[\\w-]+\\${CODE_EXT}$`);

/**
 * Reads migrations/ like kysely's FileMigrationProvider, but imports from our own code so
 * that whatever loads TypeScript for the app (tsx, vitest) loads the migrations too.
 */
export const folderProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const entries = await Promise.all(
      files.map(
        async (f) =>
          [
            f.slice(0, -CODE_EXT.length),
            (await import(pathToFileURL(join(MIGRATIONS_DIR, f)).href)) as Migration,
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  },
};

function migrator(db: Db, provider: MigrationProvider = folderProvider): Migrator {
  return new Migrator({ db, provider });
}

/** What went wrong, naming the migration: kysely's own error says "corrupted migrations" or nothing of which. */
function check({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(failed ? `Migration ${failed} failed: ${detail}` : `Migrations could not run: ${detail}`, {
      cause: error,
    });
  }
  return (results ?? []).map((r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`);
}

/**
 * Migrations only append. One that sorts before a migration this database already has can
 * never be applied (kysely refuses the whole set): say which, and why.
 */
async function checkOrder(m: Migrator): Promise<void> {
  const all = await m.getMigrations();
  const last = all.findLast((x) => x.executedAt !== undefined);
  const late = last && all.slice(0, all.indexOf(last)).find((x) => x.executedAt === undefined);
  if (late && last)
    throw new Error(
      `Migration ${late.name} cannot be applied: it sorts before ${last.name}, which this database already has. ` +
        'Migrations only append: a new migration must be named to sort after every existing one.',
    );
}

export async function migrateToLatest(db: Db, provider?: MigrationProvider): Promise<string[]> {
  const m = migrator(db, provider);
  await checkOrder(m);
  return check(await m.migrateToLatest());
}

export async function migrateDown(db: Db): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}

/** True when every migration in the folder has been applied. */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const all = await migrator(db).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
