// What the hand-run benches share, so that they set up, measure, report and clean up the same way:
// flags, a throwaway database, cleanup on every way out, seeding, growthbot's Deps, the fake Slack
// in a child process, a query-counting Kysely, measuring a run and printing figures and targets.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { type LogEvent, sql } from 'kysely';
import pg from 'pg';
import { makeDeps } from '../src/boot.ts';
import { loadConfig } from '../src/config.ts';
import { createDb, type Db } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Deps } from '../src/deps.ts';
import { createLogger } from '../src/logger.ts';
import { loadRubrics } from '../src/rubrics/load.ts';
import { LEVELS, type Level, type Rubrics } from '../src/rubrics/schema.ts';
import { type FakeSlack, startFakeSlack } from '../src/sandbox/slack-stand-in.ts';

/** The app and the fake Slack only have to agree on these; they guard nothing. */
export const BOT_TOKEN = 'xoxb-bench-token';
export const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const ROOT_DIR = fileURLToPath(new URL('../', import.meta.url));
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export const f0 = (x: number) => x.toFixed(0);
export const f1 = (x: number) => x.toFixed(1);
export const f3 = (x: number) => x.toFixed(3);
export const mb = (bytes: number) => bytes / (1024 * 1024);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

type FlagValues<F> = { [K in keyof F]: F[K] extends number ? number : F[K] extends boolean ? boolean : string };

/**
 * The bench's flags, typed by their defaults: a number must be an integer ≥ 1 (≥ 0 if named in
 * `zeroOk`), so that a typo stops the run instead of measuring nothing. --help prints `usage`.
 */
export function flags<F extends Record<string, number | boolean | string>>(
  usage: string,
  defaults: F,
  zeroOk: readonly string[] = [],
): FlagValues<F> {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const [k, d] of Object.entries(defaults))
    options[k] = typeof d === 'boolean' ? { type: 'boolean', default: d } : { type: 'string', default: String(d) };
  const values = parseArgs({ options, strict: true }).values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(`usage: npx tsx ${usage}\nenv: BENCH_POSTGRES_URL (default ${DEFAULT_ADMIN_URL})`);
    process.exit(0);
  }
  return Object.fromEntries(
    Object.entries(defaults).map(([k, d]) => {
      if (typeof d !== 'number') return [k, values[k]];
      const n = Number(values[k]);
      if (!Number.isInteger(n) || n < (zeroOk.includes(k) ? 0 : 1))
        throw new Error(`--${k} must be an integer ≥ ${zeroOk.includes(k) ? 0 : 1}, not "${values[k]}"`);
      return [k, n];
    }),
  ) as FlagValues<F>;
}

// --- The database and cleanup.

/**
 * A fresh database `gbbench_<random>` on BENCH_POSTGRES_URL (`adminUrl`), so a run starts from empty
 * tables, never touches real data, and two runs can go side by side. drop() only drops what create() made.
 */
