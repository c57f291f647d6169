// Cost of one Friday digest run: runDigests for N mentors (people who only mentor), each with
// M active mentees and W weeks of history, on a real Postgres, against a fake Slack that answers
// at once and with pacing off, so what is measured is growthbot's own cost. Then the same at a
// smaller size with 1 and with 10 mentees per mentor, to show that the number of SQL queries
// does not grow with the number of mentees.
//
//   npx tsx bench/digest.ts [--mentors 1000] [--mentees 5] [--weeks 12] [--compare-mentors 200] [--no-compare] [--fake-in-process]
//
// Run by hand, not by CI. See bench/README.md for what it measures and how to read it.
import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { Deps } from '../src/deps.ts';
import { DEFAULT_SLOTS, dueThisWeek, localWeek, previousWeek, slotInstant } from '../src/growth/schedule.ts';
import { runDigests, type DigestsReport } from '../src/jobs/digests.ts';
import { LEVELS, type Rubrics } from '../src/rubrics/schema.ts';
import { IDS } from '../src/slack/ids.ts';
import { startFakeSlack } from '../test/support/fake-slack.ts';
import { benchDatabase, benchDeps, BOT_TOKEN, cleanupOnExit, ENV_HELP, machine, positiveInt, table, WarningSink } from './support.ts';

const TEAM = 'T0BENCH';
/** Friday 2026-12-11 14:05 UTC: 15:05 in Berlin, just after the digest slot (Friday 15:00 local). */
const INSTANT = new Date('2026-12-11T14:05:00Z');
/** Where the mentors live: mostly Berlin, and zones further east, all past Friday 15:00 at INSTANT and in the same ISO week. */
const MENTOR_ZONES = ['Europe/Berlin', 'Europe/Berlin', 'Europe/Berlin', 'Europe/Paris', 'Europe/Stockholm', 'Europe/Helsinki', 'Asia/Kolkata', 'Asia/Tokyo'] as const;
/** Where the mentees live: their weeks are counted in their own zone. */
const MENTEE_ZONES = ['Europe/Berlin', 'Europe/Paris', 'Europe/London', 'Europe/Stockholm', 'Africa/Lagos', 'Asia/Kolkata', 'America/New_York'] as const;
/** The digest's cut-off weekday (src/jobs/digests.ts): due from Friday 15:00 until Sunday night. */
const DIGEST_CUTOFF = 7;

const TARGET = { wallMsAt1k: 5_000 };
/** Slack's limits on one message: blocks, and characters in a section's text. */
const LIMIT = { blocks: 50, sectionChars: 3000 };

const MB = 1024 * 1024;
const mb = (bytes: number) => bytes / MB;

// ---------------------------------------------------------------------------------------------
// The fake Slack: by default in a child process (as in fanout.ts), so its CPU, memory (it keeps
// every call) and event loop are not counted as growthbot's. It also checks every digest it
// received against Slack's limits, so the blocks need not travel back to this process.
// ---------------------------------------------------------------------------------------------

interface DigestSample {
  channel: string;
  blocks: number;
  /** Block types in order, a section with its text length: `section(812)`. */
  layout: string;
  fallbackChars: number;
}

interface FakeStats {
  /** Every call so far, any method: what to pass as `from` next time. */
  calls: number;
  /** From `from` on: successful chat.postMessage calls, and the distinct channels they went to. */
  postMessage: number;
  channels: number;
  failed: number;
  /** chat.postMessage calls carrying a delivery id in their metadata (every DM a job sends). */
  digests: number;
  maxBlocks: number;
  maxSectionChars: number;
  /** Digests over Slack's block limit, and with a section over its character limit. */
  overBlocks: number;
  overSection: number;
  /** The digest with the most blocks (ties: the first). */
  sample: DigestSample | null;
  /** When each digest arrived (Date.now() in the fake's process), in order. */
  arrivals: number[];
  rssMb: number;
  maxRssMb: number;
}

interface FakeHandle {
  url: string;
  where: 'a child process' | 'this process';
  stats(from: number): Promise<FakeStats>;
  close(): Promise<void>;
}

type ToChild = { type: 'stats'; id: number; from: number } | { type: 'close' };
type FromChild = { type: 'ready'; url: string } | ({ type: 'stats'; id: number } & FakeStats);

interface Block {
  type?: string;
  text?: { text?: string };
}

