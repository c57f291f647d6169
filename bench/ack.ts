// Acknowledgement latency of `/checkin <text>`: growthbot (real createApp, real Postgres) against a
// bare Bolt app that only acks, measured in the same run, at a fixed number of requests in flight.
//
//   npx tsx bench/ack.ts [--requests 3000] [--concurrency 32] [--warmup 300] [--rounds 2] [--client fetch|http]
//
// Run by hand, not by CI. See bench/README.md for what it measures and how to read it.
import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import pg from 'pg';
import { createDb, type DbHandle } from '../src/db/create-db.ts';
import { joinMember } from '../src/db/members.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { jobRunner } from '../src/jobs/index.ts';
import { createApp, type GrowthApp } from '../src/slack/app.ts';
import { startFakeSlack } from '../src/sandbox/slack-stand-in.ts';
import { signSlackRequest, slashCommand } from '../src/sandbox/slack-requests.ts';
import { benchDatabase, benchDeps, BOT_TOKEN, cleanupOnExit, ENV_HELP, machine, positiveInt, SIGNING_SECRET, table, WarningSink } from './support.ts';

const TEAM_ID = 'T0TEST'; // what slashCommand() sends by default
const MEMBERS = 64;
const TARGET_P99_RATIO = 1.5;

type Label = 'bare' | 'growthbot';
type ClientKind = 'fetch' | 'http';

/** One batch of requests, run by the client thread. */
interface Job {
  label: Label;
  baseUrl: string;
  users: string[];
  count: number;
  concurrency: number;
  client: ClientKind;
  /** Makes every text in the run distinct (the app keeps one check-in per person, day and text). */
  tag: string;
}

interface JobResult {
  latencies: Float64Array;
  elapsedMs: number;
  statuses: Record<string, number>;
  /** Reply texts, shortened, with how often each came back. */
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
function httpPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
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

// ---------------------------------------------------------------------------------------------
// The fake Slack Web API: its own thread too, so that answering the app's Web API calls
// (auth.test, and whatever the app sends after an ack) is not charged to the app's event loop.
// ---------------------------------------------------------------------------------------------

interface SlackCalls { total: number; byMethod: Record<string, number> }

function slackThread(): void {
  void startFakeSlack({ token: BOT_TOKEN }).then((fake) => {
    parentPort!.on('message', () => {
      const byMethod: Record<string, number> = {};
      for (const c of fake.calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
      fake.calls.length = 0; // counted; the arguments are not needed and would pile up
      parentPort!.postMessage({ total: Object.values(byMethod).reduce((a, b) => a + b, 0), byMethod } satisfies SlackCalls);
    });
    parentPort!.postMessage(fake.url);
  });
}

/** Posts one message to a worker and resolves with its one answer. */
function ask<T>(worker: Worker, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    worker.once('error', onError);
    worker.once('message', (m: T) => {
      worker.off('error', onError);
      resolve(m);
    });
    if (message !== undefined) worker.postMessage(message);
  });
}

// ---------------------------------------------------------------------------------------------
// Servers, database and the report: the main thread.
// ---------------------------------------------------------------------------------------------

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '3000' },
      concurrency: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '300' },
      rounds: { type: 'string', default: '2' },
      client: { type: 'string', default: 'fetch' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npx tsx bench/ack.ts [--requests N (per app, default 3000)] [--concurrency C (default 32)]\n'
      + '                           [--warmup W (per app, default 300)] [--rounds R (default 2)]\n'
      + '                           [--client fetch|http (default fetch: Node\'s global fetch; http: node:http keep-alive agent)]\n'
      + ENV_HELP);
    process.exit(0);
  }
  if (values.client !== 'fetch' && values.client !== 'http') throw new Error(`--client must be fetch or http, not "${values.client}"`);
  return {
    client: values.client as ClientKind,
    requests: positiveInt('requests', values.requests),
    concurrency: positiveInt('concurrency', values.concurrency),
    warmup: Number(values.warmup) === 0 ? 0 : positiveInt('warmup', values.warmup),
    rounds: positiveInt('rounds', values.rounds),
  };
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

