import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/** Where the suite's Postgres lives (trust auth on the dev machines and in CI). */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
    adminDatabaseUrl: string;
    runId: string;
  }
}

function urlFor(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
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
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `gbtest_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const template = `${runId}_template`;
  await admin((c) => c.query(`create database ${template}`));
  const handle = await createDb({ databaseUrl: urlFor(template), dataDir: '' });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  project.provide('templateDatabaseUrl', urlFor(template));
  project.provide('adminDatabaseUrl', ADMIN_URL);
  project.provide('runId', runId);
  return async () => {
    await admin(async (c) => {
      const { rows } = await c.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${runId}%`]);
      for (const { datname } of rows) await c.query(`drop database if exists ${datname} with (force)`);
    });
  };
}