function fakeStats(fake: Awaited<ReturnType<typeof startFakeSlack>>, from: number): FakeStats {
  const calls = fake.calls.slice(from);
  const posts = calls.filter((c) => c.method === 'chat.postMessage' && !c.failed);
  const digests = posts.filter((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === IDS.deliveryEvent);
  let maxBlocks = 0;
  let maxSectionChars = 0;
  let overBlocks = 0;
  let overSection = 0;
  let sample: DigestSample | null = null;
  for (const c of digests) {
    const blocks = Array.isArray(c.args.blocks) ? (c.args.blocks as Block[]) : [];
    const sections = blocks.filter((b) => b.type === 'section').map((b) => b.text?.text?.length ?? 0);
    const longest = Math.max(0, ...sections);
    maxBlocks = Math.max(maxBlocks, blocks.length);
    maxSectionChars = Math.max(maxSectionChars, longest);
    if (blocks.length > LIMIT.blocks) overBlocks++;
    if (longest > LIMIT.sectionChars) overSection++;
    if (!sample || blocks.length > sample.blocks) {
      sample = {
        channel: String(c.args.channel),
        blocks: blocks.length,
        layout: blocks.map((b) => (b.type === 'section' ? `section(${b.text?.text?.length ?? 0})` : String(b.type))).join(' '),
        fallbackChars: String(c.args.text ?? '').length,
      };
    }
  }
  return {
    calls: fake.calls.length,
    postMessage: posts.length,
    channels: new Set(posts.map((c) => String(c.args.channel))).size,
    failed: calls.filter((c) => c.failed).length,
    digests: digests.length,
    maxBlocks,
    maxSectionChars,
    overBlocks,
    overSection,
    sample,
    arrivals: digests.map((c) => c.at),
    rssMb: mb(process.memoryUsage().rss),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function fakeSlackChild(): Promise<void> {
  const fake = await startFakeSlack({ token: BOT_TOKEN });
  process.on('message', (m: ToChild) => {
    if (m.type === 'stats') process.send?.({ type: 'stats', id: m.id, ...fakeStats(fake, m.from) } satisfies FromChild);
    else void fake.close().finally(() => process.exit(0));
  });
  // The parent went away without saying goodbye (crash, kill -9): do not linger.
  process.on('disconnect', () => void fake.close().finally(() => process.exit(0)));
  process.send?.({ type: 'ready', url: fake.url } satisfies FromChild);
}

async function startFake(inProcess: boolean): Promise<FakeHandle> {
  if (inProcess) {
    const fake = await startFakeSlack({ token: BOT_TOKEN });
    return { url: fake.url, where: 'this process', stats: async (from) => fakeStats(fake, from), close: () => fake.close() };
  }
  // Only the loader flags (tsx's --require/--import) are passed on: a --cpu-prof given to this
  // process is about this process.
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if (/^(--require|-r|--import|--loader|--experimental-loader)$/.test(a)) execArgv.push(a, process.execArgv[++i] ?? '');
    else if (/^(--require|--import|--loader|--experimental-loader)=/.test(a)) execArgv.push(a);
  }
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    execArgv,
    env: { ...process.env, BENCH_DIGEST_ROLE: 'fake-slack' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the fake Slack child exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m: FromChild) => {
      child.off('exit', onExit);
      if (m.type === 'ready') resolve(m.url);
      else reject(new Error('the fake Slack child spoke out of turn'));
    });
  });
  let nextId = 0;
  return {
    url,
    where: 'a child process',
    stats: (from) =>
      new Promise<FakeStats>((resolve, reject) => {
        const id = ++nextId;
        const onMessage = (m: FromChild) => {
          if (m.type !== 'stats' || m.id !== id) return;
          child.off('message', onMessage);
          const { type: _type, id: _id, ...s } = m;
          resolve(s);
        };
        child.on('message', onMessage);
        if (!child.send({ type: 'stats', id, from } satisfies ToChild)) reject(new Error('the fake Slack child is gone'));
      }),
    close: async () => {
      if (child.exitCode === null && child.connected) child.send({ type: 'close' } satisfies ToChild);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Counting SQL: a Kysely of our own with a log callback, on the pool options of create-db.ts.
// ---------------------------------------------------------------------------------------------

interface QueryRecord {
  label: string;
  /** Epoch milliseconds (performance.timeOrigin + performance.now()), comparable with the fake's Date.now(). */
  start: number;
  end: number;
}

/** Which function in src/ issued a statement, from its text; in the order runDigests issues them. */
const LABELS: [RegExp, string][] = [
  [/^select distinct "mentor"/, 'mentorsToDigest'],
  [/^select "team_id", "user_id", "week" from "deliveries"/, 'existingClaims'],
  [/^insert into "deliveries"/, 'claimDeliveries'],
  [/with picked as/, 'leaseDue'],
  [/^select "ms"\."team_id", "ms"\."mentor_id"/, 'currentMentees'],
  [/to_char\(c\.created_at/, 'progressRows: check-in weeks'],
  [/d\.status = 'skipped'/, 'progressRows: paused weeks'],
  [/array_agg\(c\.rating/, 'progressRows: competencies'],
  [/where c\.needs_help/, 'progressRows: help requests'],
  [/distinct on/, 'latestSharedCheckins'],
  [/^update deliveries d set/, 'recordResults'],
  [/^update nudges n set outcome = 'missed'/, 'recordResults: missed nudges'],
  [/^(begin|commit|rollback)$/, 'begin/commit'],
];
const labelOf = (text: string): string => {
  const s = text.trim();
  return LABELS.find(([re]) => re.test(s))?.[1] ?? s.replace(/\s+/g, ' ').slice(0, 50);
};

function countingDb(url: string): { db: Db; record(into: QueryRecord[] | undefined): void } {
  let into: QueryRecord[] | undefined;
  // The options of src/db/create-db.ts for a DATABASE_URL (poolSize and connection timeout at their defaults).
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 30_000,
    keepAlive: true,
    application_name: 'growthbot',
  });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const log = (e: LogEvent) => {
    if (!into) return;
    const end = performance.timeOrigin + performance.now();
    into.push({ label: labelOf(e.query.sql), start: end - e.queryDurationMillis, end });
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  return { db, record: (r) => (into = r) };
}

// ---------------------------------------------------------------------------------------------
// Seeding, all set-based: mentors, mentees, mentorships, W weeks of nudges, deliveries (prompts,
// reminders, past digests, paused weeks) and check-ins.
// ---------------------------------------------------------------------------------------------

interface Size {
  mentors: number;
  mentees: number;
  weeks: number;
}

interface SeedStep {
  step: string;
  ms: number;
  rows: number;
}

/** Every competency of each level and of the shared rubric, numbered per list; and every prompt likewise. */
function catalog(rubrics: Rubrics) {
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

/** A stable pseudo-random non-negative integer from the parts (Postgres' hashtext), for mixing without random(). */
const h = (...parts: unknown[]) => sql`(hashtext(${sql.join(parts.map((p) => sql`${p}::text`), sql` || ':' || `)})::bigint & 2147483647)`;

async function seed(db: Db, rubrics: Rubrics, size: Size): Promise<SeedStep[]> {
  const steps: SeedStep[] = [];
  const step = async (name: string, run: () => Promise<{ numAffectedRows?: bigint }>) => {
    const t0 = performance.now();
    const r = await run();
    steps.push({ step: name, ms: performance.now() - t0, rows: Number(r.numAffectedRows ?? 0) });
  };
  const { mentors, mentees: perMentor, weeks: W } = size;
  const mentees = mentors * perMentor;
  const current = localWeek(INSTANT, 'UTC');
  // weeks[k] is k weeks back (k = 0: this week, whose Monday prompt went out and some of whose check-ins are in).
  const weeks = Array.from({ length: W }, (_, k) => previousWeek(current, k));
  const mondays = weeks.map((w) => slotInstant(w, { weekday: 1, minute: 0 }, 'UTC').toISOString());
  const created = slotInstant(previousWeek(current, W + 5), { weekday: 1, minute: 0 }, 'UTC');
  const cat = catalog(rubrics);
  // Weeks, as an SQL table: k, its week key, its Monday 00:00 UTC.
  const weekTable = sql`(select k - 1 as k, (${weeks}::text[])[k] as week, (${mondays}::timestamptz[])[k] as monday from generate_series(1, ${W}) as k)`;
  // Mentees, as an SQL table: i, user_id, level.
  const menteeTable = sql`(select user_id, level, substr(user_id, 3)::int as i from members where team_id = ${TEAM} and level is not null)`;
  const pausedWeek = sql`(w.k > 0 and ${h('paused', sql`m.user_id`, sql`w.k`)} % 40 = 0)`;

  // People who only mentor: no level, never joined, so they get no prompts themselves.
  await step('mentors', () =>
    sql`insert into members (team_id, user_id, level, display_name, tz, tz_checked_at, status, joined_at, created_at, updated_at)
      select ${TEAM}, 'UR' || lpad(i::text, 6, '0'), null, 'Bench mentor ' || i, (${[...MENTOR_ZONES]}::text[])[i % ${MENTOR_ZONES.length} + 1],
             ${created}, 'active', null, ${created}, ${created}
      from generate_series(0, ${mentors - 1}) as i`.execute(db));

  // Joined members at mixed levels (about a quarter each) and zones; joined before the history starts.
  await step('mentees', () =>
    sql`insert into members (team_id, user_id, level, display_name, tz, tz_checked_at, prompt_weekday, prompt_minute, status, joined_at, created_at, updated_at)
      select ${TEAM}, 'UE' || lpad(i::text, 7, '0'), (${[...LEVELS]}::text[])[${h('level', sql`i`)} % 4 + 1], 'Bench mentee ' || i,
             (${[...MENTEE_ZONES]}::text[])[i % ${MENTEE_ZONES.length} + 1], ${created}, 1, 540 + 30 * (i % 4), 'active',
             ${created}::timestamptz + make_interval(days => i % 30), ${created}, ${created}
      from generate_series(0, ${mentees - 1}) as i`.execute(db));

  await step('mentorships', () =>
    sql`insert into mentorships (team_id, mentor_id, mentee_id, started_at)
      select ${TEAM}, 'UR' || lpad((i / ${perMentor})::text, 6, '0'), 'UE' || lpad(i::text, 7, '0'), ${created}::timestamptz + make_interval(days => 30 + i % 7)
      from generate_series(0, ${mentees - 1}) as i`.execute(db));

  // One prompt a week (every fourth from the shared rubric), sent Monday morning; none in a paused week.
  // Past weeks answered, one in ten skipped; this week's open until a check-in answers it (below).
  await step('nudges', () =>
    sql`with cat as (select * from jsonb_to_recordset(${cat.prompts}::jsonb) as c(list text, slot int, n int, competency_id text, prompt_id text, prompt_text text))
      insert into nudges (team_id, user_id, week, level, competency_id, prompt_id, prompt_text, outcome, created_at, updated_at)
      select ${TEAM}, m.user_id, w.week, m.level, c.competency_id, c.prompt_id, c.prompt_text,
             case when w.k = 0 then 'open' when ${h('skip', sql`m.user_id`, sql`w.k`)} % 10 = 0 then 'skipped' else 'answered' end,
             w.monday + interval '9 hours', w.monday + interval '2 days'
      from ${menteeTable} m cross join ${weekTable} w
      join cat c on c.list = case when (m.i + w.k) % 4 = 0 then 'shared' else m.level end
                and c.slot = ${h('prompt', sql`m.user_id`, sql`w.k`)} % c.n
      where not ${pausedWeek}`.execute(db));

  // Statistics for the join below: without them the planner guesses at freshly filled tables.
  await step('analyze', () => sql`analyze members, nudges`.execute(db));

  // 1–3 check-ins a mentee a week, spread over the week (this week's only up to now): mostly on
  // their level's competencies, one in four on a shared one; ratings 1–4, one in five unrated;
  // about one in ten asking for help, about 15% "just for me". The first of a week answers its prompt.
  await step('checkins', () =>
    sql`with cat as (select * from jsonb_to_recordset(${cat.competencies}::jsonb) as c(list text, slot int, n int, competency_id text, competency_name text)),
           x as (
             select m.user_id, m.level, m.i, w.k, w.week, j, ${h(sql`m.user_id`, sql`w.k`, sql`j`)} as r,
                    w.monday + make_interval(mins => (${h('at', sql`m.user_id`, sql`w.k`, sql`j`)} % (7 * 24 * 60))::int) as at
             from ${menteeTable} m cross join ${weekTable} w cross join generate_series(1, 3) as j
             where j <= 1 + ${h('count', sql`m.user_id`, sql`w.k`)} % 3)
      insert into checkins (team_id, user_id, competency_id, competency_name, text, rating, needs_help, private, source, nudge_id, idempotency_key, created_at, updated_at)
      select ${TEAM}, x.user_id, c.competency_id, c.competency_name,
             'Week ' || x.week || ', check-in ' || x.j || ': ' || repeat('Walked through the runbook for the ingest service & noted where p99 < 300 ms did not hold. '::text, (1 + x.r % 6)::int)
               || case when x.r % 7 = 0 then '*Next:* ask <@UR000000> about the alert thresholds.' else '' end,
             case when x.r % 5 = 0 then null else (x.r / 5) % 4 + 1 end,
             ${h('help', sql`x.user_id`, sql`x.k`, sql`x.j`)} % 10 = 0,
             ${h('private', sql`x.user_id`, sql`x.k`, sql`x.j`)} % 100 < 15,
             (array['modal', 'command', 'dm'])[x.r % 3 + 1], n.id,
             'bench:' || x.user_id || ':' || x.week || ':' || x.j, x.at, x.at
      from x
      join cat c on c.list = case when (x.r / 20) % 4 = 0 then 'shared' else x.level end and c.slot = (x.r / 80) % c.n
      left join nudges n on x.j = 1 and n.team_id = ${TEAM} and n.user_id = x.user_id and n.week = x.week
      where x.at < ${INSTANT}`.execute(db));

  await step('this week answered', () =>
    sql`update nudges n set outcome = 'answered', updated_at = c.first
      from (select user_id, min(created_at) as first from checkins where team_id = ${TEAM} and created_at >= ${mondays[0]!}::timestamptz group by user_id) c
      where n.team_id = ${TEAM} and n.user_id = c.user_id and n.week = ${current}`.execute(db));

  await step('deliveries', async () => {
    // Each prompt sent Monday; a prompt held back in a paused week (skipped, no nudge);
    // the Thursday reminder for about a quarter of past weeks and for this week's still-open prompts.
    const prompts = await sql`insert into deliveries (team_id, user_id, kind, week, nudge_id, status, attempts, channel, message_ts, claimed_at, sent_at)
      select n.team_id, n.user_id, 'prompt', n.week, n.id, 'sent', 1, 'D' || substr(n.user_id, 2),
             extract(epoch from n.created_at)::bigint::text || '.' || lpad((n.id % 1000000)::text, 6, '0'), n.created_at, n.created_at
      from nudges n where n.team_id = ${TEAM}`.execute(db);
    const paused = await sql`insert into deliveries (team_id, user_id, kind, week, status, attempts, claimed_at)
      select ${TEAM}, m.user_id, 'prompt', w.week, 'skipped', 0, w.monday + interval '9 hours'
      from ${menteeTable} m cross join ${weekTable} w where ${pausedWeek}`.execute(db);
    const reminders = await sql`insert into deliveries (team_id, user_id, kind, week, nudge_id, status, attempts, channel, message_ts, claimed_at, sent_at)
      select n.team_id, n.user_id, 'reminder', n.week, n.id, 'sent', 1, 'D' || substr(n.user_id, 2),
             extract(epoch from n.created_at + interval '3 days')::bigint::text || '.' || lpad((n.id % 1000000)::text, 6, '0'),
             n.created_at + interval '3 days', n.created_at + interval '3 days'
      from nudges n
      where n.team_id = ${TEAM} and ((n.week = ${current} and n.outcome = 'open') or (n.week <> ${current} and ${h('remind', sql`n.user_id`, sql`n.week`)} % 4 = 0))`.execute(db);
    // Every past Friday's digest to every mentor.
    const digests = await sql`insert into deliveries (team_id, user_id, kind, week, status, attempts, channel, message_ts, claimed_at, sent_at)
      select ${TEAM}, m.user_id, 'digest', w.week, 'sent', 1, 'D' || substr(m.user_id, 2),
             extract(epoch from w.monday + interval '4 days 14 hours')::bigint::text || '.000001', w.monday + interval '4 days 14 hours', w.monday + interval '4 days 14 hours'
      from members m cross join ${weekTable} w where m.team_id = ${TEAM} and m.level is null and w.k > 0`.execute(db);
    return { numAffectedRows: [prompts, paused, reminders, digests].reduce((n, r) => n + (r.numAffectedRows ?? 0n), 0n) };
  });

  // As autovacuum would have left them after W weeks: statistics and visibility map.
  await step('vacuum analyze', () => sql`vacuum (analyze) members, mentorships, nudges, deliveries, checkins`.execute(db));
  return steps;
}

/** What the seeded data holds, for one line of the report. */
async function dataSummary(db: Db): Promise<string> {
  const r = await sql<Record<string, string>>`select
      (select count(*) from members) as members,
      (select count(*) from mentorships) as mentorships,
      (select count(*) from nudges) as nudges,
      (select count(*) from deliveries) as deliveries,
      (select count(*) from checkins) as checkins,
      (select round(100.0 * avg(needs_help::int), 1) from checkins) as help_pct,
      (select round(100.0 * avg(private::int), 1) from checkins) as private_pct,
      (select round(100.0 * avg((rating is null)::int), 1) from checkins) as unrated_pct`.execute(db);
  const x = r.rows[0]!;
  return `${x.members} members, ${x.mentorships} mentorships, ${x.nudges} nudges, ${x.deliveries} deliveries, ${x.checkins} check-ins `
    + `(${x.help_pct}% asking for help, ${x.private_pct}% private, ${x.unrated_pct}% unrated)`;
}

// ---------------------------------------------------------------------------------------------
// One run.
// ---------------------------------------------------------------------------------------------

interface RunFigures {
  label: string;
  size: Size;
  seedMs: number;
  seedSteps: SeedStep[];
  data: string;
  report: DigestsReport;
  /** When runDigests was called, in epoch milliseconds (see QueryRecord). */
  startAt: number;
  wallMs: number;
  cpuMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  maxLoopBlockMs: number;
  queries: QueryRecord[];
  fake: FakeStats;
  /** Digest deliveries of this week stored as sent, and in all. */
  stored: { sent: number; total: number };
}

interface Ctx {
  db: Db;
  deps: Deps;
  fake: FakeHandle;
  record(into: QueryRecord[] | undefined): void;
}

/** Seeds a fresh set of data (emptying the tables first) and runs runDigests once on it. */
async function run(ctx: Ctx, label: string, size: Size): Promise<RunFigures> {
  const { db, deps, fake } = ctx;
  await sql`truncate deliveries, checkins, nudges, mentorships, members restart identity`.execute(db);
  const seedT0 = performance.now();
  const seedSteps = await seed(db, deps.rubrics, size);
  const seedMs = performance.now() - seedT0;
  const data = await dataSummary(db);

  const from = (await fake.stats(0)).calls;
  const queries: QueryRecord[] = [];
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sample = () => void (peakRss = Math.max(peakRss, process.memoryUsage().rss));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const sampler = setInterval(sample, 50);
  loop.enable();
  ctx.record(queries);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const startAt = performance.timeOrigin + t0;
  let report: DigestsReport;
  try {
    report = await runDigests(deps, INSTANT);
  } finally {
    ctx.record(undefined);
    clearInterval(sampler);
    loop.disable();
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  sample();

  const week = localWeek(INSTANT, MENTOR_ZONES[0]);
  const row = await sql<{ sent: string; total: string }>`select count(*) filter (where status = 'sent') as sent, count(*) as total
    from deliveries where kind = 'digest' and week = ${week}`.execute(db);
  return {
    label,
    size,
    seedMs,
    seedSteps,
    data,
    report,
    startAt,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeMb: mb(rssBefore),
    peakRssMb: mb(peakRss),
    maxLoopBlockMs: loop.max / 1e6,
    queries,
    fake: await fake.stats(from),
    stored: { sent: Number(row.rows[0]?.sent ?? 0), total: Number(row.rows[0]?.total ?? 0) },
  };
}

// ---------------------------------------------------------------------------------------------
// The report.
// ---------------------------------------------------------------------------------------------

const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const f3 = (x: number) => x.toFixed(3);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const sizeOf = (s: Size) => `${s.mentors} mentors × ${s.mentees} mentee${s.mentees === 1 ? '' : 's'}`;

function printSeeding(r: RunFigures): void {
  console.log(`${r.label} (${sizeOf(r.size)}, ${r.size.weeks} weeks): seeding ${f0(r.seedMs)} ms `
    + `(${r.seedSteps.map((s) => `${s.step} ${s.rows ? `${s.rows} rows ` : ''}${f0(s.ms)} ms`).join(', ')})`);
  console.log(`  data: ${r.data}`);
}

function printRuns(runs: readonly RunFigures[]): void {
  const rows = table([10, 7, 7, 8, 9, 7, 7, 6, 10, 8, 10, 5, 11], [
    ['run', 'mentors', 'mentees', 'wall ms', 'ms/mentor', 'cpu ms', 'queries', 'db ms', 'RSS before', 'peak RSS', 'loop block', 'sent', 'postMessage'],
    ...runs.map((r) => [r.label, r.size.mentors, r.size.mentors * r.size.mentees, f0(r.wallMs), f3(r.wallMs / r.size.mentors), f0(r.cpuMs), r.queries.length,
      f0(covered(r.queries)), `${f0(r.rssBeforeMb)} MB`, `${f0(r.peakRssMb)} MB`, `${f0(r.maxLoopBlockMs)} ms`, r.report.sent, r.fake.postMessage]),
  ]);
  for (const row of rows) console.log(row);
  console.log('  (mentees: in all; db ms: time with at least one query in flight; RSS sampled every 50 ms;\n'
    + '   loop block: longest the event loop could not turn)');
}

/** Milliseconds covered by at least one interval (within [from, to]). */
function covered(intervals: readonly { start: number; end: number }[], from = -Infinity, to = Infinity): number {
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

/**
 * Where a run's wall time went: the plan (mentors, claims) before the first lease, then each
 * leased batch of deliverDue: lease; prepare (first to last of digestsFor's queries); build (the
 * rest of digestsFor: progress and messages, up to the first digest reaching the fake Slack);
 * send (first to last digest received); wait (the last answers, up to recordResults); record.
 */
function printPhases(r: RunFigures): void {
  const at = (t: number) => t - r.startAt;
  const qs = [...r.queries].sort((a, b) => a.start - b.start);
  const leases = qs.filter((q) => q.label === 'leaseDue');
  const end = r.startAt + r.wallMs;
  const first = leases[0]?.start ?? end;
  console.log(`  ${r.label}: ${f0(r.wallMs)} ms in all; plan (mentors, due, claims) ${f0(at(first))} ms, of which database ${f0(covered(qs, r.startAt, first))} ms`);
  leases.forEach((lease, i) => {
    const until = leases[i + 1]?.start ?? end;
    const inside = qs.filter((q) => q.start >= lease.end && q.start < until);
    const prep = inside.filter((q) => /^(currentMentees|progressRows|latestShared)/.test(q.label));
    const record = inside.filter((q) => q.label.startsWith('recordResults'));
    const sent = r.fake.arrivals.filter((t) => t >= lease.end && t < until);
    if (!prep.length) {
      console.log(`    lease ${i + 1}: ${f0(lease.end - lease.start)} ms, nothing left: done`);
      return;
    }
    const prepStart = Math.min(...prep.map((q) => q.start));
    const prepEnd = Math.max(...prep.map((q) => q.end));
    const firstSent = sent[0] ?? prepEnd;
    const lastSent = sent[sent.length - 1] ?? prepEnd;
    const recStart = record[0]?.start ?? until;
    const recEnd = Math.max(recStart, ...record.map((q) => q.end));
    console.log(`    lease ${i + 1} (${sent.length} digests): lease ${f0(lease.end - lease.start)} ms, prepare ${f0(prepEnd - prepStart)} ms (${prep.length} queries), `
      + `build ${f0(firstSent - prepEnd)} ms, send ${f0(lastSent - firstSent)} ms, wait ${f0(recStart - lastSent)} ms, record ${f0(recEnd - recStart)} ms`);
  });
}

/** Statements by label: how many of each, per run, side by side; with the time of the first run. */
function printQueries(runs: readonly RunFigures[]): void {
  const labels: string[] = [];
  for (const r of runs) for (const q of r.queries) if (!labels.includes(q.label)) labels.push(q.label);
  const count = (r: RunFigures, label: string) => r.queries.filter((q) => q.label === label).length;
  const ms = (r: RunFigures, label: string) => r.queries.filter((q) => q.label === label).reduce((t, q) => t + q.end - q.start, 0);
  const widths = [30, ...runs.flatMap(() => [16])];
  const rows = table(widths, [
    ['statement', ...runs.map((r) => `${r.size.mentors}×${r.size.mentees}`)],
    ...labels.map((l) => [l, ...runs.map((r) => (count(r, l) ? `${count(r, l)} × ${f1(ms(r, l)).padStart(7)} ms` : '-'))]),
    ['total', ...runs.map((r) => `${r.queries.length} × ${f1(r.queries.reduce((t, q) => t + q.end - q.start, 0)).padStart(7)} ms`)],
  ]);
  for (const row of rows) console.log(`  ${row}`);
  console.log('  (count × summed query time, as the log callback saw it; queries run in parallel, so the sum can exceed the wall time)');
}

// ---------------------------------------------------------------------------------------------

function options() {
  const { values } = parseArgs({
    options: {
      mentors: { type: 'string', default: '1000' },
      mentees: { type: 'string', default: '5' },
      weeks: { type: 'string', default: '12' },
      'compare-mentors': { type: 'string', default: '200' },
      'no-compare': { type: 'boolean', default: false },
      'fake-in-process': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npx tsx bench/digest.ts [--mentors N (default 1000)] [--mentees N per mentor (default 5)] [--weeks N (default 12)]\n'
      + '                                 [--compare-mentors N (default 200)] [--no-compare] [--fake-in-process]\n'
      + '  after the main run, the same with 1 and with 10 mentees per mentor at --compare-mentors mentors, to compare query counts\n'
      + '  --no-compare       only the main run\n'
      + '  --fake-in-process  run the fake Slack in this process (default: a child process, so its cost is not counted)\n'
      + ENV_HELP);
    process.exit(0);
  }
  return {
    size: { mentors: positiveInt('mentors', values.mentors), mentees: positiveInt('mentees', values.mentees), weeks: positiveInt('weeks', values.weeks) },
    compareMentors: positiveInt('compare-mentors', values['compare-mentors']),
    compare: !values['no-compare'],
    fakeInProcess: values['fake-in-process'],
  };
}

async function main(): Promise<void> {
  const opts = options();
  const startRssMb = mb(process.memoryUsage().rss);
  const database = benchDatabase();

  // Every mentor must be due at INSTANT, in one and the same week, or the counts below mean nothing.
  const dueWeeks = new Set(MENTOR_ZONES.map((tz) => {
    const d = dueThisWeek(INSTANT, tz, DEFAULT_SLOTS.digest, DIGEST_CUTOFF);
    if (d.state !== 'due') throw new Error(`a digest in ${tz} is not due at ${INSTANT.toISOString()} (${d.state})`);
    return d.week;
  }));
  if (dueWeeks.size !== 1) throw new Error(`the mentors' zones are in different weeks at ${INSTANT.toISOString()}: ${[...dueWeeks].join(', ')}`);

  let db: Db | undefined;
  let fake: FakeHandle | undefined;
  const cleanup = cleanupOnExit(database.name, () => [
    ['database pool', db && (() => db!.destroy())],
    ['database', () => database.drop()],
    ['fake Slack', fake && (() => fake!.close())],
  ]);

  try {
    await database.create();
    const counting = countingDb(database.url);
    db = counting.db;
    await migrateToLatest(db);
    fake = await startFake(opts.fakeInProcess);

    const warnings = new WarningSink();
    const deps = await benchDeps({ slackUrl: fake.url, databaseUrl: database.url, db, sink: warnings, now: () => INSTANT });
    const ctx: Ctx = { db, deps, fake, record: counting.record };

    console.log(`growthbot digest bench: ${machine()}, database ${database.name}, `
      + `mentors in ${new Set(MENTOR_ZONES).size} time zones, all due at ${INSTANT.toISOString()} (Friday, ${[...dueWeeks][0]}); `
      + `fake Slack in ${fake.where}, pacing off; RSS at start ${f0(startRssMb)} MB`);

    const big = await run(ctx, 'main', opts.size);
    printSeeding(big);
    const compared: RunFigures[] = [];
    if (opts.compare) {
      for (const mentees of [1, 10]) {
        const r = await run(ctx, `${mentees} mentee${mentees === 1 ? '' : 's'}`, { mentors: opts.compareMentors, mentees, weeks: opts.size.weeks });
        printSeeding(r);
        compared.push(r);
      }
    }
    const all = [big, ...compared];
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const fakeNow = await fake.stats(Number.MAX_SAFE_INTEGER);

    console.log('');
    printRuns(all);
    console.log(`\nprocess maxRSS (resourceUsage, whole life of the process, seeding included): ${f0(maxRssMb)} MB`
      + `${fake.where === 'a child process' ? `; fake Slack child: ${f0(fakeNow.rssMb)} MB now, ${f0(fakeNow.maxRssMb)} MB max (not counted)` : ' (fake Slack included)'}`);
    for (const r of all) console.log(`${`${r.label} report:`.padEnd(18)} ${JSON.stringify(r.report)}`);

    console.log('\nSQL statements per run:');
    printQueries(all);
    console.log('\nwhere the wall time went:');
    for (const r of all) printPhases(r);
    console.log('  (prepare: first to last of digestsFor\'s queries (loadProgress\'s JS can overlap the last one); build: the rest of\n'
      + '   digestsFor (progress, messages) until the first digest reached the fake; send: first to last digest received;\n'
      + '   wait: the last answers until recordResults)');

    console.log('\ndigests received by the fake Slack:');
    for (const r of all) {
      const s = r.fake.sample;
      console.log(`  ${r.label.padEnd(10)} ${r.fake.digests} digests to ${r.fake.channels} channels; most blocks ${r.fake.maxBlocks} (limit ${LIMIT.blocks}), `
        + `longest section ${r.fake.maxSectionChars} chars (limit ${LIMIT.sectionChars})`);
      if (s) console.log(`  ${' '.repeat(10)} sample (the one with the most blocks, to ${s.channel}): ${s.blocks} blocks, fallback text ${s.fallbackChars} chars: ${s.layout}`);
    }

    const checks: [string, boolean][] = [];
    for (const r of all) {
      const n = r.size.mentors;
      checks.push(
        [`${r.label}: chat.postMessage calls = mentors (${r.fake.postMessage} / ${n}, ${r.fake.channels} distinct channels), report.sent ${r.report.sent}`,
          r.fake.postMessage === n && r.fake.channels === n && r.report.sent === n],
        [`${r.label}: digests of the week stored as sent = mentors (${r.stored.sent} of ${r.stored.total} / ${n})`, r.stored.sent === n && r.stored.total === n],
        [`${r.label}: every digest ≤ ${LIMIT.blocks} blocks and every section ≤ ${LIMIT.sectionChars} chars (${r.fake.overBlocks} over the block limit, ${r.fake.overSection} with a longer section; `
          + `sample ${r.fake.sample?.blocks ?? 'none'} blocks)`, r.fake.digests === n && r.fake.overBlocks === 0 && r.fake.overSection === 0],
      );
    }
    const failed = all.reduce((t, r) => t + r.fake.failed, 0);
    checks.push([`no failed Slack calls, no warnings logged (${failed} failed, ${warnings.count} warning line(s))`, failed === 0 && warnings.count === 0]);
    console.log('\nchecks:');
    for (const [what, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (warnings.count > 0) console.log(`  first warnings: ${warnings.first.join(' | ')}`);

    const n = big.size.mentors;
    const msPer = big.wallMs / n;
    const at1k = n === 1_000 ? big.wallMs : msPer * 1_000;
    console.log('\ntargets:');
    console.log(`  1,000 mentors              ${f0(at1k).padStart(7)} ms   target <= ${TARGET.wallMsAt1k} ms   ${verdict(at1k <= TARGET.wallMsAt1k)}`
      + `${n === 1_000 ? '' : ` (projected from ${n} at ${f3(msPer)} ms/mentor)`}`);
    if (compared.length === 2) {
      const [one, ten] = compared as [RunFigures, RunFigures];
      const same = one.queries.length === ten.queries.length;
      console.log(`  queries, 1 vs 10 mentees   ${String(one.queries.length).padStart(4)} vs ${ten.queries.length}   target: the same      ${verdict(same)}`
        + ` (${one.size.mentors} mentors each; ${big.queries.length} for ${sizeOf(big.size)})`);
    } else {
      console.log('  queries independent of mentees per mentor: not measured (--no-compare)');
    }

    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

if (process.env.BENCH_DIGEST_ROLE === 'fake-slack') {
  await fakeSlackChild();
} else {
  await main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
