// Cost of one one-on-ones run that sends N pairs their 1:1 agenda: runOneOnOnes on a real Postgres
// against a fake Slack that answers at once, pacing off. Each pair meets on Thursday at 10:00,
// 10:30 or 11:00 in Berlin, Paris or Stockholm, so the run at Wednesday 10:05 UTC finds every agenda
// due (three agenda instants); each mentee has a focus, check-ins on it since the last 1:1 (one in
// five private), an open help request and two agenda items (typed, and a check-in). Prints the run's
// figures and its statements by function; checks that both of each pair got one agenda and that no
// private check-in's text reached any. Run by hand; see bench/README.md.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import { runOneOnOnes } from '../src/jobs/one-on-ones.ts';
import type { FakeSlack } from '../src/sandbox/slack-stand-in.ts';
import {
  benchMain,
  f0,
  f3,
  flags,
  machine,
  printChecks,
  printRuns,
  printTargets,
  type QueryLabels,
  seedMembers,
  seedSteps,
  withBenchEnv,
} from './support.ts';

const TEAM = 'T0BENCH';
/** Wednesday 2026-12-09 10:05 UTC: past every agenda's time (a day before Thursday 10:00–11:00 at UTC+1). */
const INSTANT = new Date('2026-12-09T10:05:00Z');
const ZONES = ['Europe/Berlin', 'Europe/Paris', 'Europe/Stockholm'];
const MINUTES = [600, 630, 660];
const PRIVATE = 'BENCH-PRIVATE';
const TARGET = { msPerPair: 5 };

const { pairs: N } = flags('bench/one-on-ones.ts [--pairs 1000]', { pairs: 1000 });

/** What the fake Slack (in its child process) saw: agendas, and any with a private check-in's text. */
function agendaStats(fake: FakeSlack, from: number) {
  const sent = fake.calls.slice(from).filter((c) => c.method === 'chat.postMessage' && !c.failed);
  return {
    agendas: sent.filter((c) => String(c.args.text).includes('Your 1:1 with')).length,
    channels: new Set(sent.map((c) => String(c.args.channel))).size,
    leaks: sent.filter((c) => JSON.stringify(c.args).includes(PRIVATE)).length,
    /** What they said, whatever order they went in: the same figure before and after a change means the same agendas. */
    digest: createHash('sha256')
      .update(
        sent
          .map((c) => `${String(c.args.channel)} ${JSON.stringify(c.args.blocks)}`)
          .sort()
          .join('\n'),
      )
      .digest('hex')
      .slice(0, 16),
  };
}