export function benchDatabase() {
  const adminUrl = process.env.BENCH_POSTGRES_URL || DEFAULT_ADMIN_URL;
  const name = `gbbench_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // create/drop database run on a connection of their own to the server's maintenance database.
  const admin = async (query: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(query).finally(() => c.end());
  };
  let created = false;
  return {
    name,
    adminUrl,
    url: url.toString(),
    create: async () => void (await admin(`create database ${name}`), (created = true)),
    drop: async () => void (created && (await admin(`drop database if exists ${name} with (force)`))),
  };
}
export type BenchDatabase = ReturnType<typeof benchDatabase>;

/** What to close, and how; no function when it was never opened. */
export type CleanupStep = [what: string, close: (() => Promise<unknown>) | undefined];

/**
 * Undoes a run's setup however it ends (done, failed, Ctrl-C or SIGTERM): `steps` is called when
 * cleanup starts, so it sees what had been opened by then; they run in order and once, and one that
 * fails is reported without stopping the rest. A signal cleans up and exits with 130.
 */
function cleanupOnExit(dbName: string, steps: () => CleanupStep[]): () => Promise<void> {
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
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

/** The app logs at warn, so a clean run writes nothing here: the lines are counted and the first three kept for the report. */
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

// --- Seeding.

/**
 * Inserts `count` members in one statement and returns their ids (`prefix` and i padded to
 * `digits`): levels and zones cycle with i, `minutes` (the Monday prompt slot) with the zones;
 * a member with no level only mentors and never joined; the others joined at `at`.
 */
export async function seedMembers(
  db: Db,
  p: {
    team: string;
    count: number;
    prefix: string;
    digits: number;
    levels: readonly (Level | null)[];
    zones: readonly string[];
    minutes?: readonly number[];
    at: Date;
    name?: string;
  },
): Promise<string[]> {
  const minutes = p.minutes ?? p.zones.map(() => 600);
  await sql`insert into members (team_id, user_id, level, display_name, tz, tz_checked_at, prompt_minute, joined_at, created_at, updated_at)
    select ${p.team}, ${p.prefix} || lpad(i::text, ${p.digits}, '0'), l.level, ${p.name ?? 'Bench member'} || ' ' || i, (${p.zones}::text[])[i % ${p.zones.length} + 1], ${p.at},
           (${minutes}::int[])[i % ${p.zones.length} + 1], case when l.level is null then null else ${p.at}::timestamptz end, ${p.at}, ${p.at}
    from generate_series(0, ${p.count - 1}) as i, lateral (select (${p.levels}::text[])[i % ${p.levels.length} + 1] as level) l`.execute(
    db,
  );
  return Array.from({ length: p.count }, (_, i) => `${p.prefix}${String(i).padStart(p.digits, '0')}`);
}

export interface SeedStep {
  step: string;
  ms: number;
  rows: number;
}

/** Seeding timed step by step: `step` runs one (set-based) statement and notes its time and the rows it touched. */
export function seedSteps() {
  const steps: SeedStep[] = [];
  const t0 = performance.now();
  return {
    step: async (name: string, run: () => Promise<{ numAffectedRows?: bigint } | unknown[]>) => {
      const t = performance.now();
      const r = await run();
      steps.push({
        step: name,
        ms: performance.now() - t,
        rows: Array.isArray(r) ? r.length : Number(r.numAffectedRows ?? 0),
      });
    },
    /** `seeding 812 ms (members 1000 rows 12 ms, …)`. */
    text: () =>
      `seeding ${f0(performance.now() - t0)} ms (${steps.map((s) => `${s.step} ${s.rows ? `${s.rows} rows ` : ''}${f0(s.ms)} ms`).join(', ')})`,
  };
}

/** Every (competency, prompt) and every competency of each level and of the shared rubric, numbered per list, as JSON for `jsonb_to_recordset`. */
export function rubricCatalog(rubrics: Rubrics): { prompts: string; competencies: string } {
  const prompts: Record<string, unknown>[] = [];
  const competencies: Record<string, unknown>[] = [];
  for (const [list, file] of [
    ...LEVELS.map((l) => [l, rubrics.levels[l]] as const),
    ['shared', rubrics.shared] as const,
  ]) {
    const ps = file.competencies.flatMap((c) => c.prompts.map((p) => ({ c, p })));
    ps.forEach(({ c, p }, slot) =>
      prompts.push({ list, slot, n: ps.length, competency_id: c.id, prompt_id: p.id, prompt_text: p.text }),
    );
    file.competencies.forEach((c, slot) =>
      competencies.push({ list, slot, n: file.competencies.length, competency_id: c.id, competency_name: c.name }),
    );
  }
  return { prompts: JSON.stringify(prompts), competencies: JSON.stringify(competencies) };
}

/** A `sent` prompt delivery for each of the team's nudges, at the time the nudge was made. */
export const seedPromptDeliveries = (db: Db, team: string) =>
  sql`insert into deliveries (team_id, user_id, kind, week, nudge_id, status, attempts, channel, message_ts, claimed_at, sent_at)
    select n.team_id, n.user_id, 'prompt', n.week, n.id, 'sent', 1, 'D' || substr(n.user_id, 2),
           extract(epoch from n.created_at)::bigint::text || '.' || lpad((n.id % 1000000)::text, 6, '0'), n.created_at, n.created_at
    from nudges n where n.team_id = ${team}`.execute(db);

/** Deliveries of `kind` for `week` stored as sent, and in all. */
export async function storedDeliveries(db: Db, kind: string, week: string): Promise<{ sent: number; total: number }> {
  const { rows } = await sql<{
    sent: string;
    total: string;
  }>`select count(*) filter (where status = 'sent') as sent, count(*) as total
    from deliveries where kind = ${kind} and week = ${week}`.execute(db);
  return { sent: Number(rows[0]?.sent ?? 0), total: Number(rows[0]?.total ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// The fake Slack (src/sandbox/slack-stand-in.ts): by default in a child process running the
// bench's own file again (benchMain), so its CPU, memory (it keeps every call) and event loop are
// not counted as growthbot's. `stats(from)` summarises the calls from number `from` on, where the
// fake runs, so the calls need not travel; a bench may add its own figures (`more`).
// ---------------------------------------------------------------------------------------------

/**
 * calls: every call so far (what to pass as `from` next time); from `from` on: calls by method,
 * successful chat.postMessage calls and their distinct channels, failed calls; the fake process's memory.
 */
export interface FakeStats {
  calls: number;
  byMethod: Record<string, number>;
  postMessage: number;
  channels: number;
  failed: number;
  rssMb: number;
  maxRssMb: number;
}
export type MoreStats<S> = (fake: FakeSlack, from: number) => S;

function fakeStats<S>(fake: FakeSlack, from: number, more: MoreStats<S>): FakeStats & S {
  const calls = fake.calls.slice(from);
  const posts = calls.filter((c) => c.method === 'chat.postMessage' && !c.failed);
  const byMethod: Record<string, number> = {};
  for (const c of calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
  return {
    calls: fake.calls.length,
    byMethod,
    postMessage: posts.length,
    channels: new Set(posts.map((c) => String(c.args.channel))).size,
    failed: calls.filter((c) => c.failed).length,
    rssMb: mb(process.memoryUsage().rss),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...more(fake, from),
  };
}

export interface BenchFake<S> {
  url: string;
  inChild: boolean;
  stats(from: number): Promise<FakeStats & S>;
  close(): Promise<void>;
}

/**
 * Runs the bench's own file (`script`, its import.meta.url) again in a child process with `role` set
 * in its environment. Only the loader flags (tsx's) are passed on: a --cpu-prof given to this
 * process is about this process.
 */
export function forkRole(script: string, role: string, args: string[] = []) {
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if (/^(--require|-r|--import|--loader|--experimental-loader)$/.test(a))
      execArgv.push(a, process.execArgv[++i] ?? '');
    else if (/^(--require|--import|--loader|--experimental-loader)=/.test(a)) execArgv.push(a);
  }
  return fork(fileURLToPath(script), args, {
    execArgv,
    env: { ...process.env, [role]: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

const FAKE_ROLE = 'BENCH_FAKE_SLACK';

async function startBenchFake<S>(inProcess: boolean, script: string, more: MoreStats<S>): Promise<BenchFake<S>> {
  if (inProcess) {
    const fake = await startFakeSlack({ token: BOT_TOKEN });
    return {
      url: fake.url,
      inChild: false,
      stats: async (from) => fakeStats(fake, from, more),
      close: () => fake.close(),
    };
  }
  const child = forkRole(script, FAKE_ROLE);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the fake Slack child exited (${code}) before it was ready`)));
    child.once('error', reject);
    child.once('message', (m: { url: string }) => resolve(m.url));
  });
  let nextId = 0;
  return {
    url,
    inChild: true,
    stats: (from) =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        const onMessage = (m: { id: number; stats: FakeStats & S }) => {
          if (m.id !== id) return;
          child.off('message', onMessage);
          resolve(m.stats);
        };
        child.on('message', onMessage);
        if (!child.send({ id, from })) reject(new Error('the fake Slack child is gone'));
      }),
    close: async () => {
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The line on memory over the process's whole life, with the fake Slack's own when it runs in a child. */
function maxRssLine(fake: BenchFake<unknown>, fakeNow: FakeStats): string {
  return (
    `process maxRSS (resourceUsage, whole life of the process, seeding included): ${f0(process.resourceUsage().maxRSS / 1024)} MB` +
    `${fake.inChild ? `; fake Slack child: ${f0(fakeNow.rssMb)} MB now, ${f0(fakeNow.maxRssMb)} MB max (not counted)` : ' (fake Slack included)'}`
  );
}

// --- Measuring a run: its statements (labelled by the bench's QueryLabels), time, CPU, memory, event loop.

/** A statement: which function issued it, and when, in epoch ms (performance.timeOrigin + now(), comparable with the fake's Date.now()). */
export interface QueryRecord {
  label: string;
  start: number;
  end: number;
}

/** Which function in src/ issued a statement, from its text: the first pattern that matches names it (else its first 50 characters). */
export type QueryLabels = readonly (readonly [RegExp, string])[];

/**
 * startAt: when the job was called (epoch ms); cpuMs: the whole process, user and system; RSS and
 * V8 heapUsed sampled every 50 ms and at the end; maxRssMb: process.resourceUsage().maxRSS after the
 * run (the process's whole life); maxLoopBlockMs: the longest the event loop could not turn.
 */
export interface RunCost {
  startAt: number;
  wallMs: number;
  cpuMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  peakHeapMb: number;
  maxRssMb: number;
  maxLoopBlockMs: number;
  queries: QueryRecord[];
}

async function measureRun<T>(
  record: (into: QueryRecord[] | undefined) => void,
  job: () => Promise<T>,
): Promise<{ result: T; cost: RunCost }> {
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
  const sampler = setInterval(sample, 50);
  loop.enable();
  record(queries);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
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
      startAt: performance.timeOrigin + t0,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBeforeMb: mb(rssBefore),
      peakRssMb: mb(peakRss),
      peakHeapMb: mb(peakHeap),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      maxLoopBlockMs: loop.max / 1e6,
      queries,
    },
  };
}

