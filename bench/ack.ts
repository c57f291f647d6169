// Acknowledgement latency of `/checkin <text>`: growthbot (real createApp, real Postgres) against a
// bare Bolt app that only acks, measured in the same run, at a fixed number of requests in flight.
// Run by hand; see bench/README.md for what it measures and how to read it.
import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import pg from 'pg';
import { jobRunner } from '../src/jobs/index.ts';
import { LEVELS } from '../src/rubrics/schema.ts';
import { signSlackRequest, slashCommand } from '../src/sandbox/slack-requests.ts';
import { createApp, type GrowthApp } from '../src/slack/app.ts';
import {
  BOT_TOKEN,
  benchMain,
  flags,
  machine,
  printChecks,
  printTargets,
  SIGNING_SECRET,
  seedMembers,
  table,
  withBenchEnv,
} from './support.ts';

const TEAM_ID = 'T0TEST'; // what slashCommand() sends by default
const MEMBERS = 64;
const TARGET_P99_RATIO = 1.5;

type Label = 'bare' | 'growthbot';
type ClientKind = 'fetch' | 'http';

/** One batch of requests, run by the client thread; `tag` makes every text in the run distinct (one check-in per person, day and text). */
interface Job {
  label: Label;
  baseUrl: string;
  users: string[];
  count: number;
  concurrency: number;
  client: ClientKind;
  tag: string;
}
/** replies: reply texts, shortened, with how often each came back. */
interface JobResult {
  latencies: Float64Array;
  elapsedMs: number;
  statuses: Record<string, number>;
  replies: Record<string, number>;
  firstError?: string;
}

// ---------------------------------------------------------------------------------------------
// Client: runs in a worker thread so that building, signing and sending requests does not
// queue behind the server on one event loop (Slack is on another machine, after all).
// ---------------------------------------------------------------------------------------------

function replyKind(text: string): string {
  if (text === '') return '(empty ack)';
  try {
    const reply = (JSON.parse(text) as { text?: unknown }).text;
    if (typeof reply === 'string') return reply.startsWith('Saved your check-in') ? 'saved' : reply.slice(0, 70);
  } catch {
    /* not JSON: report as is */
  }
  return text.slice(0, 70);
}

let agent: Agent | undefined;

/** The same POST through node:http with a keep-alive agent: a lighter client than fetch. */
function httpPost(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function runJob(job: Job): Promise<JobResult> {
  const latencies = new Float64Array(job.count);
  const statuses: Record<string, number> = {};
  const replies: Record<string, number> = {};
  let firstError: string | undefined;
  const url = `${job.baseUrl}/slack/events`;
  let next = 0;

  const one = async (i: number): Promise<void> => {
    const req = slashCommand({
      command: '/checkin',
      text: `Traced a slow checkout request through the ingress and found a retry storm (${job.tag} #${i})`,
      user_id: job.users[i % job.users.length]!,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'Content-Type': req.contentType,
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': signSlackRequest(SIGNING_SECRET, timestamp, req.body),
    };
    const t0 = performance.now();
    let status = 'error';
    let text = '';
    try {
      if (job.client === 'http') {
        const res = await httpPost(url, headers, req.body);
        text = res.text;
        status = String(res.status);
      } else {
        const res = await fetch(url, { method: 'POST', headers, body: req.body });
        text = await res.text();
        status = String(res.status);
      }
    } catch (err) {
      firstError ??= String((err as { cause?: unknown }).cause ?? err);
    }
    latencies[i] = performance.now() - t0;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === '200') {
      const kind = replyKind(text);
      replies[kind] = (replies[kind] ?? 0) + 1;
    }
  };

  // A closed loop: `concurrency` senders, each sending its next request as soon as the last is
  // answered, so exactly `concurrency` requests are in flight until the queue runs dry.
  const sender = async (): Promise<void> => {
    while (next < job.count) await one(next++);
  };
  if (job.client === 'http') {
    // node:http's agent does not heed the server's keep-alive timeout (5 s) and would reuse a
    // socket the server is closing: each batch starts with fresh connections instead.
    agent?.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  }
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.count) }, sender));
  const elapsedMs = performance.now() - start;
  return { latencies, elapsedMs, statuses, replies, ...(firstError ? { firstError } : {}) };
}

function clientThread(): void {
  parentPort!.on('message', (job: Job) => {
    runJob(job).then(
      (result) => parentPort!.postMessage(result, [result.latencies.buffer as ArrayBuffer]),
      (err: unknown) => parentPort!.postMessage({ crashed: String(err) }),
    );
  });
}

/** Posts one job to the client thread and resolves with its result. */
function ask(worker: Worker, job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: JobResult | { crashed: string }) => {
      worker.off('error', reject);
      if ('crashed' in m) reject(new Error(`client thread: ${m.crashed}`));
      else resolve(m);
    });
    worker.postMessage(job);
  });
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

