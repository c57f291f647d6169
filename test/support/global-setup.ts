import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { maskUrl, networkReason } from '../../src/errors.ts';

/** Where the suite's Postgres lives (trust auth on the dev machines and in CI). */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
    adminDatabaseUrl: string;
    runId: string;
  }
}

function urlFor(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** No Postgres: one message saying how to start one, with no stack (vitest prints the stack as given). */
function noPostgres(adminUrl: string, err: unknown): Error {
  const reason = networkReason(err) ?? (err as Error)?.message ?? String(err);
  const e = new Error(
    `The tests need Postgres at ${maskUrl(adminUrl)} (${reason}). Start it ` +
      '(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start, ' +
      'or docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16), ' +
      'or set TEST_POSTGRES_URL to a Postgres where the tests may create databases.',
  );
  e.stack = e.message;
  return e;
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect().catch((err: unknown) => {
    throw noPostgres(adminUrl, err);
  });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Each run gets a migrated template database of its own; each test file clones it
 * (see test/support/db.ts), and everything with this run's prefix is dropped at the end,
 * so runs never see each other's rows.
 */
export async function setupDatabases(
  project: Pick<TestProject, 'provide'>,
  adminUrl: string,
): Promise<() => Promise<void>> {
  const runId = `gbtest_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const template = `${runId}_template`;
  await admin(adminUrl, (c) => c.query(`create database ${template}`));
  const handle = await createDb({ databaseUrl: urlFor(adminUrl, template), dataDir: '' });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  project.provide('templateDatabaseUrl', urlFor(adminUrl, template));
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('runId', runId);
  return async () => {
    await admin(adminUrl, async (c) => {
      const { rows } = await c.query<{ datname: string }>('select datname from pg_database where datname like $1', [
        `${runId}%`,
      ]);
      for (const { datname } of rows) await c.query(`drop database if exists ${datname} with (force)`);
    });
  };
}

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setupDatabases(project, ADMIN_URL);
}