/** Milliseconds covered by at least one interval (within [from, to]). */
export function covered(intervals: readonly { start: number; end: number }[], from = -Infinity, to = Infinity): number {
  const sorted = intervals
    .map((q) => ({ start: Math.max(q.start, from), end: Math.min(q.end, to) }))
    .filter((q) => q.end > q.start)
    .sort((a, b) => a.start - b.start);
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

// --- Printing.

/**
 * Node version, CPUs, load average and V8's heap limit, for a report's first line: whatever else
 * runs on the machine shows in the figures, and the heap limit decides how far V8 lets garbage
 * grow (`npm start` and the image run with `--max-old-space-size=512`).
 */
export function machine(): string {
  const heapMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  return `node ${process.version}, ${availableParallelism()} CPUs (load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}), heap limit ${heapMb} MB`;
}

/** Lines of fixed-width columns, one space apart: the first column left-aligned, the others right-aligned. */
export function table(widths: readonly number[], rows: readonly (readonly (string | number)[])[]): string[] {
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i] ?? 0) : String(cell).padStart(widths[i] ?? 0)))
      .join(' '),
  );
}

/**
 * A table of runs: `first` columns of the bench's own, then what measureRun measured, then `last`;
 * `perUnit` names what ms/… divides by (its count is the run's `n`).
 */
