// Cost of one Friday digest run: runDigests for N mentors (people who only mentor), each with
// M active mentees and W weeks of history, on a real Postgres, against a fake Slack that answers
// at once and with pacing off, so what is measured is growthbot's own cost. Then the same at a
// smaller size with 1 and with 10 mentees per mentor, to show that the number of SQL queries
// does not grow with the number of mentees. Replies, kudos and help requests (offered, resolved,
// open a week or more) are seeded too, and each digest carries its Reply, Kudos and I'll help
// buttons (counted below). Run by hand; see bench/README.md.
import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import { DEFAULT_SLOTS, dueThisWeek, localWeek, previousWeek, slotInstant } from '../src/growth/schedule.ts';
import { runDigests } from '../src/jobs/digests.ts';
import { IDS } from '../src/outbound/ids.ts';
import { LEVELS, type Rubrics } from '../src/rubrics/schema.ts';
import type { FakeSlack } from '../src/sandbox/slack-stand-in.ts';
import {
  type BenchEnv,
  benchMain,
  covered,
  f0,
  f1,
  f3,
  flags,
  machine,
  mb,
  printChecks,
  printRuns,
  printTargets,
  type QueryLabels,
  rubricCatalog,
  seedMembers,
  seedPromptDeliveries,
  seedSteps,
  storedDeliveries,
  withBenchEnv,
} from './support.ts';

const TEAM = 'T0BENCH';
/** Friday 2026-12-11 14:05 UTC: 15:05 in Berlin, just after the digest slot (Friday 15:00 local). */
const INSTANT = new Date('2026-12-11T14:05:00Z');
/** Where the mentors live: mostly Berlin, and zones further east, all past Friday 15:00 at INSTANT and in the same ISO week. */
const MENTOR_ZONES = [
  'Europe/Berlin',
  'Europe/Berlin',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Stockholm',
  'Europe/Helsinki',
  'Asia/Kolkata',
  'Asia/Tokyo',
];
/** Where the mentees live: their weeks are counted in their own zone. */
const MENTEE_ZONES = [
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/London',
  'Europe/Stockholm',
  'Africa/Lagos',
  'Asia/Kolkata',
  'America/New_York',
];
/** The digest's cut-off weekday (src/jobs/digests.ts): due from Friday 15:00 until Sunday night. */
const DIGEST_CUTOFF = 7;
const TARGET = { wallMsAt1k: 5_000, msPerMentor: 5 };
/** Slack's limits on one message: blocks, and characters in a section's text. */
const LIMIT = { blocks: 50, sectionChars: 3000 };

interface Block {
  type?: string;
  text?: { text?: string };
  elements?: { action_id?: string }[];
}

/**
 * What the fake Slack (in its child process) checks of the digests it received, so the blocks need
 * not travel: every digest against Slack's limits; the one with the most blocks; when each arrived.
 */
function digestStats(fake: FakeSlack, from: number) {
  const digests = fake.calls
    .slice(from)
    .filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        !c.failed &&
        (c.args.metadata as { event_type?: string } | undefined)?.event_type === IDS.deliveryEvent,
    );
  const s = {
    digests: digests.length,
    maxBlocks: 0,
    maxSectionChars: 0,
    overBlocks: 0,
    overSection: 0,
    sample: null as null | { channel: string; blocks: number; layout: string; fallbackChars: number },
    /** Digests with a Reply button; Reply, Kudos and I'll help buttons in all. */
    withReply: 0,
    buttons: { reply: 0, kudos: 0, offer: 0 },
  };
  const M = IDS.mentoring;
  for (const c of digests) {
    const blocks = Array.isArray(c.args.blocks) ? (c.args.blocks as Block[]) : [];
    const longest = Math.max(0, ...blocks.filter((b) => b.type === 'section').map((b) => b.text?.text?.length ?? 0));
    s.maxBlocks = Math.max(s.maxBlocks, blocks.length);
    s.maxSectionChars = Math.max(s.maxSectionChars, longest);
    const ids = blocks.flatMap((b) => b.elements ?? []).map((e) => e.action_id);
    const n = (id: string) => ids.filter((x) => x === id).length;
    if (n(M.reply) > 0) s.withReply++;
    s.buttons.reply += n(M.reply);
    s.buttons.kudos += n(M.kudos);
    s.buttons.offer += n(M.offerHelp);
    if (blocks.length > LIMIT.blocks) s.overBlocks++;
    if (longest > LIMIT.sectionChars) s.overSection++;
    if (!s.sample || blocks.length > s.sample.blocks) {
      const layout = blocks
        .map((b) => (b.type === 'section' ? `section(${b.text?.text?.length ?? 0})` : String(b.type)))
        .join(' ');
      s.sample = {
        channel: String(c.args.channel),
        blocks: blocks.length,
        layout,
        fallbackChars: String(c.args.text ?? '').length,
      };
    }
  }
  return { ...s, arrivals: digests.map((c) => c.at) };
}

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
  [/p\.title, p\.link/, 'reflectionsSince'],
  [/from oncall_shifts s/, 'shiftsOverlapping'],
  [/^update deliveries d set/, 'recordResults'],
  [/^update nudges n set outcome = 'missed'/, 'recordResults: missed nudges'],
  [/^(begin|commit|rollback)$/, 'begin/commit'],
];

