import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';
import type { Db } from './create-db.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Reads migrations/ like kysely's FileMigrationProvider, but imports from our own code so
 * that whatever loads TypeScript for the app (tsx, vitest) loads the migrations too.
 */
const folderProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{12}_[\w-]+\.ts$/.test(f)).sort();
    const entries = await Promise.all(
      files.map(
        async (f) =>
          [f.replace(/\.ts$/, ''), (await import(pathToFileURL(join(MIGRATIONS_DIR, f)).href)) as Migration] as const,
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