interface Summary { requests: number; p50: number; p90: number; p99: number; max: number; perSecond: number }

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
  const opts = options();
  const database = benchDatabase();

  // Everything below is undone in reverse order by cleanup(), which also runs on failure and Ctrl-C.
  let handle: DbHandle | undefined;
  let slack: Worker | undefined;
  let monitor: pg.Client | undefined;
  let growth: GrowthApp | undefined;
  let bare: App | undefined;
  let client: Worker | undefined;
  const cleanup = cleanupOnExit(database.name, () => [
    ['client thread', client && (() => client!.terminate())],
    ['database monitor', monitor && (() => monitor!.end())],
    ['bare app', bare && (() => bare!.stop())],
    ['growthbot app', growth && (() => growth!.stop())],
    ['database pool', handle && (() => handle!.close())],
    ['database', () => database.drop()],
    ['fake Slack thread', slack && (() => slack!.terminate())],
  ]);

  // Counts distinct client connections per server port, to show keep-alive and parallel sockets.
  const sockets = new Map<number, WeakSet<Socket>>();
  const connections = new Map<number, number>();
  const onRequest = (message: unknown): void => {
    const { socket } = message as { socket: Socket };
    const port = socket.localPort ?? 0;
    let seen = sockets.get(port);
    if (!seen) sockets.set(port, (seen = new WeakSet()));
    if (!seen.has(socket)) {
      seen.add(socket);
      connections.set(port, (connections.get(port) ?? 0) + 1);
    }
  };

  try {
    await database.create();
    handle = await createDb({ databaseUrl: database.url, dataDir: '' });
    await migrateToLatest(handle.db);

    monitor = new pg.Client({ connectionString: database.adminUrl });
    await monitor.connect();
    // A worker does not inherit tsx's loader on Node 20, so the worker registers it before loading this file.
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})`
      + `.then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const thread = (role: 'client' | 'slack') => new Worker(boot, { eval: true, workerData: { role } });
    slack = thread('slack');
    const slackUrl = await ask<string>(slack, undefined);
    const slackWorker = slack;
    const slackCalls: Record<string, number> = {};
    const countSlackCalls = async (): Promise<number> => {
      const calls = await ask<SlackCalls>(slackWorker, 'count');
      merge(slackCalls, calls.byMethod);
      return Object.values(slackCalls).reduce((a, b) => a + b, 0);
    };
    const warnings = new WarningSink();
    const deps = await benchDeps({ slackUrl, databaseUrl: database.url, db: handle.db, sink: warnings });

    const users = Array.from({ length: MEMBERS }, (_, i) => `UBENCH${String(i).padStart(3, '0')}`);
    const levels = ['junior', 'mid', 'senior', 'staff'] as const;
    const joinedAt = new Date();
    for (const [i, userId] of users.entries()) {
      await joinMember(handle.db, { teamId: TEAM_ID, userId, displayName: `Bench ${i}`, tz: 'UTC', level: levels[i % levels.length]! }, joinedAt);
    }

    growth = createApp(deps, { jobs: jobRunner(deps) });
    const growthPort = await growth.start(0);
    bare = new App({
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slackUrl },
    });
    bare.command('/checkin', async ({ ack }) => ack());
    const bareServer = (await bare.start(0)) as Server;
    const barePort = (bareServer.address() as { port: number }).port;
    subscribe('http.server.request.start', onRequest);

    const ports: Record<Label, number> = { bare: barePort, growthbot: growthPort };
    client = thread('client');
    const worker = client;
    const drains: number[] = [];
    const run = async (label: Label, count: number, tag: string): Promise<JobResult> => {
      const job: Job = { label, baseUrl: `http://127.0.0.1:${ports[label]}`, users, count, concurrency: opts.concurrency, client: opts.client, tag };
      const m = await ask<JobResult | { crashed: string }>(worker, job);
      if ('crashed' in m) throw new Error(`client thread: ${m.crashed}`);
      // Work the app does after its ack (a Home refresh, say) must not spill into the next
      // measurement: wait until it has stopped querying and stopped calling Slack.
      if (label === 'growthbot') drains.push(await untilIdle());
      return m;
    };
    /** Milliseconds until the growthbot app had no query running and made no new Slack call (for 200 ms). */
    const untilIdle = async (): Promise<number> => {
      const start = performance.now();
      let calls = -1;
      let idleSince: number | undefined;
      for (;;) {
        const nowCalls = await countSlackCalls();
        const { rows } = await monitor!.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = $1 and state <> 'idle'", [database.name]);
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

    const runTag = randomBytes(3).toString('hex');
    const statuses: Record<Label, Record<string, number>> = { bare: {}, growthbot: {} };
    const replies: Record<Label, Record<string, number>> = { bare: {}, growthbot: {} };
    const errors: string[] = [];
    const account = (label: Label, r: JobResult): JobResult => {
      merge(statuses[label], r.statuses);
      merge(replies[label], r.replies);
      if (r.firstError) errors.push(`${label}: ${r.firstError}`);
      return r;
    };

    console.log(`growthbot ack bench: ${machine()}, database ${database.name}, `
      + `${MEMBERS} members, ${opts.requests} requests per app at concurrency ${opts.concurrency}, ${opts.rounds} rounds, client ${opts.client}`);
    if (opts.warmup > 0) {
      for (const label of ['bare', 'growthbot'] as const) account(label, await run(label, opts.warmup, `${runTag} warmup`));
    }

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
        if (opts.warmup > 0) account(label, await run(label, opts.concurrency * 2, `${runTag} r${round + 1} settle`));
        const r = account(label, await run(label, count, `${runTag} r${round + 1}`));
        measured[label].push(r);
        const s = summarise([r]);
        const after = label === 'growthbot' ? ` (busy ${drains[drains.length - 1]!.toFixed(0)} ms after its last ack)` : '';
        line.push(`${label} p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(2)} ms${after}`);
        p99s.push(s.p99);
      }
      console.log(`  round ${round + 1}: ${count} each; ${line.join('; ')}; p99 ratio ${((p99s[1] ?? NaN) / (p99s[0] ?? NaN)).toFixed(2)}`);
    }
    unsubscribe('http.server.request.start', onRequest);

    const bareS = summarise(measured.bare);
    const appS = summarise(measured.growthbot);
    const ms = (n: number) => n.toFixed(2);
    const rows = table([10, 8, 5, 9, 9, 9, 9, 9], [
      ['app', 'requests', 'conc', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'req/s'],
      ...([['bare', bareS], ['growthbot', appS]] as const).map(([label, s]) =>
        [label, s.requests, opts.concurrency, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), s.perSecond.toFixed(0)]),
    ]);
    console.log(`\n${rows.join('\n')}\n`);
    const ratio = appS.p99 / bareS.p99;
    console.log(`p99 ratio growthbot/bare: ${ratio.toFixed(2)} (target <= ${TARGET_P99_RATIO}: ${ratio <= TARGET_P99_RATIO ? 'met' : 'NOT met'})`);
    console.log(`p50 ratio growthbot/bare: ${(appS.p50 / bareS.p50).toFixed(2)}`);

    // An ack that lost its write does not count: every 200 from growthbot must be a stored row.
    await growth.stop();
    growth = undefined;
    const row = await handle.db.selectFrom('checkins').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const stored = Number(row.n);
    const ok200 = statuses.growthbot['200'] ?? 0;
    const sent = Object.values(statuses.growthbot).reduce((a, b) => a + b, 0);
    const fmt = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k}: ${v}`).join(', ');
    console.log(`check-ins stored: ${stored}; growthbot requests answered 200: ${ok200} of ${sent} (warm-up included) `
      + `-> ${stored === ok200 ? 'match' : 'MISMATCH'}`);
    console.log(`growthbot replies: ${fmt(replies.growthbot)}`);
    console.log(`statuses: bare {${fmt(statuses.bare)}}, growthbot {${fmt(statuses.growthbot)}}`);
    console.log(`fake Slack calls: ${fmt(slackCalls)}`);
    console.log(`client connections seen by each server: bare ${connections.get(barePort) ?? 0}, growthbot ${connections.get(growthPort) ?? 0}`);
    if (warnings.count > 0) console.log(`growthbot logged ${warnings.count} warning/error line(s), first: ${warnings.first.join(' | ')}`);
    for (const e of errors) console.log(`transport error ${e}`);
    const saved = replies.growthbot.saved ?? 0;
    // A reply that gave up (deadline) does not stop the write it raced: those rows land anyway.
    if (stored > saved) console.log(`rows stored although the reply did not say saved: ${stored - saved}`);
    if (stored < saved) console.log(`replies said saved but no row: ${saved - stored}`);
    if (stored !== ok200 || saved !== ok200 || ok200 !== sent) process.exitCode = 1;
  } finally {
    unsubscribe('http.server.request.start', onRequest);
    await cleanup();
  }
}

if (isMainThread) {
  await main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else if ((workerData as { role?: string } | undefined)?.role === 'slack') {
  slackThread();
} else {
  clientThread();
}