interface Summary {
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  perSecond: number;
}

function summarise(results: JobResult[]): Summary {
  const all = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of results) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  const elapsed = results.reduce((ms, r) => ms + r.elapsedMs, 0);
  return {
    requests: all.length,
    p50: percentile(all, 50),
    p90: percentile(all, 90),
    p99: percentile(all, 99),
    max: all[all.length - 1] ?? NaN,
    perSecond: all.length / (elapsed / 1000),
  };
}

const merge = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

async function main(): Promise<void> {
  const opts = flags(
    'bench/ack.ts [--requests N (per app, default 3000)] [--concurrency C (default 32)] [--warmup W (per app, default 300)]\n' +
      "  [--rounds R (default 2)] [--client fetch|http (default fetch: Node's global fetch; http: node:http keep-alive agent)]",
    { requests: 3000, concurrency: 32, warmup: 300, rounds: 2, client: 'fetch' },
    ['warmup'],
  );
  if (opts.client !== 'fetch' && opts.client !== 'http')
    throw new Error(`--client must be fetch or http, not "${opts.client}"`);
  const clientKind = opts.client as ClientKind;

  // Closed first by withBenchEnv's cleanup, also on failure and Ctrl-C.
  let monitor: pg.Client | undefined;
  let growth: GrowthApp | undefined;
  let bare: App | undefined;
  let client: Worker | undefined;
  // Counts distinct client connections per server port, to show keep-alive and parallel sockets.
  const sockets = new Map<number, WeakSet<Socket>>();
  const connections = new Map<number, number>();
  const onRequest = (message: unknown): void => {
    const { socket } = message as { socket: Socket };
    const port = socket.localPort ?? 0;
    const seen = sockets.get(port) ?? new WeakSet();
    sockets.set(port, seen);
    if (!seen.has(socket)) {
      seen.add(socket);
      connections.set(port, (connections.get(port) ?? 0) + 1);
    }
  };

  await withBenchEnv(
    {
      script: import.meta.url,
      alsoClose: () => [
        ['client thread', client && (() => client!.terminate())],
        ['database monitor', monitor && (() => monitor!.end())],
        ['bare app', bare && (() => bare!.stop())],
        ['growthbot app', growth && (() => growth!.stop())],
      ],
    },
    async ({ database, db, fake, warnings, deps }) => {
      const users = await seedMembers(db, {
        team: TEAM_ID,
        count: MEMBERS,
        prefix: 'UBENCH',
        digits: 3,
        levels: LEVELS,
        zones: ['UTC'],
        at: new Date(),
      });
      monitor = new pg.Client({ connectionString: database.adminUrl });
      await monitor.connect();
      const mon = monitor;
      growth = createApp(deps, { jobs: jobRunner(deps) });
      const growthPort = await growth.start(0);
      bare = new App({
        token: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        logLevel: LogLevel.ERROR,
        clientOptions: { slackApiUrl: fake.url },
      });
      bare.command('/checkin', async ({ ack }) => ack());
      const barePort = ((await bare.start(0)) as Server).address() as { port: number };
      const ports: Record<Label, number> = { bare: barePort.port, growthbot: growthPort };
      subscribe('http.server.request.start', onRequest);

      // A worker does not inherit tsx's loader on Node 20, so the worker registers it before loading this file.
      const boot =
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
        `.then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
      const worker = (client = new Worker(boot, { eval: true }));
      const drains: number[] = [];
      /** Milliseconds until the growthbot app had no query running and made no new Slack call (for 200 ms). */
      const untilIdle = async (): Promise<number> => {
        const start = performance.now();
        let calls = -1;
        let idleSince: number | undefined;
        for (;;) {
          const nowCalls = (await fake.stats(Number.MAX_SAFE_INTEGER)).calls;
          const { rows } = await mon.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where datname = $1 and state <> 'idle'",
            [database.name],
          );
          const now = performance.now();
          if (nowCalls === calls && rows[0]?.n === 0) {
            idleSince ??= now;
            if (now - idleSince >= 200) return idleSince - start;
          } else {
            idleSince = undefined;
          }
          calls = nowCalls;
          if (now - start > 120_000) throw new Error('growthbot was still working 120 s after its last ack');
          await sleep(20);
        }
      };
      const statuses: Record<Label, Record<string, number>> = { bare: {}, growthbot: {} };
      const replies: Record<Label, Record<string, number>> = { bare: {}, growthbot: {} };
      const errors: string[] = [];
      const run = async (label: Label, count: number, tag: string): Promise<JobResult> => {
        const r = await ask(worker, {
          label,
          baseUrl: `http://127.0.0.1:${ports[label]}`,
          users,
          count,
          concurrency: opts.concurrency,
          client: clientKind,
          tag,
        });
        merge(statuses[label], r.statuses);
        merge(replies[label], r.replies);
        if (r.firstError) errors.push(`${label}: ${r.firstError}`);
        // Work the app does after its ack (a Home refresh, say) must not spill into the next
        // measurement: wait until it has stopped querying and stopped calling Slack.
        if (label === 'growthbot') drains.push(await untilIdle());
        return r;
      };

      const runTag = randomBytes(3).toString('hex');
      console.log(
        `growthbot ack bench: ${machine()}, database ${database.name}, ` +
          `${MEMBERS} members, ${opts.requests} requests per app at concurrency ${opts.concurrency}, ${opts.rounds} rounds, client ${clientKind}`,
      );
      if (opts.warmup > 0)
        for (const label of ['bare', 'growthbot'] as const) await run(label, opts.warmup, `${runTag} warmup`);
      const measured: Record<Label, JobResult[]> = { bare: [], growthbot: [] };
      for (let round = 0; round < opts.rounds; round++) {
        // Spread N over the rounds; the first rounds take the remainder.
        const count = Math.floor(opts.requests / opts.rounds) + (round < opts.requests % opts.rounds ? 1 : 0);
        if (count === 0) continue;
        const line: string[] = [];
        const p99s: number[] = [];
        for (const label of ['bare', 'growthbot'] as const) {
          // While the other app ran, this app's idle keep-alive connections may have timed out
          // (undici drops them after ~4 s): a few unmeasured requests reopen them first.
          if (opts.warmup > 0) await run(label, opts.concurrency * 2, `${runTag} r${round + 1} settle`);
          const r = await run(label, count, `${runTag} r${round + 1}`);
          measured[label].push(r);
          const s = summarise([r]);
          const after =
            label === 'growthbot' ? ` (busy ${drains[drains.length - 1]!.toFixed(0)} ms after its last ack)` : '';
          line.push(`${label} p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(2)} ms${after}`);
          p99s.push(s.p99);
        }
        console.log(
          `  round ${round + 1}: ${count} each; ${line.join('; ')}; p99 ratio ${((p99s[1] ?? NaN) / (p99s[0] ?? NaN)).toFixed(2)}`,
        );
      }
      unsubscribe('http.server.request.start', onRequest);

      const bareS = summarise(measured.bare);
      const appS = summarise(measured.growthbot);
      const ms = (n: number) => n.toFixed(2);
      console.log(
        `\n${table(
          [10, 8, 5, 9, 9, 9, 9, 9],
          [
            ['app', 'requests', 'conc', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'req/s'],
            ...(
              [
                ['bare', bareS],
                ['growthbot', appS],
              ] as const
            ).map(([label, s]) => [
              label,
              s.requests,
              opts.concurrency,
              ms(s.p50),
              ms(s.p90),
              ms(s.p99),
              ms(s.max),
              s.perSecond.toFixed(0),
            ]),
          ],
        ).join('\n')}`,
      );
      const ratio = appS.p99 / bareS.p99;
      printTargets([
        [
          'p99 ratio growthbot/bare',
          ratio.toFixed(2),
          `<= ${TARGET_P99_RATIO}`,
          ratio <= TARGET_P99_RATIO,
          `(p50 ratio ${(appS.p50 / bareS.p50).toFixed(2)})`,
        ],
      ]);

      // An ack that lost its write does not count: every 200 from growthbot must be a stored row.
      await growth.stop();
      growth = undefined;
      const stored = Number(
        (
          await db
            .selectFrom('checkins')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const ok200 = statuses.growthbot['200'] ?? 0;
      const sent = Object.values(statuses.growthbot).reduce((a, b) => a + b, 0);
      const saved = replies.growthbot.saved ?? 0;
      const fmt = (o: Record<string, number>) =>
        Object.entries(o)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ');
      console.log(`\ngrowthbot replies: ${fmt(replies.growthbot)}`);
      console.log(`statuses: bare {${fmt(statuses.bare)}}, growthbot {${fmt(statuses.growthbot)}}`);
      console.log(`fake Slack calls: ${fmt((await fake.stats(0)).byMethod)}`);
      console.log(
        `client connections seen by each server: bare ${connections.get(ports.bare) ?? 0}, growthbot ${connections.get(growthPort) ?? 0}`,
      );
      for (const e of errors) console.log(`transport error ${e}`);
      // A reply that gave up (deadline) does not stop the write it raced: those rows land anyway.
      if (stored > saved) console.log(`rows stored although the reply did not say saved: ${stored - saved}`);
      const passed = printChecks(
        [
          [
            `check-ins stored = growthbot requests answered 200, warm-up included (${stored} / ${ok200})`,
            stored === ok200,
          ],
          [
            `every growthbot request answered 200 and "Saved…" (${ok200} and ${saved} of ${sent})`,
            saved === ok200 && ok200 === sent,
          ],
        ],
        warnings,
      );
      if (!passed) process.exitCode = 1;
    },
  ).finally(() => unsubscribe('http.server.request.start', onRequest));
}

if (isMainThread) await benchMain(main);
else clientThread();
