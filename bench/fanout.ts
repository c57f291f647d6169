// Cost of one weekly fan-out: runWeeklyPrompts for N members who are all due at once, on a real
// Postgres with eight weeks of history per member, against a fake Slack that answers at once and
// with pacing off, so what is measured is growthbot's own cost (CPU, memory, SQL round trips).
// Run by hand; see bench/README.md.
import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import { promptCadence } from '../src/growth/cadence.ts';
import { dueThisWeek, localWeek, previousWeek, slotInstant } from '../src/growth/schedule.ts';
import { runWeeklyPrompts } from '../src/jobs/weekly-prompts.ts';
import { LEVELS, type Rubrics } from '../src/rubrics/schema.ts';
import {
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
/** Monday 2026-12-07 09:05 UTC: 10:05 in Berlin, just after the default Monday 10:00 slot. */
const INSTANT = new Date('2026-12-07T09:05:00Z');
const HISTORY_WEEKS = 8;
const CHECKINS_PER_MEMBER = 4;
/** Where members live and when they asked for their prompt (Monday, minute of the local day): all due at INSTANT. */
const ZONES = ['Europe/Berlin', 'Europe/Paris', 'Europe/Stockholm', 'Europe/London', 'Africa/Lagos', 'Asia/Kolkata'];
const MINUTES = [600, 600, 570, 540, 600, 840];
const TARGET = { msPerMember: 1, wallMsAt10k: 10_000, peakRssMb: 250, rerunMs: 1_000 };
/** The default SEND_RATE_PER_SECOND (src/config.ts). */
const DEFAULT_RATE = 3;

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
  [/^select "ms"\."team_id", "ms"\."mentor_id"/, 'currentMentees'],
  [/from oncall_shifts s/, 'shiftsOverlapping'],
  [/update deliveries d set/, 'recordResults'],
  [/update nudges n set outcome = 'missed'.*from deliveries d/s, 'recordResults: missed nudges'],
];

/** Members, eight weeks of nudges and sent deliveries, and check-ins, all set-based. */
async function seed(db: Db, rubrics: Rubrics, n: number): Promise<string> {
  const { step, text } = seedSteps();
  const week = localWeek(INSTANT, 'UTC');
  // Oldest first: weeks[0] is eight weeks ago, weeks[7] last week.
  const weeks = Array.from({ length: HISTORY_WEEKS }, (_, k) => previousWeek(week, HISTORY_WEEKS - k));
  const sentAt = weeks.map((w) => slotInstant(w, { weekday: 1, minute: 9 * 60 }, 'UTC').toISOString());
  const joinedAt = slotInstant(previousWeek(week, HISTORY_WEEKS + 1), { weekday: 1, minute: 0 }, 'UTC');
  const cat = rubricCatalog(rubrics);

  await step('members', () =>
    seedMembers(db, {
      team: TEAM,
      count: n,
      prefix: 'UB',
      digits: 7,
      levels: LEVELS,
      zones: ZONES,
      minutes: MINUTES,
      at: joinedAt,
    }),
  );

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
      join cat c on c.list = case when w.w % 4 = 0 then 'shared' else m.level end and c.slot = (m.i + 5 * w.w) % c.n`.execute(
      db,
    ),
  );

  await step('deliveries (prompt, sent)', () => seedPromptDeliveries(db, TEAM));

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
      join cat c on c.list = case when k = ${CHECKINS_PER_MEMBER} then 'shared' else m.level end and c.slot = (m.i + k) % c.n`.execute(
      db,
    ),
  );

  // As autovacuum would have left them after eight weeks: statistics and visibility map.
  await step('vacuum analyze', () => sql`vacuum (analyze) members, nudges, deliveries, checkins`.execute(db));
  return text();
}

