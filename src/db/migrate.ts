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
const folderProvider: MigrationProvider = {
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

export function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: folderProvider });
}

function check({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).map((r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`);
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

export async function migrateDown(db: Db): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}

/** True when every migration in the folder has been applied. */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const all = await migrator(db).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
