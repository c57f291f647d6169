// `npm start` runs the compiled dist/ with plain node: built here as a newcomer would build it,
// then started for real against a database and the Slack stand-in on loopback.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, useHarness } from '../support/harness.ts';
import { closedPort, type Finished, startProcess } from '../support/processes.ts';

let h: Harness;
useHarness((x) => (h = x));

const COMPILED: string[] = [];
const LOADER = ['--import', 'tsx'];

beforeAll(async () => {
  const build = spawn('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  build.stdout.on('data', (d) => (out += d));
  build.stderr.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => build.on('close', resolve));
  expect(code, out).toBe(0);
}, 240_000);

/** Resolves with the private port (/healthz) from the bot's 'listening' log line, or rejects with what it printed. */
function listeningPort(run: ReturnType<typeof startProcess>): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    run.child.stdout!.on('data', (d) => {
      seen += d;
      const m = /"metricsPort":(\d+)/.exec(seen);
      if (m) resolve(Number(m[1]));
    });
    void run.done.then((r: Finished) => reject(new Error(`exited ${r.code}: ${r.out}`)));
  });
}

describe('the compiled start', () => {
  it('stops on an unreachable database with the same one sentence as the sources do', async () => {
    const port = await closedPort();
    const env = { DATABASE_URL: `postgres://growthbot:s3cret@127.0.0.1:${port}/growthbot` };
    const compiled = await startProcess(h, ['dist/src/main.js'], env, COMPILED).done;
    const sources = await startProcess(h, ['src/main.ts'], env, LOADER).done;
    expect(compiled.code, compiled.out).toBe(1);
    expect(compiled.stderr.trim().split('\n')).toHaveLength(1);
    expect(compiled.stderr).toContain('DATABASE_URL');
    expect(compiled.stderr).not.toContain('s3cret');
    expect(compiled.stderr).toBe(sources.stderr);
  }, 60_000);

  it('makes a new embedded database, applies the compiled migrations, answers /healthz 200, stops on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'compiled-start-'));
    const env = { PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', DATA_DIR: join(dataDir, 'db') };
    const run = startProcess(h, ['dist/src/main.js'], env, COMPILED);
    try {
      const port = await listeningPort(run);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await res.json()).toMatchObject({ ok: true, database: 'up', migrations: 'applied' });
      expect(res.status).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
    }
    const r = await run.done;
    expect(r.code, r.out).toBe(0);
    const applied = r.stdout.split('\n').filter((l) => l.includes('"migration":"applied 20'));
    expect(applied.length, r.stdout).toBeGreaterThan(5);
    expect(applied[0]).toContain('_initial');
    await rm(dataDir, { recursive: true, force: true });
  }, 90_000);
});
