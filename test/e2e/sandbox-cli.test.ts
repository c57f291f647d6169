import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `npm run sandbox -- <args>` in a folder of its own; what it printed and its exit code. */
async function sandboxRun(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // One that starts after all (a regression) is stopped, not left running.
  const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { status, stdout, stderr };
}

// `npm run sandbox` with a mistyped flag: one sentence and the usage, not a stack.
describe('npm run sandbox, mistyped', () => {
  it('an unknown flag prints one sentence and the usage, and exits 1', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts', '--prot', '3952'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const [first, ...rest] = r.stderr.trim().split('\n');
    expect(first).toBe("Unknown option '--prot'.");
    expect(rest[0]).toMatch(/^Usage: npm run sandbox -- \[--port <port>\] \[--fresh\]/);
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
    expect(r.stdout).toBe('');
  }, 90_000);

  it('a port in use is said at once, before the folder is touched or a database made', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const parent = await mkdtemp(join(tmpdir(), 'sandbox-busy-'));
    const dir = join(parent, 'sandbox');
    try {
      const r = await sandboxRun(['--port', String(port)], { SANDBOX_DIR: dir });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(
        `Port ${port} is already in use (EADDRINUSE): stop the program using it, or set --port (or SANDBOX_PORT) to a free port.`,
      );
      expect(existsSync(dir)).toBe(false);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
      await rm(parent, { recursive: true, force: true });
    }
  }, 90_000);

  it('a port that is not a decimal whole number from 0 to 65535 is said in one sentence with the usage', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['--port='], {}, '--port must be a port number from 0 to 65535 (0: any free port), got nothing.'],
      [['--port', '1e3'], {}, '--port must be a port number from 0 to 65535 (0: any free port), got "1e3".'],
      [['--port', '0x50'], {}, '--port must be a port number from 0 to 65535 (0: any free port), got "0x50".'],
      [['--port', '-1'], {}, '--port must be a port number from 0 to 65535 (0: any free port), got "-1".'],
      [['--port', '65536'], {}, '--port must be a port number from 0 to 65535 (0: any free port), got "65536".'],
      [
        [],
        { SANDBOX_PORT: '0x50' },
        'SANDBOX_PORT must be a port number from 0 to 65535 (0: any free port), got "0x50".',
      ],
    ];
    const parent = await mkdtemp(join(tmpdir(), 'sandbox-ports-'));
    const runs = await Promise.all(
      cases.map(([args, env], i) => sandboxRun(args, { SANDBOX_DIR: join(parent, String(i)), ...env })),
    ).finally(() => rm(parent, { recursive: true, force: true }));
    runs.forEach((r, i) => {
      const [args, env, sentence] = cases[i]!;
      const what = `${args.join(' ')} ${JSON.stringify(env)}`;
      expect([what, r.status]).toEqual([what, 1]);
      const [first, usage] = r.stderr.trim().split('\n');
      expect(first).toBe(sentence);
      expect(usage).toMatch(/^Usage: npm run sandbox -- \[--port <port>\] \[--fresh\]/);
      expect(r.stdout).toBe('');
    });
  }, 120_000);
});
