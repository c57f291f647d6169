// What the hand-run benches (ack.ts, fanout.ts, digest.ts) share, so that they set up, measure,
// report and clean up the same way: a throwaway database, cleanup on every way out, growthbot's
// Deps, the fake Slack in a child process, a query-counting Kysely, seeding and report helpers.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { LogEvent } from 'kysely';
import pg from 'pg';
import { makeDeps } from '../src/boot.ts';
import { loadConfig } from '../src/config.ts';
import { createDb, type Db } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Deps } from '../src/deps.ts';
import { createLogger } from '../src/logger.ts';
import { loadRubrics } from '../src/rubrics/load.ts';
import { LEVELS, type Rubrics } from '../src/rubrics/schema.ts';
import { startFakeSlack, type FakeSlack } from '../src/sandbox/slack-stand-in.ts';

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

// ---------------------------------------------------------------------------------------------
// Figures.
// ---------------------------------------------------------------------------------------------

export const MB = 1024 * 1024;
export const mb = (bytes: number) => bytes / MB;
export const f0 = (x: number) => x.toFixed(0);
export const f1 = (x: number) => x.toFixed(1);
export const f3 = (x: number) => x.toFixed(3);
export const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** Milliseconds covered by at least one interval (within [from, to]). */
export function covered(intervals: readonly { start: number; end: number }[], from = -Infinity, to = Infinity): number {
  const sorted = intervals.map((q) => ({ start: Math.max(q.start, from), end: Math.min(q.end, to) })).filter((q) => q.end > q.start).sort((a, b) => a.start - b.start);
  let total = 0;
  let cur: { start: number; end: number } | undefined;
  for (const q of sorted) {
    if (cur && q.start <= cur.end) cur.end = Math.max(cur.end, q.end);
    else {
      if (cur) total += cur.end - cur.start;
      cur = { ...q };
    }
  }
  return total + (cur ? cur.end - cur.start : 0);
}