export function printRuns<R extends RunCost & { n: number }>(
  runs: readonly R[],
  perUnit: string,
  first: [string, (r: R) => string | number][],
  last: [string, (r: R) => string | number][],
): void {
  const cols: [string, (r: R) => string | number][] = [
    ...first,
    ['wall ms', (r) => f0(r.wallMs)],
    [`ms/${perUnit}`, (r) => f3(r.wallMs / r.n)],
    ['cpu ms', (r) => f0(r.cpuMs)],
    ['queries', (r) => r.queries.length],
    ['db ms', (r) => f0(covered(r.queries))],
    ['RSS before', (r) => `${f0(r.rssBeforeMb)} MB`],
    ['peak RSS', (r) => `${f0(r.peakRssMb)} MB`],
    ['peak heap', (r) => `${f0(r.peakHeapMb)} MB`],
    ['loop block', (r) => `${f0(r.maxLoopBlockMs)} ms`],
    ...last,
  ];
  for (const row of table(
    cols.map(([h]) => Math.max(h.length, 7)),
    [cols.map(([h]) => h), ...runs.map((r) => cols.map(([, cell]) => cell(r)))],
  ))
    console.log(row);
  console.log(
    '  (db ms: time with at least one query in flight; RSS sampled every 50 ms, heap = V8 heapUsed; loop block: longest the event loop could not turn)',
  );
}