interface Size {
  mentors: number;
  mentees: number;
  weeks: number;
}

/** A stable pseudo-random non-negative integer from the parts (Postgres' hashtext), for mixing without random(). */
const h = (...parts: unknown[]) =>
  sql`(hashtext(${sql.join(
    parts.map((p) => sql`${p}::text`),
    sql` || ':' || `,
  )})::bigint & 2147483647)`;

/**
 * All set-based: mentors, mentees, mentorships, W weeks of nudges, deliveries (prompts, reminders,
 * past digests, paused weeks) and check-ins.
 */
async function seed(db: Db, rubrics: Rubrics, size: Size): Promise<string> {
  const { step, text } = seedSteps();
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
    seedMembers(db, {
      team: TEAM,
      count: mentors,
      prefix: 'UR',
      digits: 6,
      levels: [null],
      zones: MENTOR_ZONES,
      at: created,
      name: 'Bench mentor',
    }),
  );
  // Joined members at mixed levels (a quarter each) and zones; joined before the history starts.
  await step('mentees', () =>
    seedMembers(db, {
      team: TEAM,
      count: mentees,
      prefix: 'UE',
      digits: 7,
      levels: LEVELS,
      zones: MENTEE_ZONES,
      at: created,
      name: 'Bench mentee',
    }),
  );

  await step('mentorships', () =>
    sql`insert into mentorships (team_id, mentor_id, mentee_id, started_at)
      select ${TEAM}, 'UR' || lpad((i / ${perMentor})::text, 6, '0'), 'UE' || lpad(i::text, 7, '0'), ${created}::timestamptz + make_interval(days => 30 + i % 7)
      from generate_series(0, ${mentees - 1}) as i`.execute(db),
  );

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
      where not ${pausedWeek}`.execute(db),
  );

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
      where x.at < ${INSTANT}`.execute(db),
  );

  // The mentor answers back (issue 20). Help requests: about two in three of the shared ones have
  // a row (help offered on a third, resolved on a quarter of those older than a week, half of
  // those having helped); the rest are open with no answer yet, some a week old or more. Kudos
  // on about one shared check-in in four. Replies: the mentor writes about one week in three, and
  // the mentee answers back about half the time, threaded on the first.
  await step('help requests', () =>
    sql`insert into help_requests (checkin_id, team_id, user_id, offered_by, offered_at, resolved_by, resolved_at, helped, answered_at)
      select c.id, c.team_id, c.user_id,
             case when x.r % 3 = 0 then ms.mentor_id end,
             case when x.r % 3 = 0 then least(c.created_at + interval '1 day', ${INSTANT}) end,
             case when x.old and x.r % 4 = 0 then c.user_id end,
             case when x.old and x.r % 4 = 0 then c.created_at + interval '3 days' end,
             case when x.old and x.r % 4 = 0 then x.r % 2 = 0 end,
             case when x.old and x.r % 4 = 0 then c.created_at + interval '4 days' end
      from checkins c
      join mentorships ms on ms.team_id = c.team_id and ms.mentee_id = c.user_id
      cross join lateral (select ${h('helprow', sql`c.id`)} as r, c.created_at < ${INSTANT}::timestamptz - interval '7 days' as old) x
      where c.team_id = ${TEAM} and c.needs_help and not c.private and x.r % 3 <> 2`.execute(db),
  );
  await step('kudos', () =>
    sql`insert into kudos (checkin_id, team_id, user_id, mentor_id, created_at)
      select c.id, c.team_id, c.user_id, ms.mentor_id, least(c.created_at + interval '1 day', ${INSTANT})
      from checkins c join mentorships ms on ms.team_id = c.team_id and ms.mentee_id = c.user_id
      where c.team_id = ${TEAM} and not c.private and ${h('kudos', sql`c.id`)} % 4 = 0`.execute(db),
  );
  await step('replies', async () => {
    const mentor =
      await sql`insert into replies (team_id, user_id, mentor_id, from_mentor, text, channel, ts, idempotency_key, created_at)
      select ${TEAM}, ms.mentee_id, ms.mentor_id, true, 'Nice work on ' || w.week || ' & try *rate()* <first>', 'D' || substr(ms.mentee_id, 2),
             extract(epoch from w.monday + interval '4 days 15 hours')::bigint::text || '.000002', 'bench:reply:' || ms.mentee_id || ':' || w.week,
             w.monday + interval '4 days 15 hours'
      from mentorships ms cross join ${weekTable} w
      where ms.team_id = ${TEAM} and w.k > 0 and ${h('reply', sql`ms.mentee_id`, sql`w.k`)} % 3 = 0`.execute(db);
    const back =
      await sql`insert into replies (team_id, user_id, mentor_id, from_mentor, text, thread_id, channel, ts, idempotency_key, created_at)
      select r.team_id, r.user_id, r.mentor_id, false, 'thanks, will do', r.id, 'D' || substr(r.mentor_id, 2),
             extract(epoch from r.created_at + interval '2 hours')::bigint::text || '.000003', r.idempotency_key || ':back', r.created_at + interval '2 hours'
      from replies r where r.team_id = ${TEAM} and r.from_mentor and ${h('back', sql`r.id`)} % 2 = 0`.execute(db);
    return { numAffectedRows: (mentor.numAffectedRows ?? 0n) + (back.numAffectedRows ?? 0n) };
  });

  await step('this week answered', () =>
    sql`update nudges n set outcome = 'answered', updated_at = c.first
      from (select user_id, min(created_at) as first from checkins where team_id = ${TEAM} and created_at >= ${mondays[0]!}::timestamptz group by user_id) c
      where n.team_id = ${TEAM} and n.user_id = c.user_id and n.week = ${current}`.execute(db),
  );

  await step('deliveries', async () => {
    // Each prompt sent Monday; a prompt held back in a paused week (skipped, no nudge);
    // the Thursday reminder for about a quarter of past weeks and for this week's still-open prompts.
    const prompts = await seedPromptDeliveries(db, TEAM);
    const paused = await sql`insert into deliveries (team_id, user_id, kind, week, status, attempts, claimed_at)
      select ${TEAM}, m.user_id, 'prompt', w.week, 'skipped', 0, w.monday + interval '9 hours'
      from ${menteeTable} m cross join ${weekTable} w where ${pausedWeek}`.execute(db);
    const reminders =
      await sql`insert into deliveries (team_id, user_id, kind, week, nudge_id, status, attempts, channel, message_ts, claimed_at, sent_at)
      select n.team_id, n.user_id, 'reminder', n.week, n.id, 'sent', 1, 'D' || substr(n.user_id, 2),
             extract(epoch from n.created_at + interval '3 days')::bigint::text || '.' || lpad((n.id % 1000000)::text, 6, '0'),
             n.created_at + interval '3 days', n.created_at + interval '3 days'
      from nudges n
      where n.team_id = ${TEAM} and ((n.week = ${current} and n.outcome = 'open') or (n.week <> ${current} and ${h('remind', sql`n.user_id`, sql`n.week`)} % 4 = 0))`.execute(
        db,
      );
    // Every past Friday's digest to every mentor.
    const digests =
      await sql`insert into deliveries (team_id, user_id, kind, week, status, attempts, channel, message_ts, claimed_at, sent_at)
      select ${TEAM}, m.user_id, 'digest', w.week, 'sent', 1, 'D' || substr(m.user_id, 2),
             extract(epoch from w.monday + interval '4 days 14 hours')::bigint::text || '.000001', w.monday + interval '4 days 14 hours', w.monday + interval '4 days 14 hours'
      from members m cross join ${weekTable} w where m.team_id = ${TEAM} and m.level is null and w.k > 0`.execute(db);
    return {
      numAffectedRows: [prompts, paused, reminders, digests].reduce((n, r) => n + (r.numAffectedRows ?? 0n), 0n),
    };
  });

  // As autovacuum would have left them after W weeks: statistics and visibility map.
  await step('vacuum analyze', () =>
    sql`vacuum (analyze) members, mentorships, nudges, deliveries, checkins, help_requests, kudos, replies`.execute(db),
  );
  return text();
}

