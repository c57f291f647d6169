// One oncall-feeds run over many members' feeds served on 127.0.0.1, then a re-run with the
// feeds unchanged. Run by hand: npx tsx bench/oncall-feeds.ts [--feeds 200] [--weeks 52]
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createDb, type Db } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { setMemberFeed } from '../src/db/oncall-feeds.ts';
import type { Deps } from '../src/deps.ts';
import { runOncallFeeds } from '../src/jobs/oncall-feeds.ts';
import { maskUrl } from '../src/oncall/feed-url.ts';
import { startFakeSlack, type FakeSlack } from '../src/sandbox/slack-stand-in.ts';
import { benchDatabase, benchDeps, cleanupOnExit, ENV_HELP, f0, f1, machine, positiveInt, verdict, WarningSink } from './support.ts';

const ROLE = 'BENCH_FEED_SERVER';
const TEAM = 'TBENCH';
const NOW = new Date('2026-12-02T12:00:00Z');

/** A year of weekly shifts, one VEVENT each (as PagerDuty writes them), in Europe/Berlin with its VTIMEZONE. */
function feedText(i: number, weeks: number): string {
  const first = Date.UTC(2026, 5, 1 + (i % 7), 9); // June 2026, the weekday varies by feed
  const local = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15);
  const events = Array.from({ length: weeks }, (_, w) => {
    const start = first + w * 7 * 86_400_000;
    return `BEGIN:VEVENT\r\nUID:shift-${i}-${w}@bench\r\nDTSTAMP:20260601T000000Z\r\nSUMMARY:On call - Primary\r\n`
      + `DTSTART;TZID=Europe/Berlin:${local(start)}\r\nDTEND;TZID=Europe/Berlin:${local(start + 7 * 86_400_000)}\r\nEND:VEVENT\r\n`;
  });
  return 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//on-call//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n'
    + 'BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n'
    + 'BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n'
    + `END:VTIMEZONE\r\n${events.join('')}END:VCALENDAR\r\n`;
}

/** The feed host, in a child process so that serving is not charged to the job's time or memory. */
function serveFeeds(count: number, weeks: number): void {
  const feeds = Array.from({ length: count }, (_, i) => {
    const body = feedText(i, weeks);
    return { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
  });
  const stats = { full: 0, notModified: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    if (req.url === '/stats') return void res.end(JSON.stringify(stats));
    const feed = feeds[Number(/^\/feed\/(\d+)\.ics/.exec(req.url ?? '')?.[1] ?? -1)];
    if (!feed) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === feed.etag) {
      stats.notModified++;
      return void res.writeHead(304, { etag: feed.etag }).end();
    }
    stats.full++;
    stats.bytes += feed.body.length;
    res.writeHead(200, { 'content-type': 'text/calendar', etag: feed.etag }).end(feed.body);
  });
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
  process.on('disconnect', () => server.close(() => process.exit(0)));
}

function args() {
  const a = process.argv.slice(2);
  if (a.includes('--help')) {
    console.log(`usage: npx tsx bench/oncall-feeds.ts [--feeds 200] [--weeks 52]\n${ENV_HELP}`);
    process.exit(0);
  }
  const get = (name: string, d: number) => (a.includes(name) ? positiveInt(name, a[a.indexOf(name) + 1] ?? '') : d);
  return { feeds: get('--feeds', 200), weeks: get('--weeks', 52) };
}