/** Prints a run's checks (and the first warnings logged, if any); true when every check passed. */
export function printChecks(checks: readonly (readonly [what: string, ok: boolean])[], warnings: WarningSink): boolean {
  console.log('\nchecks:');
  for (const [what, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (warnings.count > 0) console.log(`  first warnings: ${warnings.first.join(' | ')}`);
  return checks.every(([, ok]) => ok);
}

/** Targets, as `what  value  target  met / NOT met  note`; they never change the exit code. */
export function printTargets(
  targets: readonly (readonly [what: string, value: string, target: string, ok: boolean, note?: string])[],
): void {
  console.log('\ntargets:');
  for (const row of table(
    [28, 10, 20, 8],
    targets.map(([what, value, target, ok, note]) => [what, value, `target ${target}`, verdict(ok), note ?? '']),
  ))
    console.log(`  ${row.trimEnd()}`);
}

// --- Set up, run, clean up.

export interface BenchEnv<S> {
  database: BenchDatabase;
  /** The counting Kysely, migrated; growthbot's Deps use it too. */
  db: Db;
  fake: BenchFake<S>;
  /** The app's log lines (it logs at warn). */
  warnings: WarningSink;
  /** growthbot's Deps as test/support/harness.ts builds them, pacing off (SEND_RATE_PER_SECOND=0), clock `now`. */
  deps: Deps;
  /** Runs `job` and measures it (RunCost), with what the fake received meanwhile. */
  measure<T>(job: () => Promise<T>): Promise<RunCost & { result: T; fake: FakeStats & S }>;
  /** The maxRSS line, with the fake's memory. */
  maxRssLine(): Promise<string>;
}

/**
 * Sets up a fresh database (migrated, with a counting Kysely), the fake Slack (in a child process
 * unless `fakeInProcess`), and growthbot's Deps; runs `body`; cleans up however it ends, closing
 * what `alsoClose` names first. `script` is the bench's import.meta.url, `more` its fake figures.
 */
export async function withBenchEnv<S = object>(
  p: {
    script: string;
    labels?: QueryLabels;
    now?: () => Date;
    fakeInProcess?: boolean;
    more?: MoreStats<S>;
    alsoClose?: () => CleanupStep[];
  },
  body: (env: BenchEnv<S>) => Promise<void>,
): Promise<void> {
  const database = benchDatabase();
  let db: Db | undefined;
  let fake: BenchFake<S> | undefined;
  const cleanup = cleanupOnExit(database.name, () => [
    ...(p.alsoClose?.() ?? []),
    ['database pool', db && (() => db!.destroy())],
    ['database', () => database.drop()],
    ['fake Slack', fake && (() => fake!.close())],
  ]);
  try {
    await database.create();
    // The app's own pool (src/db/create-db.ts) with a query log, recording into `into` while a run is measured.
    let into: QueryRecord[] | undefined;
    const log = (e: LogEvent) => {
      if (!into) return;
      const end = performance.timeOrigin + performance.now();
      const s = e.query.sql.trim();
      into.push({
        label: p.labels?.find(([re]) => re.test(s))?.[1] ?? s.replace(/\s+/g, ' ').slice(0, 50),
        start: end - e.queryDurationMillis,
        end,
      });
    };
    db = (await createDb({ databaseUrl: database.url, dataDir: '', log })).db;
    await migrateToLatest(db);
    const f = (fake = await startBenchFake(p.fakeInProcess ?? false, p.script, p.more ?? (() => ({}) as S)));
    const warnings = new WarningSink();
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: f.url,
      DATABASE_URL: database.url,
      SEND_RATE_PER_SECOND: '0',
      LOG_LEVEL: 'warn',
    };
    const config = loadConfig(env, ROOT_DIR);
    const deps = makeDeps({
      config,
      logger: createLogger(config.logLevel, warnings),
      db,
      rubrics: await loadRubrics(config.rubricsDir),
      now: p.now,
    });
    const measure = async <T>(job: () => Promise<T>) => {
      const from = (await f.stats(Number.MAX_SAFE_INTEGER)).calls;
      const { result, cost } = await measureRun((r) => (into = r), job);
      return { ...cost, result, fake: await f.stats(from) };
    };
    await body({
      database,
      db,
      fake: f,
      warnings,
      deps,
      measure,
      maxRssLine: async () => maxRssLine(f, await f.stats(Number.MAX_SAFE_INTEGER)),
    });
  } finally {
    await cleanup();
  }
}

/** A bench file's last statement: in the fake Slack child, serve the fake with `more`; otherwise run the bench, exit code 1 when it throws. */
export async function benchMain<S>(main: () => Promise<void>, more?: MoreStats<S>): Promise<void> {
  if (process.env[FAKE_ROLE]) {
    const fake = await startFakeSlack({ token: BOT_TOKEN });
    process.on('message', (m: { id: number; from: number }) =>
      process.send?.({ id: m.id, stats: fakeStats(fake, m.from, more ?? (() => ({}) as S)) }),
    );
    // The parent is done, or gone without saying goodbye (crash, kill -9): do not linger.
    process.on('disconnect', () => void fake.close().finally(() => process.exit(0)));
    process.send?.({ url: fake.url });
  } else {
    await main().catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
  }
}
