// How long `npm run sandbox` takes to be usable, a clock jump to the prompt on screen, the
// tour's two weeks of jumps and single weeks' jumps.
// Run by hand; see bench/README.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, printTargets } from './support.ts';

type State = { people: unknown[]; dm: { ts: string }[] };
const dir = mkdtempSync(join(tmpdir(), 'sandbox-bench-'));
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function start(fresh: boolean): Promise<{ url: string; ms: number; stop: () => Promise<void> }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/sandbox/main.ts', '--port', '0', ...(fresh ? ['--fresh'] : [])],
    {
      env: { ...process.env, SANDBOX_DIR: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /open (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  for (;;) {
    const s = (await fetch(`${url}/sandbox/state`)
      .then((r) => r.json())
      .catch(() => null)) as State | null;
    if (s && s.people.length >= 7) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
  return { url, ms, stop };
}

async function jump(url: string): Promise<number> {
  const as = 'U0JONAS';
  const before = ((await (await fetch(`${url}/sandbox/state?as=${as}`)).json()) as State).dm.length;
  const t0 = performance.now();
  await fetch(`${url}/sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ as, to: 'monday' }),
  });
  for (;;) {
    const s = (await (await fetch(`${url}/sandbox/state?as=${as}`)).json()) as State;
    if (s.dm.length > before) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The tour's two weeks as Jonas after the first Monday: Thursday, Friday, Monday (his on-call
 * week starts), Thursday, Friday, Monday (his retro), each jump timed from the page's side.
 */
async function twoWeeks(url: string): Promise<{ ms: number; ticks: number }> {
  let ms = 0;
  let ticks = 0;
  for (const to of ['thursday', 'friday', 'monday', 'thursday', 'friday', 'monday']) {
    const t0 = performance.now();
    const res = await fetch(`${url}/sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ as: 'U0JONAS', to }),
    });
    ticks += ((await res.json()) as { ticks: number }).ticks;
    ms += performance.now() - t0;
  }
  return { ms, ticks };
}

/** One week's jump (every tick in between where something is due), timed from the page's side. */
async function week(url: string): Promise<{ ms: number; ticks: number }> {
  const { now } = (await (await fetch(`${url}/sandbox/state`)).json()) as { now: string };
  const to = new Date(Date.parse(now) + 7 * 24 * 3600_000).toISOString();
  const t0 = performance.now();
  const res = await fetch(`${url}/sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ as: 'U0JONAS', to }),
  });
  const { ticks } = (await res.json()) as { ticks: number };
  return { ms: performance.now() - t0, ticks };
}

try {
  console.log(`sandbox bench: ${machine()}`);
  const first = await start(true);
  console.log(`first start (fresh folder, database created, seeded) to usable state: ${secs(first.ms)}`);
  const jumpMs = await jump(first.url);
  console.log(`clock jump to Monday 10:00 until the prompt is in the DM: ${secs(jumpMs)}`);
  const tour = await twoWeeks(first.url);
  console.log(`the tour's next two weeks of jumps (on-call week, retro): ${secs(tour.ms)} (${tour.ticks} ticks)`);
  const weeks = [await week(first.url), await week(first.url), await week(first.url)];
  for (const [i, w] of weeks.entries()) console.log(`week ${i + 1}'s jump: ${secs(w.ms)} (${w.ticks} ticks)`);
  const weekMs = Math.max(...weeks.map((w) => w.ms));
  await first.stop();
  if (process.argv.includes('--again')) {
    const again = await start(false);
    console.log(`second start (same folder) to usable state: ${secs(again.ms)}`);
    await again.stop();
  }
  printTargets([
    ['first start to usable', secs(first.ms), '<= 5 s', first.ms <= 5000],
    ['clock jump to the prompt', secs(jumpMs), '<= 1 s', jumpMs <= 1000],
    ['slowest of three week jumps', secs(weekMs), '<= 1 s', weekMs <= 1000],
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
