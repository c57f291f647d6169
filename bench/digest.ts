// Cost of one Friday digest run: runDigests for N mentors (people who only mentor), each with
// M active mentees and W weeks of history, on a real Postgres, against a fake Slack that answers
// at once and with pacing off, so what is measured is growthbot's own cost. Then the same at a
// smaller size with 1 and with 10 mentees per mentor, to show that the number of SQL queries
// does not grow with the number of mentees.
//
//   npx tsx bench/digest.ts [--mentors 1000] [--mentees 5] [--weeks 12] [--compare-mentors 200] [--no-compare] [--fake-in-process]
//
// Run by hand, not by CI. See bench/README.md for what it measures and how to read it.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import type { Deps } from '../src/deps.ts';
import { DEFAULT_SLOTS, dueThisWeek, localWeek, previousWeek, slotInstant } from '../src/growth/schedule.ts';
import { runDigests, type DigestsReport } from '../src/jobs/digests.ts';
import { LEVELS, type Rubrics } from '../src/rubrics/schema.ts';
import { IDS } from '../src/slack/ids.ts';
import type { FakeSlack } from '../src/sandbox/slack-stand-in.ts';
import {
  benchMain, type BenchFakeSlack, covered, ENV_HELP, f0, f1, f3, machine, maxRssLine, mb, measureRun, positiveInt, printChecks, type QueryLabels,
  type QueryRecord, rubricCatalog, type RunCost, type SeedStep, seedSteps, seedStepsText, table, verdict, withBenchEnv,
} from './support.ts';

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

// ---------------------------------------------------------------------------------------------
// The fake Slack (bench/support.ts): by default in a child process, so its CPU, memory (it keeps
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
}

/** stats(from): what the fake received from its call number `from` on. */
type FakeHandle = BenchFakeSlack<number, FakeStats>;
type FakeFigures = Awaited<ReturnType<FakeHandle['stats']>>;

interface Block {
  type?: string;
  text?: { text?: string };
}

function fakeStats(fake: FakeSlack, from: number): FakeStats {
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
  };
}

// ---------------------------------------------------------------------------------------------
// Counting SQL (countingDb in bench/support.ts).
// ---------------------------------------------------------------------------------------------

/** Which function in src/ issued a statement, from its text; in the order runDigests issues them. */
const LABELS: QueryLabels = [
  [/^select distinct "mentor"/, 'mentorsToDigest'],
  [/^select "team_id", "user_id", "week" from "deliveries"/, 'existingClaims'],
  [/^insert into "deliveries"/, 'claimDeliveries'],
  [/with picked as/, 'leaseDue'],
  [/^select "ms"\."team_id", "ms"\."mentor_id"/, 'currentMentees'],
  [/to_char\(c\.created_at/, 'progressRows: check-in weeks'],
  [/d\.status = 'skipped'/, 'progressRows: paused weeks'],
  [/array_agg\(c\.rating/, 'progressRows: competencies'],
  [/where c\.needs_help/, 'progressRows: help requests'],
  [/cross join lateral/, 'latestSharedCheckins'],
  [/^update deliveries d set/, 'recordResults'],
  [/^update nudges n set outcome = 'missed'/, 'recordResults: missed nudges'],
  [/^(begin|commit|rollback)$/, 'begin/commit'],
];

// ---------------------------------------------------------------------------------------------
// Seeding, all set-based: mentors, mentees, mentorships, W weeks of nudges, deliveries (prompts,
// reminders, past digests, paused weeks) and check-ins.
// ---------------------------------------------------------------------------------------------

interface Size {
  mentors: number;
  mentees: number;
  weeks: number;
}

/** A stable pseudo-random non-negative integer from the parts (Postgres' hashtext), for mixing without random(). */
const h = (...parts: unknown[]) => sql`(hashtext(${sql.join(parts.map((p) => sql`${p}::text`), sql` || ':' || `)})::bigint & 2147483647)`;

async function seed(db: Db, rubrics: Rubrics, size: Size): Promise<SeedStep[]> {
  const { steps, step } = seedSteps();
  const { mentors, mentees: perMentor, weeks: W } = size;
  const mentees = mentors * perMentor;
  const current = localWeek(INSTANT, 'UTC');
  // weeks[k] is k weeks back (k = 0: this week, whose Monday prompt went out and some of whose check-ins are in).
  const weeks = Array.from({ length: W }, (_, k) => previousWeek(current, k));
  const mondays = weeks.map((w) => slotInstant(w, { weekday: 1, minute: 0 }, 'UTC').toISOString());
  const created = slotInstant(previousWeek(current, W + 5), { weekday: 1, minute: 0 }, 'UTC');
  const cat = rubricCatalog(rubrics);
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

/** startAt: when runDigests was called, in epoch milliseconds, as the queries' times (see QueryRecord). */
interface RunFigures extends RunCost {
  label: string;
  size: Size;
  seedMs: number;
  seedSteps: SeedStep[];
  data: string;
  report: DigestsReport;
  fake: FakeFigures;
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
  const steps = await seed(db, deps.rubrics, size);
  const seedMs = performance.now() - seedT0;
  const data = await dataSummary(db);

  const from = (await fake.stats(0)).calls;
  const { result: report, cost } = await measureRun(ctx.record, () => runDigests(deps, INSTANT));

  const week = localWeek(INSTANT, MENTOR_ZONES[0]);
  const row = await sql<{ sent: string; total: string }>`select count(*) filter (where status = 'sent') as sent, count(*) as total
    from deliveries where kind = 'digest' and week = ${week}`.execute(db);
  return {
    label,
    size,
    seedMs,
    seedSteps: steps,
    data,
    report,
    ...cost,
    fake: await fake.stats(from),
    stored: { sent: Number(row.rows[0]?.sent ?? 0), total: Number(row.rows[0]?.total ?? 0) },
  };
}

// ---------------------------------------------------------------------------------------------
// The report.
// ---------------------------------------------------------------------------------------------

const sizeOf = (s: Size) => `${s.mentors} mentors × ${s.mentees} mentee${s.mentees === 1 ? '' : 's'}`;

function printSeeding(r: RunFigures): void {
  console.log(`${r.label} (${sizeOf(r.size)}, ${r.size.weeks} weeks): seeding ${f0(r.seedMs)} ms `
    + `(${seedStepsText(r.seedSteps)})`);
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

  // Every mentor must be due at INSTANT, in one and the same week, or the counts below mean nothing.
  const dueWeeks = new Set(MENTOR_ZONES.map((tz) => {
    const d = dueThisWeek(INSTANT, tz, DEFAULT_SLOTS.digest, DIGEST_CUTOFF);
    if (d.state !== 'due') throw new Error(`a digest in ${tz} is not due at ${INSTANT.toISOString()} (${d.state})`);
    return d.week;
  }));
  if (dueWeeks.size !== 1) throw new Error(`the mentors' zones are in different weeks at ${INSTANT.toISOString()}: ${[...dueWeeks].join(', ')}`);

  await withBenchEnv({
    labels: LABELS,
    now: () => INSTANT,
    fake: { inProcess: opts.fakeInProcess, script: import.meta.url, stats: fakeStats },
  }, async ({ database, db, record, fake, warnings, deps }) => {
    const ctx: Ctx = { db, deps, fake, record: record };

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
    console.log(`\n${maxRssLine(maxRssMb, fake, fakeNow)}`);
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
    const passed = printChecks(checks, warnings);

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

    if (!passed) process.exitCode = 1;
  });
}

await benchMain(main, fakeStats);
