// One oncall-feeds run over many members' feeds served on 127.0.0.1, then a re-run with the
// feeds unchanged. Run by hand; see bench/README.md.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setMemberFeed } from '../src/db/oncall-feeds.ts';
import { runOncallFeeds } from '../src/jobs/oncall-feeds.ts';
import { maskUrl } from '../src/oncall/feed-url.ts';
import {
  benchMain,
  f0,
  f1,
  flags,
  forkRole,
  machine,
  printRuns,
  printTargets,
  seedMembers,
  withBenchEnv,
} from './support.ts';

const ROLE = 'BENCH_FEED_SERVER';
const TEAM = 'TBENCH';
const NOW = new Date('2026-12-02T12:00:00Z');
const TARGET = { wallMs: 10_000, maxRssMb: 250 };

/** A year of weekly shifts, one VEVENT each (as PagerDuty writes them), in Europe/Berlin with its VTIMEZONE. */
function feedText(i: number, weeks: number): string {
  const first = Date.UTC(2026, 5, 1 + (i % 7), 9); // June 2026, the weekday varies by feed
  const local = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15);
  const events = Array.from({ length: weeks }, (_, w) => {
    const start = first + w * 7 * 86_400_000;
    return (
      `BEGIN:VEVENT\r\nUID:shift-${i}-${w}@bench\r\nDTSTAMP:20260601T000000Z\r\nSUMMARY:On call - Primary\r\n` +
      `DTSTART;TZID=Europe/Berlin:${local(start)}\r\nDTEND;TZID=Europe/Berlin:${local(start + 7 * 86_400_000)}\r\nEND:VEVENT\r\n`
    );
  });
  return (
    'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//on-call//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n' +
    'BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n' +
    'BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n' +
    `END:VTIMEZONE\r\n${events.join('')}END:VCALENDAR\r\n`
  );
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

const options = () =>
  flags('bench/oncall-feeds.ts [--feeds N (default 200)] [--weeks N (default 52)]', { feeds: 200, weeks: 52 });

async function main(): Promise<void> {
  const o = options();
  const child = forkRole(import.meta.url, ROLE, process.argv.slice(2));
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(Number(p))));
  const base = `http://127.0.0.1:${port}`;
  const served = async () =>
    (await (await fetch(`${base}/stats`)).json()) as { full: number; notModified: number; bytes: number };
  await withBenchEnv(
    {
      script: import.meta.url,
      now: () => NOW,
      alsoClose: () => [['feed server', async () => child.connected && child.disconnect()]],
    },
    async ({ db, deps: plain, warnings, measure }) => {
      const deps = { ...plain, feedAccess: { allowLoopback: true } };
      const at = new Date('2026-11-01T00:00:00Z');
      const ids = await seedMembers(db, {
        team: TEAM,
        count: o.feeds,
        prefix: 'UB',
        digits: 5,
        levels: ['mid'],
        zones: ['Europe/Berlin'],
        at,
      });
      for (const [i, userId] of ids.entries()) {
        const url = `${base}/feed/${i}.ics?token=bench-${i}`;
        await setMemberFeed(db, { teamId: TEAM, userId, url, urlMasked: maskUrl(url) }, at);
      }
      console.log(
        `oncall-feeds bench: ${o.feeds} feeds × ${o.weeks} weekly shifts, served on 127.0.0.1 by a child process; ${machine()}; ` +
          `concurrency ${deps.config.oncallFeeds.concurrency}, re-fetch after ${deps.config.oncallFeeds.intervalMinutes} min`,
      );
      const first = { label: 'first', n: o.feeds, ...(await measure(() => runOncallFeeds(deps, NOW))) };
      const s1 = await served();
      const again = {
        label: 're-run',
        n: o.feeds,
        ...(await measure(() => runOncallFeeds(deps, new Date(NOW.getTime() + 31 * 60_000)))),
      };
      const s2 = await served();
      const shifts = Number(
        (
          await db
            .selectFrom('oncall_shifts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      printRuns(
        [first, again],
        'feed',
        [['run', (r) => r.label]],
        [
          ['maxRSS', (r) => `${f0(r.maxRssMb)} MB`],
          ['fetched', (r) => r.result.fetched],
          ['unchanged', (r) => r.result.unchanged],
          ['parsed', (r) => r.result.parsed],
          ['failed', (r) => r.result.failed],
        ],
      );
      console.log(`first run: ${s1.full} full answers (${f1(s1.bytes / 1e6)} MB); ${shifts} shifts stored`);
      console.log(
        `re-run: ${s2.notModified - s1.notModified} answered 304 to If-None-Match, ${s2.full - s1.full} full answers`,
      );
      printTargets([
        ['first run wall', `${f0(first.wallMs)} ms`, `<= ${TARGET.wallMs} ms`, first.wallMs <= TARGET.wallMs],
        [
          'peak RSS (maxRSS)',
          `${f0(first.maxRssMb)} MB`,
          `<= ${TARGET.maxRssMb} MB`,
          first.maxRssMb <= TARGET.maxRssMb,
          `(${f0(first.peakRssMb)} MB sampled)`,
        ],
        [
          're-run parses nothing',
          `${again.result.parsed} parsed`,
          `0, ${o.feeds} unchanged`,
          again.result.parsed === 0 && again.result.unchanged === o.feeds,
        ],
      ]);
      if (warnings.count) console.log(`app warnings: ${warnings.count}, first: ${warnings.first.join(' | ')}`);
    },
  );
}

if (process.env[ROLE]) serveFeeds(options().feeds, options().weeks);
else await benchMain(main);