/** What the seeded data holds, for one line of the report. */
async function dataSummary(db: Db): Promise<string> {
  const r = await sql<
    Record<string, string>
  >`select (select count(*) from members) as members, (select count(*) from mentorships) as mentorships,
      (select count(*) from nudges) as nudges, (select count(*) from deliveries) as deliveries,
      (select count(*) from replies) as replies, (select count(*) from kudos) as kudos,
      (select count(*) from help_requests) as help_rows,
      (select count(*) from help_requests where offered_by is not null and resolved_at is null) as offered_open,
      (select count(*) from help_requests where resolved_at is not null) as resolved, c.*
    from (select count(*) as checkins, round(100.0 * avg(needs_help::int), 1) as help_pct, round(100.0 * avg(private::int), 1) as private_pct,
                 round(100.0 * avg((rating is null)::int), 1) as unrated_pct from checkins) c`.execute(db);
  const x = r.rows[0]!;
  return (
    `${x.members} members, ${x.mentorships} mentorships, ${x.nudges} nudges, ${x.deliveries} deliveries, ${x.checkins} check-ins ` +
    `(${x.help_pct}% asking for help, ${x.private_pct}% private, ${x.unrated_pct}% unrated); ${x.replies} replies, ${x.kudos} kudos, ` +
    `${x.help_rows} help-request rows (${x.offered_open} offered and open, ${x.resolved} resolved)`
  );
}

