// Cost of one weekly fan-out: runWeeklyPrompts for N members who are all due at once, on a real
// Postgres with eight weeks of history per member, against a fake Slack that answers at once and
// with pacing off, so what is measured is growthbot's own cost (CPU, memory, SQL round trips).
//
//   npx tsx bench/fanout.ts [--members 10000] [--fake-in-process] [--profile]
//
// Run by hand, not by CI. See bench/README.md for what it measures and how to read it.
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import type { Deps } from '../src/deps.ts';
import { promptCadence } from '../src/growth/cadence.ts';
import { dueThisWeek, localWeek, previousWeek, slotInstant } from '../src/growth/schedule.ts';
import { runWeeklyPrompts, type WeeklyPromptsReport } from '../src/jobs/weekly-prompts.ts';
import { LEVELS, type Rubrics } from '../src/rubrics/schema.ts';
import type { FakeSlack } from '../src/sandbox/slack-stand-in.ts';
import {
  benchMain, type BenchFakeSlack, covered, ENV_HELP, f0, f1, f3, machine, maxRssLine, mb, measureRun, positiveInt, printChecks, type QueryLabels,
  type QueryRecord, ROOT_DIR, rubricCatalog, type RunCost, seedSteps, seedStepsText, table, verdict, withBenchEnv,
} from './support.ts';

const TEAM = 'T0BENCH';
/** Monday 2026-12-07 09:05 UTC: 10:05 in Berlin, just after the default Monday 10:00 slot. */
const INSTANT = new Date('2026-12-07T09:05:00Z');
const RERUN_AT = new Date(INSTANT.getTime() + 60_000);
const HISTORY_WEEKS = 8;
const CHECKINS_PER_MEMBER = 4;
/** Where members live and when they asked for their prompt (Monday, minute of the local day): all due at INSTANT. */
const ZONES = [
  { tz: 'Europe/Berlin', minute: 600 },
  { tz: 'Europe/Paris', minute: 600 },
  { tz: 'Europe/Stockholm', minute: 570 },
  { tz: 'Europe/London', minute: 540 },
  { tz: 'Africa/Lagos', minute: 600 },
  { tz: 'Asia/Kolkata', minute: 840 },
] as const;

const TARGET = { msPerMember: 1, wallMsAt10k: 10_000, peakRssMb: 250, rerunMs: 1_000 };
/** The default SEND_RATE_PER_SECOND (src/config.ts). */
const DEFAULT_RATE = 3;

// ---------------------------------------------------------------------------------------------
// The fake Slack (bench/support.ts): by default in a child process, so its CPU, memory (it keeps
// every call) and event loop are not counted as growthbot's. --fake-in-process runs it in this
// process instead. What the bench counts of the calls it received:
// ---------------------------------------------------------------------------------------------

interface FakeStats {
  /** Successful chat.postMessage calls. */
  postMessage: number;
  /** Distinct channels (member ids) those went to. */
  channels: number;
  /** Every call, any method, failed ones included. */
  calls: number;
  failed: number;
}

type FakeHandle = BenchFakeSlack<void, FakeStats>;

