// How long growthbot takes to start and how much memory it holds once listening: the compiled
// dist/ under plain node (npm start) against the sources under the tsx loader (npm run dev).
// Run by hand; see bench/README.md.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startFakeSlack } from '../src/sandbox/slack-stand-in.ts';
import { BOT_TOKEN, benchDatabase, f0, flags, machine, printTargets, SIGNING_SECRET, table } from './support.ts';

const opts = flags('bench/start.ts [--runs 5]', { runs: 5 });
const MODES = {
  compiled: ['dist/src/main.js'],
  loader: ['--import', 'tsx', 'src/main.ts'],
} as const;
type Mode = keyof typeof MODES;

/** kB from /proc/<pid>/status (VmRSS now, VmHWM its peak). */
function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? Number.NaN);
}

async function startOnce(mode: Mode, env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMb: number; peakMb: number }> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...MODES[mode]], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('"port":')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${mode} exited with ${code}: ${out}`)));
  });
  const ms = performance.now() - t0;
  // Settled: what it holds a moment after it first listens.
  await new Promise((r) => setTimeout(r, 500));
  const rssMb = procKb(child.pid!, 'VmRSS') / 1024;
  const peakMb = procKb(child.pid!, 'VmHWM') / 1024;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return { ms, rssMb, peakMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  console.log(`bench/start: ${opts.runs} starts each, alternating; ${machine()}`);
  const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const fake = await startFakeSlack({ token: BOT_TOKEN });
  const database = benchDatabase();
  await database.create();
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    SLACK_API_URL: fake.url,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    TICK_CRON: '0 0 1 1 *',
  };
  try {
    await startOnce('compiled', env); // applies the migrations, so every measured start finds them done
    const seen: Record<Mode, { ms: number; rssMb: number; peakMb: number }[]> = { compiled: [], loader: [] };
    for (let i = 0; i < opts.runs; i++)
      for (const mode of Object.keys(MODES) as Mode[]) seen[mode].push(await startOnce(mode, env));
    const row = (mode: Mode) => {
      const s = seen[mode];
      return [
        mode,
        f0(median(s.map((x) => x.ms))),
        f0(Math.min(...s.map((x) => x.ms))),
        f0(Math.max(...s.map((x) => x.ms))),
        f0(median(s.map((x) => x.rssMb))),
        f0(median(s.map((x) => x.peakMb))),
      ];
    };
    console.log('');
    for (const line of table(
      [10, 12, 8, 8, 14, 14],
      [['', 'start ms med', 'min', 'max', 'RSS MB (med)', 'peak MB (med)'], row('compiled'), row('loader')],
    ))
      console.log(line);
    console.log(
      '  (start: spawn until the "listening" log line, database migrated; RSS 0.5 s later, /proc VmRSS and VmHWM)',
    );
    const c = median(seen.compiled.map((x) => x.ms));
    const l = median(seen.loader.map((x) => x.ms));
    const cr = median(seen.compiled.map((x) => x.rssMb));
    const lr = median(seen.loader.map((x) => x.rssMb));
    printTargets([
      ['compiled starts faster', `${f0(c)} ms`, `< ${f0(l)} ms`, c < l],
      ['compiled holds less memory', `${f0(cr)} MB`, `< ${f0(lr)} MB`, cr < lr],
    ]);
  } finally {
    await fake.close();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