const sizeOf = (s: Size) => `${s.mentors} mentors × ${s.mentees} mentee${s.mentees === 1 ? '' : 's'}`;

/** Empties the tables, seeds a fresh set of data, prints what it holds, and runs runDigests once on it. */
async function run(env: BenchEnv<ReturnType<typeof digestStats>>, label: string, size: Size) {
  await sql`truncate replies, kudos, help_requests, deliveries, checkins, nudges, mentorships, members restart identity cascade`.execute(
    env.db,
  );
  console.log(`${label} (${sizeOf(size)}, ${size.weeks} weeks): ${await seed(env.db, env.deps.rubrics, size)}`);
  console.log(`  data: ${await dataSummary(env.db)}`);
  const r = await env.measure(() => runDigests(env.deps, INSTANT));
  return {
    label,
    size,
    n: size.mentors,
    ...r,
    stored: await storedDeliveries(env.db, 'digest', localWeek(INSTANT, MENTOR_ZONES[0]!)),
  };
}
type Run = Awaited<ReturnType<typeof run>>;

/**
 * Where a run's wall time went: the plan (mentors, claims) before the first lease, then each
 * leased batch of deliverDue: lease; prepare (first to last of digestsFor's queries); build (the
 * rest of digestsFor: progress and messages, up to the first digest reaching the fake Slack);
 * send (first to last digest received); wait (the last answers, up to recordResults); record.
 */
function printPhases(r: Run): void {
  const qs = [...r.queries].sort((a, b) => a.start - b.start);
  const leases = qs.filter((q) => q.label === 'leaseDue');
  const end = r.startAt + r.wallMs;
  const first = leases[0]?.start ?? end;
  console.log(
    `  ${r.label}: ${f0(r.wallMs)} ms in all; plan (mentors, due, claims) ${f0(first - r.startAt)} ms, of which database ${f0(covered(qs, r.startAt, first))} ms`,
  );
  leases.forEach((lease, i) => {
    const until = leases[i + 1]?.start ?? end;
    const inside = qs.filter((q) => q.start >= lease.end && q.start < until);
    const prep = inside.filter((q) =>
      /^(currentMentees|progressRows|latestShared|reflectionsSince|shiftsOverlapping)/.test(q.label),
    );
    const record = inside.filter((q) => q.label.startsWith('recordResults'));
    const sent = r.fake.arrivals.filter((t) => t >= lease.end && t < until);
    if (!prep.length) return console.log(`    lease ${i + 1}: ${f0(lease.end - lease.start)} ms, nothing left: done`);
    const prepStart = Math.min(...prep.map((q) => q.start));
    const prepEnd = Math.max(...prep.map((q) => q.end));
    const firstSent = sent[0] ?? prepEnd;
    const lastSent = sent[sent.length - 1] ?? prepEnd;
    const recStart = record[0]?.start ?? until;
    const recEnd = Math.max(recStart, ...record.map((q) => q.end));
    console.log(
      `    lease ${i + 1} (${sent.length} digests): lease ${f0(lease.end - lease.start)} ms, prepare ${f0(prepEnd - prepStart)} ms (${prep.length} queries), ` +
        `build ${f0(firstSent - prepEnd)} ms, send ${f0(lastSent - firstSent)} ms, wait ${f0(recStart - lastSent)} ms, record ${f0(recEnd - recStart)} ms`,
    );
  });
}