function fakeStats(fake: FakeSlack): FakeStats {
  const posts = fake.callsTo('chat.postMessage');
  return {
    postMessage: posts.length,
    channels: new Set(posts.map((c) => String(c.args.channel))).size,
    calls: fake.calls.length,
    failed: fake.calls.filter((c) => c.failed).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Counting SQL (countingDb in bench/support.ts).
// ---------------------------------------------------------------------------------------------

/** Which function in src/ issued a statement, from its text. */
const LABELS: QueryLabels = [
  [/^update "members" set "status"/, 'scheduledMembers: lift ended pauses'],
  [/^select "team_id", "user_id", .*from "members"/s, 'scheduledMembers: select'],
  [/update nudges n set outcome = 'missed'.*jsonb_to_recordset/s, 'closePastWeeks'],
  [/^select "team_id", "user_id", "week" from "deliveries"/, 'existingClaims'],
  [/distinct on/, 'latestCheckins'],
  [/update members m set status = 'paused'/, 'autoPause'],
  [/^(begin|commit|rollback)$/, 'claimPrompts: begin/commit'],
  [/^insert into "nudges"/, 'claimPrompts: insert nudges'],
  [/^insert into "deliveries".*"nudge_id", "claimed_at"\)/s, 'claimPrompts: insert deliveries'],
  [/^insert into "deliveries"/, 'claimDeliveries'],
  [/with picked as/, 'leaseDue'],
  [/join nudges n on/, 'nudgeHistory'],
  [/update deliveries d set/, 'recordResults'],
  [/update nudges n set outcome = 'missed'.*from deliveries d/s, 'recordResults: missed nudges'],
];

// ---------------------------------------------------------------------------------------------
// Seeding: members, eight weeks of nudges and sent deliveries, and check-ins, all set-based.
// ---------------------------------------------------------------------------------------------

async function seed(db: Db, rubrics: Rubrics, n: number) {
  const { steps, step } = seedSteps();
  const week = localWeek(INSTANT, 'UTC');
  // Oldest first: weeks[0] is eight weeks ago, weeks[7] last week.
  const weeks = Array.from({ length: HISTORY_WEEKS }, (_, k) => previousWeek(week, HISTORY_WEEKS - k));
  const sentAt = weeks.map((w) => slotInstant(w, { weekday: 1, minute: 9 * 60 }, 'UTC').toISOString());
  const joinedAt = slotInstant(previousWeek(week, HISTORY_WEEKS + 1), { weekday: 1, minute: 0 }, 'UTC');
  const cat = rubricCatalog(rubrics);

  await step('members', () =>
    sql`insert into members (team_id, user_id, level, display_name, tz, tz_checked_at, prompt_weekday, prompt_minute, status, joined_at, created_at, updated_at)
      select ${TEAM}, 'UB' || lpad(i::text, 7, '0'), (${[...LEVELS]}::text[])[i % 4 + 1], 'Bench member ' || i,
             (${ZONES.map((z) => z.tz)}::text[])[i % ${ZONES.length} + 1], ${joinedAt}, 1,
             (${ZONES.map((z) => z.minute)}::int[])[i % ${ZONES.length} + 1], 'active', ${joinedAt}, ${joinedAt}, ${joinedAt}
      from generate_series(0, ${n - 1}) as i`.execute(db));

  // Every fourth week a shared prompt, as selectPrompt would. Outcomes: one week in ten missed,
  // about one in seven skipped, the rest answered; never three misses in a row, so nobody pauses.
  await step('nudges', () =>
    sql`with cat as (select * from jsonb_to_recordset(${cat.prompts}::jsonb) as c(list text, slot int, n int, competency_id text, prompt_id text, prompt_text text)),
           m as (select user_id, level, substr(user_id, 3)::int as i from members where team_id = ${TEAM}),
           w as (select w, (${weeks}::text[])[w] as week, (${sentAt}::timestamptz[])[w] as at from generate_series(1, ${HISTORY_WEEKS}) as w)
      insert into nudges (team_id, user_id, week, level, competency_id, prompt_id, prompt_text, outcome, created_at, updated_at)
      select ${TEAM}, m.user_id, w.week, m.level, c.competency_id, c.prompt_id, c.prompt_text,
             case when (m.i + w.w) % 10 = 0 then 'missed' when (m.i + 3 * w.w) % 7 = 0 then 'skipped' else 'answered' end,
             w.at, w.at + interval '2 days'
      from m cross join w
      join cat c on c.list = case when w.w % 4 = 0 then 'shared' else m.level end and c.slot = (m.i + 5 * w.w) % c.n`.execute(db));

  await step('deliveries (prompt, sent)', () =>
    sql`insert into deliveries (team_id, user_id, kind, week, nudge_id, status, attempts, channel, message_ts, claimed_at, sent_at)
      select n.team_id, n.user_id, 'prompt', n.week, n.id, 'sent', 1, 'D' || substr(n.user_id, 2),
             extract(epoch from n.created_at)::bigint::text || '.' || lpad((n.id % 1000000)::text, 6, '0'), n.created_at, n.created_at
      from nudges n where n.team_id = ${TEAM}`.execute(db));

  await step('checkins', () =>
    sql`with cat as (select * from jsonb_to_recordset(${cat.competencies}::jsonb) as c(list text, slot int, n int, competency_id text, competency_name text)),
           m as (select user_id, level, substr(user_id, 3)::int as i from members where team_id = ${TEAM})
      insert into checkins (team_id, user_id, competency_id, competency_name, text, rating, private, source, idempotency_key, created_at, updated_at)
      select ${TEAM}, m.user_id, c.competency_id, c.competency_name, 'Bench check-in ' || k || ' by ' || m.user_id,
             case when (m.i + k) % 9 = 0 then null else (m.i + k) % 4 + 1 end, m.i % 10 = 0,
             (array['modal', 'command', 'dm'])[k % 3 + 1], 'bench:' || m.user_id || ':' || k,
             ${INSTANT}::timestamptz - make_interval(days => k * 12 + m.i % 11, hours => m.i % 7),
             ${INSTANT}::timestamptz - make_interval(days => k * 12 + m.i % 11, hours => m.i % 7)
      from m cross join generate_series(1, ${CHECKINS_PER_MEMBER}) as k
      join cat c on c.list = case when k = ${CHECKINS_PER_MEMBER} then 'shared' else m.level end and c.slot = (m.i + k) % c.n`.execute(db));

  // As autovacuum would have left them after eight weeks: statistics and visibility map.
  await step('vacuum analyze', () => sql`vacuum (analyze) members, nudges, deliveries, checkins`.execute(db));
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Measuring one run.
// ---------------------------------------------------------------------------------------------

/** A run's cost, its queries' times in milliseconds from the start of the run. */
interface RunFigures extends RunCost {
  label: string;
  report: WeeklyPromptsReport;
  /** chat.postMessage calls the fake received during this run. */
  posted: number;
  channels: number;
  failedCalls: number;
  profile?: ProfileSummary;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface ProfileSummary {
  totalMs: number;
  components: [string, number][];
  functions: [string, number][];
}

/**
 * Self time by component and by function. A component is a src/ file or a package; node's own
 * JS and native code (socket writes, streams, timers) count to the nearest component up the
 * stack that called them, so "writev" under undici counts to fetch, not to "native". GC, idle
 * (waiting for Postgres or Slack) and program stand on their own.
 */
function summariseProfile(profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time since the previous sample: the time up to sample i+1 belongs to sample i.
  for (let i = 0; i < samples.length; i++) self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  const componentOf = (url: string): string | undefined => {
    if (url.includes('/deps/undici/')) return 'undici (fetch, in node)';
    if (!url || url.startsWith('node:')) return undefined;
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    if (pkg) return pkg[1]!;
    return path.startsWith(ROOT_DIR) ? path.slice(ROOT_DIR.length) : path;
  };
  const attribute = (n: ProfileNode): string => {
    const name = n.callFrame.functionName;
    if (!n.callFrame.url && /^\((garbage collector|idle|program|root)\)$/.test(name)) return name;
    for (let at: ProfileNode | undefined = n; at; at = byId.get(parent.get(at.id) ?? -1)) {
      const c = componentOf(at.callFrame.url);
      if (c) return c;
    }
    return 'node (no caller in src or a package)';
  };
  const components = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const component = attribute(n);
    components.set(component, (components.get(component) ?? 0) + ms);
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${componentOf(url) ?? url}:${lineNumber + 1}` : `(native, for ${component})`;
    const fn = /^\(.*\)$/.test(functionName) && !url ? functionName : `${functionName || '(anonymous)'} ${where}`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
  return { totalMs: (profile.endTime - profile.startTime) / 1000, components: top(components, 14), functions: top(functions, 16) };
}

async function measure(label: string, deps: Deps, at: Date, record: (r: QueryRecord[] | undefined) => void, fake: FakeHandle, session: Session | undefined): Promise<RunFigures> {
  const before = await fake.stats();
  const { result: report, cost } = await measureRun(record, () => runWeeklyPrompts(deps, at), session && (async () => {
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
    await session.post('Profiler.start');
  }));
  let profile: ProfileSummary | undefined;
  if (session) profile = summariseProfile((await session.post('Profiler.stop')).profile as Parameters<typeof summariseProfile>[0]);
  const after = await fake.stats();
  return {
    label,
    report,
    ...cost,
    queries: cost.queries.map((q) => ({ ...q, start: q.start - cost.startAt, end: q.end - cost.startAt })),
    posted: after.postMessage - before.postMessage,
    channels: after.channels - before.channels,
    failedCalls: after.failed - before.failed,
    ...(profile ? { profile } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The report.
// ---------------------------------------------------------------------------------------------

const pad = (s: string | number, n: number) => String(s).padStart(n);

function printRuns(runs: RunFigures[], n: number): void {
  const rows = table([8, 7, 8, 9, 7, 7, 7, 10, 8, 9, 10, 6, 11], [
    ['run', 'members', 'wall ms', 'ms/member', 'cpu ms', 'queries', 'db ms', 'RSS before', 'peak RSS', 'peak heap', 'loop block', 'sent', 'postMessage'],
    ...runs.map((r) => [r.label, r.report.members, f0(r.wallMs), f3(r.wallMs / n), f0(r.cpuMs), r.queries.length, f0(covered(r.queries)),
      `${f0(r.rssBeforeMb)} MB`, `${f0(r.peakRssMb)} MB`, `${f0(r.peakHeapMb)} MB`, `${f0(r.maxLoopBlockMs)} ms`, r.report.sent, r.posted]),
  ]);
  for (const row of rows) console.log(row);
  console.log('  (db ms: time with at least one query in flight; loop block: longest the event loop could not turn;\n'
    + '   RSS sampled every 50 ms, heap = V8 heapUsed)');
}

/** Where a run's wall time went: the plan before the first lease, then the send loop; database time within each. */
function printPhases(r: RunFigures): void {
  const firstLease = r.queries.find((q) => q.label === 'leaseDue');
  const split = firstLease?.start ?? r.wallMs;
  const planDb = covered(r.queries, 0, split);
  const sendDb = covered(r.queries, split, r.wallMs);
  console.log(`${r.label}: plan (up to the first lease) ${f0(split)} ms, of which database ${f0(planDb)} ms and JS ${f0(split - planDb)} ms`
    + `${r.report.members ? ` (${f3(split / r.report.members)} ms per member)` : ''}`);
  if (firstLease) {
    const sendMs = r.wallMs - split;
    const leases = r.queries.filter((q) => q.label === 'leaseDue').length;
    console.log(`${' '.repeat(r.label.length)}  send loop ${f0(sendMs)} ms in ${leases} lease(s), of which database ${f0(sendDb)} ms and sending/JS ${f0(sendMs - sendDb)} ms`
      + `${r.report.sent ? ` (${f3((sendMs - sendDb) / r.report.sent)} ms per message)` : ''}`);
  }
  const byLabel = new Map<string, { count: number; ms: number }>();
  for (const q of r.queries) {
    const e = byLabel.get(q.label) ?? { count: 0, ms: 0 };
    e.count++;
    e.ms += q.end - q.start;
    byLabel.set(q.label, e);
  }
  for (const [label, e] of [...byLabel].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`    ${label.padEnd(36)} ${pad(e.count, 4)} ×  ${pad(f1(e.ms), 8)} ms`);
  }
}

function printProfile(r: RunFigures): void {
  const p = r.profile;
  if (!p) return;
  console.log(`\nCPU profile of ${r.label} (${f0(p.totalMs)} ms): self time by component (node's own work counted to its caller; "(idle)" is waiting for Postgres or Slack)`);
  for (const [component, ms] of p.components) console.log(`  ${pad(f1(ms), 8)} ms ${pad(f1((100 * ms) / p.totalMs), 5)}%  ${component}`);
  console.log('  top functions:');
  for (const [fn, ms] of p.functions) console.log(`  ${pad(f1(ms), 8)} ms  ${fn}`);
}

// ---------------------------------------------------------------------------------------------

function options() {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: '10000' },
      'fake-in-process': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npx tsx bench/fanout.ts [--members N (default 10000)] [--fake-in-process] [--profile]\n'
      + '  --fake-in-process  run the fake Slack in this process (default: a child process, so its cost is not counted)\n'
      + '  --profile          CPU-profile each run (node:inspector) and print self time by area and function; slows the run\n'
      + ENV_HELP);
    process.exit(0);
  }
  return { members: positiveInt('members', values.members), fakeInProcess: values['fake-in-process'], profile: values.profile };
}

async function main(): Promise<void> {
  const opts = options();
  const startRssMb = mb(process.memoryUsage().rss);
  const n = opts.members;

  // Every member must be due at INSTANT, or the counts below mean nothing.
  for (const z of ZONES) {
    const slot = { weekday: 1 as const, minute: z.minute };
    if (dueThisWeek(INSTANT, z.tz, slot, promptCadence(slot).cutoff).state !== 'due') throw new Error(`${z.tz} is not due at ${INSTANT.toISOString()}`);
  }

  let session: Session | undefined;
  await withBenchEnv<void, FakeStats>({
    labels: LABELS,
    now: () => INSTANT,
    fake: { inProcess: opts.fakeInProcess, script: import.meta.url, stats: fakeStats },
    alsoClose: () => [['profiler', session && (async () => session!.disconnect())]],
  }, async ({ database, db, record, fake, warnings, deps }) => {
    console.log(`growthbot fan-out bench: ${machine()}, database ${database.name}, `
      + `${n} members in ${ZONES.length} time zones, all due at ${INSTANT.toISOString()} (${localWeek(INSTANT, 'UTC')}); fake Slack in ${fake.where}, `
      + `pacing off; RSS at start ${f0(startRssMb)} MB${opts.profile ? '; CPU profiler ON (timings inflated)' : ''}`);

    const seedT0 = performance.now();
    const steps = await seed(db, deps.rubrics, n);
    const seedMs = performance.now() - seedT0;
    console.log(`seeding: ${f0(seedMs)} ms (${seedStepsText(steps)})`);

    if (opts.profile) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
    }
    const first = await measure('first', deps, INSTANT, record, fake, session);
    const rerun = await measure('re-run', deps, RERUN_AT, record, fake, session);
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const fakeNow = await fake.stats();

    console.log('');
    printRuns([first, rerun], n);
    console.log(`\n${maxRssLine(maxRssMb, fake, fakeNow)}`);
    console.log(`first run report: ${JSON.stringify(first.report)}`);
    console.log(`re-run report:    ${JSON.stringify(rerun.report)}`);
    console.log('');
    printPhases(first);
    printPhases(rerun);
    printProfile(first);
    printProfile(rerun);

    // Correctness: one prompt per member, all recorded as sent, nothing the second time.
    const week = localWeek(INSTANT, 'UTC');
    const row = await sql<{ sent: string; total: string }>`select count(*) filter (where status = 'sent') as sent, count(*) as total
      from deliveries where kind = 'prompt' and week = ${week}`.execute(db);
    const stored = { sent: Number(row.rows[0]?.sent ?? 0), total: Number(row.rows[0]?.total ?? 0) };
    const checks: [string, boolean][] = [
      [`chat.postMessage calls in the first run = members (${first.posted} / ${n}, ${first.channels} distinct channels)`, first.posted === n && first.channels === n],
      [`deliveries of ${week} stored as sent = members (${stored.sent} of ${stored.total} / ${n})`, stored.sent === n && stored.total === n],
      [`re-run sends nothing (${rerun.posted} postMessage, report.sent ${rerun.report.sent})`, rerun.posted === 0 && rerun.report.sent === 0],
      [`no failed Slack calls, no warnings logged (${first.failedCalls + rerun.failedCalls} failed, ${warnings.count} warning line(s))`, first.failedCalls + rerun.failedCalls === 0 && warnings.count === 0],
    ];
    const passed = printChecks(checks, warnings);

    const msPer = first.wallMs / n;
    const at10k = n === 10_000 ? first.wallMs : msPer * 10_000;
    console.log('\ntargets:');
    console.log(`  own cost per member    ${f3(msPer).padStart(9)} ms   target <= ${TARGET.msPerMember} ms      ${verdict(msPer <= TARGET.msPerMember)}`);
    console.log(`  10,000 members         ${f0(at10k).padStart(9)} ms   target <= ${TARGET.wallMsAt10k} ms  ${verdict(at10k <= TARGET.wallMsAt10k)}${n === 10_000 ? '' : ` (projected from ${n} at ${f3(msPer)} ms/member)`}`);
    console.log(`  peak RSS (sampled)     ${f0(Math.max(first.peakRssMb, rerun.peakRssMb)).padStart(9)} MB   target <= ${TARGET.peakRssMb} MB    ${verdict(Math.max(first.peakRssMb, rerun.peakRssMb) <= TARGET.peakRssMb)}`
      + `   (maxRSS ${f0(maxRssMb)} MB: ${verdict(maxRssMb <= TARGET.peakRssMb)})`);
    console.log(`  re-run                 ${f0(rerun.wallMs).padStart(9)} ms   target <= ${TARGET.rerunMs} ms   ${verdict(rerun.wallMs <= TARGET.rerunMs)}`);

    const minutes = (members: number) => members / DEFAULT_RATE / 60;
    console.log(`\nat the default pace (SEND_RATE_PER_SECOND=${DEFAULT_RATE}): ${n} members / ${DEFAULT_RATE} per second = ${f0(n / DEFAULT_RATE)} s ≈ ${f1(minutes(n))} minutes`
      + `${n === 10_000 ? '' : `; 10000 members = ${f0(10_000 / DEFAULT_RATE)} s ≈ ${f1(minutes(10_000))} minutes`}.`);
    console.log(`  The pace, not growthbot's own cost (${f1(at10k / 1000)} s for 10,000), decides how long a real fan-out takes: Slack allows chat.postMessage`
      + `\n  only "several hundred per minute" per workspace (and about one per second per channel), so the queue keeps to ${DEFAULT_RATE}/s = ${DEFAULT_RATE * 60}/min.`);

    if (!passed) process.exitCode = 1;
  });
}

await benchMain(main, fakeStats);
