import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, type KyselyConfig, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './lock.ts';
import { keepTemplate, templateFor } from './pglite-template.ts';
import type { Database } from './schema.ts';

/** The database, or a transaction on it: every query function takes either. */
export type Db = Kysely<Database>;

/** Runs `work` in a transaction: the caller's own when given one (kysely cannot nest them), else a new one. */
export async function inTransaction<T>(db: Db, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Closes the pool (or the embedded database) and releases the data-directory lock. */
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /**
   * pg only: how long to wait for a connection before failing, so an outage fails fast. Shorter
   * than a handler's database deadline (2 s): a connection that cannot be had fails first, and
   * the person hears "try again" (nothing left) rather than "could not confirm".
   */
  connectionTimeoutMillis?: number;
  /** Sees every query (benchmarks count them). */
  log?: KyselyConfig['log'];
}

const asText = (v: string) => v;

export async function createDb(opts: DbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 1_500,
      idleTimeoutMillis: 30_000,
      // A query on a connection the network swallowed would otherwise hold its pool slot forever.
      query_timeout: 30_000,
      keepAlive: true,
      application_name: 'growthbot',
    });
    // A connection that dies (Postgres restart, pg_terminate_backend) must not crash the
    // process: idle ones report to the pool, checked-out ones to their own listener. The
    // query in flight fails on its own and its caller answers for it.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(opts.log ? { log: opts.log } : {}) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const release = await lockDataDir(opts.dataDir);
  try {
    // Loaded only when used: Postgres deployments never pay for the embedded database.
    const [{ PGlite, types }, { PGliteDialect }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('kysely-pglite-dialect'),
    ]);
    // Same shapes as pg returns: 64-bit integers and numerics as strings.
    const dir = join(opts.dataDir, 'pglite');
    const isNew = !existsSync(dir);
    const template = templateFor(dir);
    const pglite = await PGlite.create(dir, {
      parsers: { [types.INT8]: asText, [types.NUMERIC]: asText },
      ...(template ? { loadDataDir: template } : {}),
    });
    if (isNew && !template) await keepTemplate(() => pglite.dumpDataDir('none'));
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), ...(opts.log ? { log: opts.log } : {}) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await db.destroy();
          if (!pglite.closed) await pglite.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