/** Prints a run's checks (and the first warnings logged, if any); true when every check passed. */
export function printChecks(checks: readonly (readonly [what: string, ok: boolean])[], warnings: WarningSink): boolean {
  console.log('\nchecks:');
  for (const [what, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (warnings.count > 0) console.log(`  first warnings: ${warnings.first.join(' | ')}`);
  return checks.every(([, ok]) => ok);
}

/** The line on memory over the process's whole life, with the fake Slack's own when it runs in a child. */
export function maxRssLine(maxRssMb: number, fake: { where: FakeWhere }, fakeNow: FakeMemory): string {
  return `process maxRSS (resourceUsage, whole life of the process, seeding included): ${f0(maxRssMb)} MB`
    + `${fake.where === 'a child process' ? `; fake Slack child: ${f0(fakeNow.rssMb)} MB now, ${f0(fakeNow.maxRssMb)} MB max (not counted)` : ' (fake Slack included)'}`;
}

// ---------------------------------------------------------------------------------------------
// The fake Slack (src/sandbox/slack-stand-in.ts): by default in a child process running the bench's
// own file, so its CPU, memory (it keeps every call) and event loop are not counted as
// growthbot's; or in this process. What a bench wants to know about the calls it received is
// the bench's `stats` function, run where the fake runs, so the calls need not travel.
// ---------------------------------------------------------------------------------------------

export type FakeWhere = 'a child process' | 'this process';

/** Memory of the process the fake Slack runs in. */
export interface FakeMemory {
  rssMb: number;
  maxRssMb: number;
}

/** A bench's summary of the calls the fake received; `query` is what the bench passes to stats(). */
export type FakeStatsOf<Q, S> = (fake: FakeSlack, query: Q) => S | Promise<S>;

export interface BenchFakeSlack<Q, S> {
  url: string;
  where: FakeWhere;
  stats(query: Q): Promise<S & FakeMemory>;
  close(): Promise<void>;
}

type ToChild<Q> = { type: 'stats'; id: number; query: Q } | { type: 'close' };
type FromChild<S> = { type: 'ready'; url: string } | { type: 'stats'; id: number; stats: S & FakeMemory };

const ROLE_VAR = 'BENCH_ROLE';
const FAKE_ROLE = 'fake-slack';

async function statsWithMemory<Q, S>(fake: FakeSlack, stats: FakeStatsOf<Q, S>, query: Q): Promise<S & FakeMemory> {
  const s = await stats(fake, query);
  return { ...s, rssMb: mb(process.memoryUsage().rss), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** The child's side: start the fake, answer the parent's stats requests, stop when told or when the parent is gone. */
async function serveFakeSlackChild<Q, S>(stats: FakeStatsOf<Q, S>): Promise<void> {
  const fake = await startFakeSlack({ token: BOT_TOKEN });
  process.on('message', (m: ToChild<Q>) => {
    if (m.type === 'stats') {
      void statsWithMemory(fake, stats, m.query).then((s) => process.send?.({ type: 'stats', id: m.id, stats: s } satisfies FromChild<S>));
    } else {
      void fake.close().finally(() => process.exit(0));
    }
  });
  // The parent went away without saying goodbye (crash, kill -9): do not linger.
  process.on('disconnect', () => void fake.close().finally(() => process.exit(0)));
  process.send?.({ type: 'ready', url: fake.url } satisfies FromChild<S>);
}

/**
 * Starts the fake Slack in this process, or in a child process that runs `script` (the bench's
 * import.meta.url) again, where benchMain serves the fake with the same `stats` instead of
 * running the bench.
 */
async function startBenchFakeSlack<Q, S>(p: { inProcess: boolean; script: string; stats: FakeStatsOf<Q, S> }): Promise<BenchFakeSlack<Q, S>> {
  if (p.inProcess) {
    const fake = await startFakeSlack({ token: BOT_TOKEN });
    return { url: fake.url, where: 'this process', stats: (query) => statsWithMemory(fake, p.stats, query), close: () => fake.close() };
  }
  // Only the loader flags (tsx's --require/--import) are passed on: a --cpu-prof or
  // --max-old-space-size given to this process is about this process.
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if (/^(--require|-r|--import|--loader|--experimental-loader)$/.test(a)) execArgv.push(a, process.execArgv[++i] ?? '');
    else if (/^(--require|--import|--loader|--experimental-loader)=/.test(a)) execArgv.push(a);
  }
  const child: ChildProcess = fork(fileURLToPath(p.script), [], {
    execArgv,
    env: { ...process.env, [ROLE_VAR]: FAKE_ROLE },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the fake Slack child exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m: FromChild<S>) => {
      child.off('exit', onExit);
      if (m.type === 'ready') resolve(m.url);
      else reject(new Error('the fake Slack child spoke out of turn'));
    });
  });
  let nextId = 0;
  return {
    url,
    where: 'a child process',
    stats: (query) =>
      new Promise<S & FakeMemory>((resolve, reject) => {
        const id = ++nextId;
        const onMessage = (m: FromChild<S>) => {
          if (m.type !== 'stats' || m.id !== id) return;
          child.off('message', onMessage);
          resolve(m.stats);
        };
        child.on('message', onMessage);
        if (!child.send({ type: 'stats', id, query } satisfies ToChild<Q>)) reject(new Error('the fake Slack child is gone'));
      }),
    close: async () => {
      if (child.exitCode === null && child.connected) child.send({ type: 'close' } satisfies ToChild<Q>);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Counting SQL: the app's own database handle (create-db.ts) with a query log.
// ---------------------------------------------------------------------------------------------

export interface QueryRecord {
  /** Which function issued it (see QueryLabels). */
  label: string;
  /** Epoch milliseconds (performance.timeOrigin + performance.now()), comparable with the fake's Date.now(). */
  start: number;
  end: number;
}

/** Which function in src/ issued a statement, from its text: the first pattern that matches names it. */
export type QueryLabels = readonly (readonly [RegExp, string])[];

export interface CountingDb {
  db: Db;
  /** Where to record the statements from now on; undefined stops recording. */
  record(into: QueryRecord[] | undefined): void;
}

/** A Kysely that records every statement it runs, labelled; one that no pattern matches is labelled by its first 50 characters. */
export async function countingDb(url: string, labels: QueryLabels): Promise<CountingDb> {
  const labelOf = (text: string): string => {
    const s = text.trim();
    return labels.find(([re]) => re.test(s))?.[1] ?? s.replace(/\s+/g, ' ').slice(0, 50);
  };
  let into: QueryRecord[] | undefined;
  const log = (e: LogEvent) => {
    if (!into) return;
    const end = performance.timeOrigin + performance.now();
    into.push({ label: labelOf(e.query.sql), start: end - e.queryDurationMillis, end });
  };
  // The app's own pool, exactly as src/db/create-db.ts builds it, with the query log added.
  const { db } = await createDb({ databaseUrl: url, dataDir: '', log });
  return { db, record: (r) => (into = r) };
}

// ---------------------------------------------------------------------------------------------
// Measuring one run of a job.
// ---------------------------------------------------------------------------------------------

export interface RunCost {
  /** When the job was called, in epoch milliseconds (see QueryRecord). */
  startAt: number;
  wallMs: number;
  /** CPU time of the whole process, user and system. */
  cpuMs: number;
  rssBeforeMb: number;
  /** Sampled every 50 ms, and once at the end. */
  peakRssMb: number;
  /** V8 heapUsed, sampled with the RSS. */
  peakHeapMb: number;
  /** The longest the event loop could not turn. */
  maxLoopBlockMs: number;
  /** The statements the job ran, as recorded by countingDb. */
  queries: QueryRecord[];
}

/**
 * Runs `job` once and measures it: wall and CPU time, memory, event-loop blocks, and the
 * statements it ran (recorded by `record`, countingDb's). `started` runs after the RSS before is
 * read and just before the measuring starts (a profiler, say).
 */
export async function measureRun<T>(record: CountingDb['record'], job: () => Promise<T>, started?: () => Promise<unknown>): Promise<{ result: T; cost: RunCost }> {
  const queries: QueryRecord[] = [];
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  await started?.();
  const sampler = setInterval(sample, 50);
  loop.enable();
  record(queries);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const startAt = performance.timeOrigin + t0;
  let result: T;
  try {
    result = await job();
  } finally {
    record(undefined);
    clearInterval(sampler);
    loop.disable();
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  sample();
  return {
    result,
    cost: {
      startAt,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBeforeMb: mb(rssBefore),
      peakRssMb: mb(peakRss),
      peakHeapMb: mb(peakHeap),
      maxLoopBlockMs: loop.max / 1e6,
      queries,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding.
// ---------------------------------------------------------------------------------------------

export interface SeedStep {
  step: string;
  ms: number;
  rows: number;
}

/** Seeding timed step by step: `step` runs one (set-based) statement and notes its time and the rows it touched. */
export function seedSteps(): { steps: SeedStep[]; step(name: string, run: () => Promise<{ numAffectedRows?: bigint }>): Promise<void> } {
  const steps: SeedStep[] = [];
  return {
    steps,
    step: async (name, run) => {
      const t0 = performance.now();
      const r = await run();
      steps.push({ step: name, ms: performance.now() - t0, rows: Number(r.numAffectedRows ?? 0) });
    },
  };
}

/** `members 1000 rows 12 ms, …` for the seeding line. */
export const seedStepsText = (steps: readonly SeedStep[]): string => steps.map((s) => `${s.step} ${s.rows ? `${s.rows} rows ` : ''}${f0(s.ms)} ms`).join(', ');

/**
 * Every (competency, prompt) of each level and of the shared rubric, numbered per list; and every
 * competency likewise. As JSON, for `jsonb_to_recordset` in the seeding statements.
 */
export function rubricCatalog(rubrics: Rubrics): { prompts: string; competencies: string } {
  const lists = [...LEVELS.map((l) => [l, rubrics.levels[l]] as const), ['shared', rubrics.shared] as const];
  const prompts: Record<string, unknown>[] = [];
  const competencies: Record<string, unknown>[] = [];
  for (const [list, file] of lists) {
    const ps = file.competencies.flatMap((c) => c.prompts.map((p) => ({ c, p })));
    ps.forEach(({ c, p }, slot) => prompts.push({ list, slot, n: ps.length, competency_id: c.id, prompt_id: p.id, prompt_text: p.text }));
    file.competencies.forEach((c, slot) => competencies.push({ list, slot, n: file.competencies.length, competency_id: c.id, competency_name: c.name }));
  }
  return { prompts: JSON.stringify(prompts), competencies: JSON.stringify(competencies) };
}

// ---------------------------------------------------------------------------------------------
// Set up, run, clean up: a bench that runs a job of growthbot's against its own database and the fake Slack.
// ---------------------------------------------------------------------------------------------

export interface BenchEnv<Q, S> {
  database: BenchDatabase;
  /** The counting Kysely, migrated; growthbot's Deps use it too. */
  db: Db;
  record: CountingDb['record'];
  fake: BenchFakeSlack<Q, S>;
  /** The app's log lines (it logs at warn). */
  warnings: WarningSink;
  /** benchDeps: pacing off, and the clock `now`. */
  deps: Deps;
}

/**
 * Sets up what fanout.ts and digest.ts run on: a fresh database (benchDatabase), migrated, with a
 * countingDb on it; the fake Slack (startBenchFakeSlack); Deps with the clock `now`. Then runs
 * `body` with them, and cleans up however it ends (cleanupOnExit), closing what `alsoClose` names
 * (a profiler, say) first.
 */
export async function withBenchEnv<Q, S>(
  p: { labels: QueryLabels; now: () => Date; fake: { inProcess: boolean; script: string; stats: FakeStatsOf<Q, S> }; alsoClose?: () => CleanupStep[] },
  body: (env: BenchEnv<Q, S>) => Promise<void>,
): Promise<void> {
  const database = benchDatabase();
  let db: Db | undefined;
  let fake: BenchFakeSlack<Q, S> | undefined;
  const cleanup = cleanupOnExit(database.name, () => [
    ...(p.alsoClose?.() ?? []),
    ['database pool', db && (() => db!.destroy())],
    ['database', () => database.drop()],
    ['fake Slack', fake && (() => fake!.close())],
  ]);
  try {
    await database.create();
    const counting = await countingDb(database.url, p.labels);
    db = counting.db;
    await migrateToLatest(db);
    fake = await startBenchFakeSlack(p.fake);
    const warnings = new WarningSink();
    const deps = await benchDeps({ slackUrl: fake.url, databaseUrl: database.url, db, sink: warnings, now: p.now });
    await body({ database, db, record: counting.record, fake, warnings, deps });
  } finally {
    await cleanup();
  }
}

/**
 * A bench file's last statement: in the fake Slack child that withBenchEnv forks, serve the fake
 * with `stats`; otherwise run the bench, and exit with 1 when it throws.
 */
export async function benchMain<Q, S>(main: () => Promise<void>, stats: FakeStatsOf<Q, S>): Promise<void> {
  if (process.env[ROLE_VAR] === FAKE_ROLE) {
    await serveFakeSlackChild(stats);
  } else {
    await main().catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
  }
}