const LABELS: QueryLabels = [
  [/from one_on_ones o/, 'activeOneOnOnes'],
  [/^select "team_id", "user_id", "week" from "deliveries"/, 'existingClaims'],
  [/^insert into "deliveries"/, 'claimDeliveries'],
  [/with picked as/, 'leaseDue'],
  [/^select \* from "members"/, 'members of the mentees'],
  [/to_char\(c\.created_at/, 'progressRows: check-in weeks'],
  [/d\.status = 'skipped'/, 'progressRows: paused weeks'],
  [/array_agg\(c\.rating/, 'progressRows: competencies'],
  [/where c\.needs_help/, 'progressRows: help requests'],
  [/join focus_areas f/, 'focus'],
  [/from "focus_areas"/, 'focus'],
  [/join agenda_items i|from agenda_items i/, 'agenda items'],
  [/c\.competency_id in/, 'focus check-ins'],
  [/^update deliveries d set/, 'recordResults'],
  [/^(begin|commit|rollback)$/, 'begin/commit'],
];

async function seed(db: Db): Promise<string> {
  const { step, text } = seedSteps();
  const at = new Date('2026-09-01T00:00:00Z');
  await step('mentors', () =>
    seedMembers(db, { team: TEAM, count: N, prefix: 'UR', digits: 6, levels: ['senior'], zones: ZONES, at }),
  );
  await step('mentees', () =>
    seedMembers(db, { team: TEAM, count: N, prefix: 'UE', digits: 6, levels: ['junior'], zones: ZONES, at }),
  );
  const pair = sql`from generate_series(0, ${N - 1}) as i, lateral (select 'UR' || lpad(i::text, 6, '0') as mentor, 'UE' || lpad(i::text, 6, '0') as mentee) p`;
  await step('mentorships', () =>
    sql`insert into mentorships (team_id, mentor_id, mentee_id, started_at) select ${TEAM}, p.mentor, p.mentee, ${at} ${pair}`.execute(
      db,
    ),
  );
  await step('1:1s', () =>
    sql`insert into one_on_ones (team_id, mentor_id, mentee_id, weekday, minute, every_weeks, anchor_week, created_by, created_at, updated_at)
      select ${TEAM}, p.mentor, p.mentee, 4, (${MINUTES}::int[])[i % 3 + 1], 1, '2026-W36', p.mentor, ${at}, ${at} ${pair}`.execute(
      db,
    ),
  );
  await step('focus', () =>
    sql`insert into focus_areas (team_id, user_id, quarter, competency_ids, status, created_at, updated_at)
      select ${TEAM}, p.mentee, '2026-Q4', '["incident-response","observability"]'::jsonb, 'chosen', ${at}, ${at} ${pair}`.execute(
      db,
    ),
  );
  // Five check-ins each since the last 1:1 (Thursday 3 December): on the focus, one private, one asking for help.
  await step('check-ins', () =>
    sql`insert into checkins (team_id, user_id, competency_id, text, rating, needs_help, private, source, idempotency_key, created_at, updated_at)
      select ${TEAM}, p.mentee, case when k % 2 = 0 then 'incident-response' else 'observability' end,
             case when k = 4 then ${PRIVATE} || ' froze on the bridge' else 'Ran the bridge call for a small outage, k=' || k end,
             1 + k % 4, k = 1, k = 4, 'modal', 'bench-' || i || '-' || k,
             timestamptz '2026-12-04T12:00:00Z' + k * interval '1 day', timestamptz '2026-12-04T12:00:00Z' + k * interval '1 day'
      ${pair}, generate_series(0, 4) as k`.execute(db),
  );
  await step('agenda items', () =>
    sql`insert into agenda_items (team_id, one_on_one_id, user_id, text, checkin_id, created_at)
      select o.team_id, o.id, o.mentor_id, 'How did the on-call week go?', null, timestamptz '2026-12-05T09:00:00Z' from one_on_ones o
      union all
      select o.team_id, o.id, o.mentee_id, null, c.id, timestamptz '2026-12-06T09:00:00Z'
      from one_on_ones o join checkins c on c.team_id = o.team_id and c.user_id = o.mentee_id and c.idempotency_key like '%-0'`.execute(
      db,
    ),
  );
  await sql`analyze`.execute(db);
  return text();
}

async function main() {
  console.log(`bench/one-on-ones.ts: ${N} pairs, ${machine()}`);
  await withBenchEnv(
    { script: import.meta.url, labels: LABELS, now: () => INSTANT, more: agendaStats },
    async (env) => {
      console.log(await seed(env.db));
      const r = await env.measure(() => runOneOnOnes(env.deps, INSTANT));
      printRuns([{ ...r, n: N }], 'pair', [['pairs', () => N]], [['agendas', (x) => x.fake.agendas]]);
      const byLabel = new Map<string, { n: number; ms: number }>();
      for (const q of r.queries) {
        const b = byLabel.get(q.label) ?? { n: 0, ms: 0 };
        byLabel.set(q.label, { n: b.n + 1, ms: b.ms + (q.end - q.start) });
      }
      console.log('\nstatements:');
      for (const [label, b] of byLabel) console.log(`  ${String(b.n).padStart(6)} × ${label}: ${f0(b.ms)} ms`);
      console.log(`\n${await env.maxRssLine()}`);
      console.log(`report: ${JSON.stringify(r.result)}`);
      console.log(`agendas' sha256 (sorted by recipient): ${r.fake.digest}`);
      const passed = printChecks(
        [
          [`${2 * N} agendas sent (got ${r.fake.agendas})`, r.fake.agendas === 2 * N],
          [`to ${2 * N} people (got ${r.fake.channels})`, r.fake.channels === 2 * N],
          [`no private check-in's text in any (got ${r.fake.leaks})`, r.fake.leaks === 0],
        ],
        env.warnings,
      );
      printTargets([[`ms per pair`, f3(r.wallMs / N), `≤ ${TARGET.msPerPair}`, r.wallMs / N <= TARGET.msPerPair]]);
      if (!passed) process.exitCode = 1;
    },
  );
}

await benchMain(main, agendaStats);