async function main(): Promise<void> {
  const o = args();
  const database = benchDatabase();
  let db: Db | undefined;
  let fake: FakeSlack | undefined;
  const child = fork(new URL(import.meta.url).pathname, process.argv.slice(2), { env: { ...process.env, [ROLE]: '1' }, execArgv: process.execArgv });
  const cleanup = cleanupOnExit(database.name, () => [
    ['feed server', async () => child.connected && child.disconnect()],
    ['database pool', db && (() => db!.destroy())],
    ['database', () => database.drop()],
    ['fake Slack', fake && (() => fake!.close())],
  ]);
  try {
    const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(Number(p))));
    const base = `http://127.0.0.1:${port}`;
    await database.create();
    db = (await createDb({ databaseUrl: database.url, dataDir: '' })).db;
    await migrateToLatest(db);
    fake = await startFakeSlack({ token: 'xoxb-bench-token' });
    const warnings = new WarningSink();
    const plain = await benchDeps({ slackUrl: fake.url, databaseUrl: database.url, db, sink: warnings, now: () => NOW });
    const deps: Deps = { ...plain, config: { ...plain.config, oncallFeeds: { ...plain.config.oncallFeeds, allowLoopback: true } } };
    const at = new Date('2026-11-01T00:00:00Z');
    const ids = Array.from({ length: o.feeds }, (_, i) => `UB${String(i).padStart(5, '0')}`);
    await db.insertInto('members').values(ids.map((user_id) => ({ team_id: TEAM, user_id, level: 'mid' as const, tz: 'Europe/Berlin', joined_at: at, created_at: at, updated_at: at }))).execute();
    for (const [i, userId] of ids.entries()) {
      const url = `${base}/feed/${i}.ics?token=bench-${i}`;
      await setMemberFeed(db, { teamId: TEAM, userId, url, urlMasked: maskUrl(url) }, at);
    }
    const stats = async () => (await (await fetch(`${base}/stats`)).json()) as { full: number; notModified: number; bytes: number };

    console.log(`oncall-feeds bench: ${o.feeds} feeds × ${o.weeks} weekly shifts, served on 127.0.0.1 by a child process; ${machine()}`);
    console.log(`concurrency ${deps.config.oncallFeeds.concurrency}, re-fetch after ${deps.config.oncallFeeds.intervalMinutes} min`);
    const rssBefore = process.resourceUsage().maxRSS / 1024;
    const cpu = (since: NodeJS.CpuUsage) => { const c = process.cpuUsage(since); return (c.user + c.system) / 1000; };
    let c0 = process.cpuUsage();
    let t = performance.now();
    const first = await runOncallFeeds(deps, NOW);
    const firstMs = performance.now() - t;
    const firstCpu = cpu(c0);
    const rssPeak = process.resourceUsage().maxRSS / 1024;
    const s1 = await stats();
    const shifts = Number((await db.selectFrom('oncall_shifts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    console.log(`first run:  ${f0(firstMs)} ms wall, ${f0(firstCpu)} ms CPU in this process, peak RSS ${f1(rssPeak)} MB (${f1(rssBefore)} MB before the run); `
      + `fetched ${first.fetched}, parsed ${first.parsed}, failed ${first.failed}; ${s1.full} full answers (${f1(s1.bytes / 1e6)} MB); ${shifts} shifts stored`);
    c0 = process.cpuUsage();
    t = performance.now();
    const again = await runOncallFeeds(deps, new Date(NOW.getTime() + 31 * 60_000));
    const againMs = performance.now() - t;
    const againCpu = cpu(c0);
    const s2 = await stats();
    console.log(`re-run:     ${f0(againMs)} ms wall, ${f0(againCpu)} ms CPU; fetched ${again.fetched}, unchanged ${again.unchanged}, parsed ${again.parsed}; `
      + `${s2.notModified - s1.notModified} answered 304 to If-None-Match, ${s2.full - s1.full} full answers`);
    console.log(`targets: wall ≤ 10 s ${verdict(firstMs <= 10_000)}; peak RSS ≤ 250 MB ${verdict(rssPeak <= 250)}; `
      + `re-run parses nothing ${verdict(again.parsed === 0 && again.unchanged === o.feeds)}`);
    if (warnings.count) console.log(`app warnings: ${warnings.count}, first: ${warnings.first.join(' | ')}`);
  } finally {
    await cleanup();
  }
}

if (process.env[ROLE]) {
  const o = args();
  serveFeeds(o.feeds, o.weeks);
} else {
  await main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
