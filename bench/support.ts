// What the hand-run benches (ack.ts, fanout.ts) share, so that they set up, report and clean up
// the same way: a throwaway database, cleanup on every way out, growthbot's Deps, report helpers.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { makeDeps } from '../src/boot.ts';
import { loadConfig } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import type { Deps } from '../src/deps.ts';
import { createLogger } from '../src/logger.ts';
import { loadRubrics } from '../src/rubrics/load.ts';

/** The app and the fake Slack only have to agree on these; they guard nothing. */
export const BOT_TOKEN = 'xoxb-bench-token';
export const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';

/** The project folder (with a trailing slash): where loadConfig finds rubrics/, and what a profile strips from src/ paths. */
export const ROOT_DIR = fileURLToPath(new URL('../', import.meta.url));

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The last line of each bench's --help: both read the same variable. */
export const ENV_HELP = `env: BENCH_POSTGRES_URL (default ${DEFAULT_ADMIN_URL})`;

/** For the numeric flags: a typo should stop the run, not measure zero requests. */
export function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not "${raw}"`);
  return n;
}

/** One statement on a connection of its own: create/drop database cannot run in the database itself. */
async function adminQuery(url: string, query: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

export interface BenchDatabase {
  /** `gbbench_<random>`. */
  name: string;
  /** BENCH_POSTGRES_URL: the server's maintenance database, for statements about other databases. */
  adminUrl: string;
  /** The bench database's own URL. */
  url: string;
  create(): Promise<void>;
  /** Drops the database if create() made it; does nothing otherwise, so it can always be a cleanup step. */
  drop(): Promise<void>;
}

/**
 * A fresh database for one run, on BENCH_POSTGRES_URL: each run starts from empty tables, never
 * touches real data, and two runs can go side by side.
 */
export function benchDatabase(): BenchDatabase {
  const adminUrl = process.env.BENCH_POSTGRES_URL || DEFAULT_ADMIN_URL;
  const name = `gbbench_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let created = false;
  return {
    name,
    adminUrl,
    url: url.toString(),
    create: async () => {
      await adminQuery(adminUrl, `create database ${name}`);
      created = true;
    },
    drop: async () => {
      if (created) await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/** What to close, and how; no function when it was never opened. */
export type CleanupStep = [what: string, close: (() => Promise<unknown>) | undefined];

/**
 * Undoes a run's setup however the run ends (done, failed, Ctrl-C or SIGTERM), so that a stopped
 * bench leaves no database, server or child behind. `steps` is called when cleanup starts, so it
 * sees what had been opened by then; the steps run in order and once, and one that fails is
 * reported without stopping the rest. A signal cleans up and exits with 130. Await the returned
 * function in the run's `finally`: it cleans up, then lets signals act as usual again.
 */
export function cleanupOnExit(dbName: string, steps: () => CleanupStep[]): () => Promise<void> {
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => (cleaning ??= (async () => {
    for (const [what, close] of steps()) {
      try {
        await close?.();
      } catch (err) {
        console.error(`cleanup: could not close the ${what}: ${(err as Error).message}`);
      }
    }
  })());
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: dropping ${dbName} and stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return async () => {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Where the app's log lines go: it logs at warn, so a clean run writes nothing here; the lines
 * are counted and the first three kept for the report, instead of mixing into the figures.
 */
export class WarningSink extends Writable {
  count = 0;
  readonly first: string[] = [];

  override _write(chunk: unknown, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      this.count++;
      if (this.first.length < 3) this.first.push(line.slice(0, 300));
    }
    done();
  }
}

/**
 * growthbot's Deps as test/support/harness.ts builds them (makeDeps: job client, send queue,
 * metrics), without vitest. Pacing is off (SEND_RATE_PER_SECOND=0), so the send queue adds no
 * waiting and a bench measures growthbot's own cost.
 */
export async function benchDeps(p: { slackUrl: string; databaseUrl: string; db: Db; sink: WarningSink; now?: () => Date }): Promise<Deps> {
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: p.slackUrl,
      DATABASE_URL: p.databaseUrl,
      SEND_RATE_PER_SECOND: '0',
      LOG_LEVEL: 'warn',
    },
    ROOT_DIR,
  );
  const logger = createLogger(config.logLevel, p.sink);
  return makeDeps({ config, logger, db: p.db, rubrics: await loadRubrics(config.rubricsDir), now: p.now });
}

/** Node version, CPUs and load average, for a report's first line: whatever else runs on the machine shows in the figures. */
export function machine(): string {
  return `node ${process.version}, ${availableParallelism()} CPUs (load ${loadavg()[0]!.toFixed(2)})`;
}

/** Lines of fixed-width columns, one space apart: the first column left-aligned, the figures right-aligned. */
export function table(widths: readonly number[], rows: readonly (readonly (string | number)[])[]): string[] {
  return rows.map((row) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i] ?? 0) : String(cell).padStart(widths[i] ?? 0))).join(' '));
}