/** Statements by label: count × summed time, per run, side by side. */
function printQueries(runs: readonly Run[]): void {
  const labels = [...new Set(runs.flatMap((r) => r.queries.map((q) => q.label)))];
  const cell = (qs: Run['queries']) =>
    `${qs.length} × ${f1(qs.reduce((t, q) => t + q.end - q.start, 0)).padStart(7)} ms`;
  const rows = [
    ['statement', ...runs.map((r) => `${r.size.mentors}×${r.size.mentees}`)],
    ...labels.map((l) => [
      l,
      ...runs.map((r) => r.queries.filter((q) => q.label === l)).map((qs) => (qs.length ? cell(qs) : '-')),
    ]),
    ['total', ...runs.map((r) => cell(r.queries))],
  ];
  for (const row of rows.map((row) => row.map((c, i) => (i ? c.padStart(16) : c.padEnd(30))).join(' ')))
    console.log(`  ${row}`);
  console.log(
    '  (count × summed query time, as the log callback saw it; queries run in parallel, so the sum can exceed the wall time)',
  );
}

async function main(): Promise<void> {
  const opts = flags(
    'bench/digest.ts [--mentors N (default 1000)] [--mentees N per mentor (default 5)] [--weeks N (default 12)]\n' +
      '  [--compare-mentors N (default 200): after the main run, the same with 1 and with 10 mentees per mentor, to compare query counts]\n' +
      '  [--no-compare (only the main run)] [--fake-in-process (the fake Slack in this process, its cost counted)]',
    { mentors: 1000, mentees: 5, weeks: 12, 'compare-mentors': 200, 'no-compare': false, 'fake-in-process': false },
  );
  const startRssMb = mb(process.memoryUsage().rss);
  // Every mentor must be due at INSTANT, in one and the same week, or the counts below mean nothing.
  const dueWeeks = new Set(
    MENTOR_ZONES.map((tz) => {
      const d = dueThisWeek(INSTANT, tz, DEFAULT_SLOTS.digest, DIGEST_CUTOFF);
      if (d.state !== 'due') throw new Error(`a digest in ${tz} is not due at ${INSTANT.toISOString()} (${d.state})`);
      return d.week;
    }),
  );
  if (dueWeeks.size !== 1)
    throw new Error(
      `the mentors' zones are in different weeks at ${INSTANT.toISOString()}: ${[...dueWeeks].join(', ')}`,
    );

  await withBenchEnv(
    {
      script: import.meta.url,
      labels: LABELS,
      now: () => INSTANT,
      fakeInProcess: opts['fake-in-process'],
      more: digestStats,
    },
    async (env) => {
      console.log(
        `growthbot digest bench: ${machine()}, database ${env.database.name}, mentors in ${new Set(MENTOR_ZONES).size} time zones, all due at ` +
          `${INSTANT.toISOString()} (Friday, ${[...dueWeeks][0]}); fake Slack in ${env.fake.inChild ? 'a child process' : 'this process'}, pacing off; RSS at start ${f0(startRssMb)} MB`,
      );
      const big = await run(env, 'main', { mentors: opts.mentors, mentees: opts.mentees, weeks: opts.weeks });
      const compared: Run[] = [];
      for (const mentees of opts['no-compare'] ? [] : [1, 10]) {
        compared.push(
          await run(env, `${mentees} mentee${mentees === 1 ? '' : 's'}`, {
            mentors: opts['compare-mentors'],
            mentees,
            weeks: opts.weeks,
          }),
        );
      }
      const all = [big, ...compared];

      console.log('');
      printRuns(
        all,
        'mentor',
        [
          ['run', (r) => r.label],
          ['mentors', (r) => r.size.mentors],
          ['mentees', (r) => r.size.mentors * r.size.mentees],
        ],
        [
          ['sent', (r) => r.result.sent],
          ['postMessage', (r) => r.fake.postMessage],
        ],
      );
      console.log(`\n${await env.maxRssLine()}`);
      for (const r of all) console.log(`${`${r.label} report:`.padEnd(18)} ${JSON.stringify(r.result)}`);
      console.log('\nSQL statements per run:');
      printQueries(all);
      console.log('\nwhere the wall time went:');
      for (const r of all) printPhases(r);
      console.log(
        "  (prepare: first to last of digestsFor's queries (loadProgress's JS can overlap the last one); build: the rest of\n" +
          '   digestsFor (progress, messages) until the first digest reached the fake; send: first to last digest received;\n' +
          '   wait: the last answers until recordResults)',
      );

      console.log('\ndigests received by the fake Slack:');
      for (const { label, fake: f } of all) {
        console.log(
          `  ${label.padEnd(10)} ${f.digests} digests to ${f.channels} channels; most blocks ${f.maxBlocks} (limit ${LIMIT.blocks}), ` +
            `longest section ${f.maxSectionChars} chars (limit ${LIMIT.sectionChars})`,
        );
        console.log(
          `  ${' '.repeat(10)} buttons: Reply on ${f.withReply} digests (${f.buttons.reply} in all), Kudos ${f.buttons.kudos}, I'll help ${f.buttons.offer}`,
        );
        const s = f.sample;
        if (s)
          console.log(
            `  ${' '.repeat(10)} sample (the one with the most blocks, to ${s.channel}): ${s.blocks} blocks, fallback text ${s.fallbackChars} chars: ${s.layout}`,
          );
      }

      const failed = all.reduce((t, r) => t + r.fake.failed, 0);
      const passed = printChecks(
        [
          ...all.flatMap(
            ({ label, n, fake: f, result, stored }) =>
              [
                [
                  `${label}: chat.postMessage calls = mentors (${f.postMessage} / ${n}, ${f.channels} distinct channels), report.sent ${result.sent}`,
                  f.postMessage === n && f.channels === n && result.sent === n,
                ],
                [
                  `${label}: digests of the week stored as sent = mentors (${stored.sent} of ${stored.total} / ${n})`,
                  stored.sent === n && stored.total === n,
                ],
                [
                  `${label}: every digest ≤ ${LIMIT.blocks} blocks and every section ≤ ${LIMIT.sectionChars} chars (${f.overBlocks} over the block limit, ` +
                    `${f.overSection} with a longer section; sample ${f.sample?.blocks ?? 'none'} blocks)`,
                  f.digests === n && f.overBlocks === 0 && f.overSection === 0,
                ],
                [
                  `${label}: every digest has Reply; Kudos and I'll help offered (Reply on ${f.withReply} / ${n}, Kudos ${f.buttons.kudos}, I'll help ${f.buttons.offer})`,
                  f.withReply === n && f.buttons.kudos > 0 && f.buttons.offer > 0,
                ],
              ] as const,
          ),
          [
            `no failed Slack calls, no warnings logged (${failed} failed, ${env.warnings.count} warning line(s))`,
            failed === 0 && env.warnings.count === 0,
          ],
        ],
        env.warnings,
      );

      const msPer = big.wallMs / big.n;
      const [one, ten] = compared;
      printTargets([
        [
          'per mentor',
          `${f3(msPer)} ms`,
          `<= ${TARGET.msPerMentor} ms`,
          msPer <= TARGET.msPerMentor,
          `(${big.n} mentors, ${f0(big.wallMs)} ms)`,
        ],
        [
          '1,000 mentors',
          `${f0(msPer * 1000)} ms`,
          `<= ${TARGET.wallMsAt1k} ms`,
          msPer * 1000 <= TARGET.wallMsAt1k,
          big.n === 1000 ? '' : `(projected from ${big.n} at ${f3(msPer)} ms/mentor)`,
        ],
        ...(one && ten
          ? [
              [
                'queries, 1 vs 10 mentees',
                `${one.queries.length} vs ${ten.queries.length}`,
                'the same',
                one.queries.length === ten.queries.length,
                `(${one.size.mentors} mentors each; ${big.queries.length} for ${sizeOf(big.size)})`,
              ] as const,
            ]
          : []),
      ]);
      if (!one) console.log('  queries independent of mentees per mentor: not measured (--no-compare)');
      if (!passed) process.exitCode = 1;
    },
  );
}

await benchMain(main, digestStats);