async function main(): Promise<void> {
  const opts = flags(
    'bench/fanout.ts [--members N (default 10000)] [--fake-in-process (the fake Slack in this process, its cost counted)]',
    { members: 10_000, 'fake-in-process': false },
  );
  const startRssMb = mb(process.memoryUsage().rss);
  const n = opts.members;
  // Every member must be due at INSTANT, or the counts below mean nothing.
  ZONES.forEach((tz, i) => {
    const slot = { weekday: 1 as const, minute: MINUTES[i]! };
    if (dueThisWeek(INSTANT, tz, slot, promptCadence(slot).cutoff).state !== 'due')
      throw new Error(`${tz} is not due at ${INSTANT.toISOString()}`);
  });

  await withBenchEnv(
    { script: import.meta.url, labels: LABELS, now: () => INSTANT, fakeInProcess: opts['fake-in-process'] },
    async ({ database, db, fake, warnings, deps, measure, maxRssLine }) => {
      const week = localWeek(INSTANT, 'UTC');
      console.log(
        `growthbot fan-out bench: ${machine()}, database ${database.name}, ${n} members in ${ZONES.length} time zones, all due at ` +
          `${INSTANT.toISOString()} (${week}); fake Slack in ${fake.inChild ? 'a child process' : 'this process'}, pacing off; RSS at start ${f0(startRssMb)} MB`,
      );
      console.log(await seed(db, deps.rubrics, n));

      const first = { label: 'first', n, ...(await measure(() => runWeeklyPrompts(deps, INSTANT))) };
      const rerun = {
        label: 're-run',
        n,
        ...(await measure(() => runWeeklyPrompts(deps, new Date(INSTANT.getTime() + 60_000)))),
      };
      console.log('');
      printRuns(
        [first, rerun],
        'member',
        [
          ['run', (r) => r.label],
          ['members', (r) => r.result.members],
        ],
        [
          ['sent', (r) => r.result.sent],
          ['postMessage', (r) => r.fake.postMessage],
        ],
      );
      console.log(`\n${await maxRssLine()}`);
      console.log(
        `first run report: ${JSON.stringify(first.result)}\nre-run report:    ${JSON.stringify(rerun.result)}\n`,
      );

      // Where the wall time went: the plan before the first lease, then the send loop; database time within each.
      for (const r of [first, rerun]) {
        const end = r.startAt + r.wallMs;
        const leases = r.queries.filter((q) => q.label === 'leaseDue');
        const split = leases[0]?.start ?? end;
        const planDb = covered(r.queries, r.startAt, split);
        const sendDb = covered(r.queries, split, end);
        console.log(
          `${r.label}: plan (up to the first lease) ${f0(split - r.startAt)} ms, of which database ${f0(planDb)} ms and JS ${f0(split - r.startAt - planDb)} ms` +
            `${r.result.members ? ` (${f3((split - r.startAt) / r.result.members)} ms per member)` : ''}`,
        );
        if (leases.length) {
          console.log(
            `${' '.repeat(r.label.length)}  send loop ${f0(end - split)} ms in ${leases.length} lease(s), of which database ${f0(sendDb)} ms and sending/JS ` +
              `${f0(end - split - sendDb)} ms${r.result.sent ? ` (${f3((end - split - sendDb) / r.result.sent)} ms per message)` : ''}`,
          );
        }
        const byLabel = new Map<string, { count: number; ms: number }>();
        for (const q of r.queries) {
          const e = byLabel.get(q.label) ?? { count: 0, ms: 0 };
          byLabel.set(q.label, { count: e.count + 1, ms: e.ms + q.end - q.start });
        }
        for (const [label, e] of [...byLabel].sort((a, b) => b[1].ms - a[1].ms))
          console.log(`    ${label.padEnd(36)} ${String(e.count).padStart(4)} ×  ${f1(e.ms).padStart(8)} ms`);
      }

      // Correctness: one prompt per member, all recorded as sent, nothing the second time.
      const stored = await storedDeliveries(db, 'prompt', week);
      const failed = first.fake.failed + rerun.fake.failed;
      const passed = printChecks(
        [
          [
            `chat.postMessage calls in the first run = members (${first.fake.postMessage} / ${n}, ${first.fake.channels} distinct channels)`,
            first.fake.postMessage === n && first.fake.channels === n,
          ],
          [
            `deliveries of ${week} stored as sent = members (${stored.sent} of ${stored.total} / ${n})`,
            stored.sent === n && stored.total === n,
          ],
          [
            `re-run sends nothing (${rerun.fake.postMessage} postMessage, report.sent ${rerun.result.sent})`,
            rerun.fake.postMessage === 0 && rerun.result.sent === 0,
          ],
          [
            `no failed Slack calls, no warnings logged (${failed} failed, ${warnings.count} warning line(s))`,
            failed === 0 && warnings.count === 0,
          ],
        ],
        warnings,
      );

      const msPer = first.wallMs / n;
      const at10k = msPer * 10_000;
      const peak = Math.max(first.peakRssMb, rerun.peakRssMb);
      printTargets([
        ['own cost per member', `${f3(msPer)} ms`, `<= ${TARGET.msPerMember} ms`, msPer <= TARGET.msPerMember],
        [
          '10,000 members',
          `${f0(at10k)} ms`,
          `<= ${TARGET.wallMsAt10k} ms`,
          at10k <= TARGET.wallMsAt10k,
          n === 10_000 ? '' : `(projected from ${n} at ${f3(msPer)} ms/member)`,
        ],
        [
          'peak RSS (sampled)',
          `${f0(peak)} MB`,
          `<= ${TARGET.peakRssMb} MB`,
          peak <= TARGET.peakRssMb,
          `(maxRSS ${f0(rerun.maxRssMb)} MB: ${rerun.maxRssMb <= TARGET.peakRssMb ? 'met' : 'NOT met'})`,
        ],
        ['re-run', `${f0(rerun.wallMs)} ms`, `<= ${TARGET.rerunMs} ms`, rerun.wallMs <= TARGET.rerunMs],
      ]);

      const minutes = (members: number) => members / DEFAULT_RATE / 60;
      console.log(
        `\nat the default pace (SEND_RATE_PER_SECOND=${DEFAULT_RATE}): ${n} members / ${DEFAULT_RATE} per second = ${f0(n / DEFAULT_RATE)} s ≈ ${f1(minutes(n))} minutes` +
          `${n === 10_000 ? '' : `; 10000 members = ${f0(10_000 / DEFAULT_RATE)} s ≈ ${f1(minutes(10_000))} minutes`}: the pace, not growthbot's own cost ` +
          `(${f1(at10k / 1000)} s for 10,000), decides how long a real fan-out takes.`,
      );
      if (!passed) process.exitCode = 1;
    },
  );
}

await benchMain(main);
