import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { BOT_TOKEN, type Harness, SIGNING_SECRET } from './harness.ts';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for failure messages. */
  out: string;
}

/**
 * Starts `src/<entry>` as its own process against the harness's database and fake Slack
 * (with `nodeArgs` [], a compiled `dist/src/<entry>.js` with plain node).
 */
export function startProcess(
  h: Harness,
  args: string[],
  env: Record<string, string> = {},
  nodeArgs = ['--import', 'tsx'],
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    env: {
      ...process.env,
      DATABASE_URL: h.database.url,
      SLACK_API_URL: h.fake.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SEND_RATE_PER_SECOND: '0',
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, out: stdout + stderr })),
  );
  return { child, done };
}

/** `npm run cli -- …`, to the end. */
export function runCli(h: Harness, ...args: string[]): Promise<Finished> {
  return startProcess(h, ['src/cli.ts', ...args]).done;
}

/** A loopback port with nothing listening on it (taken, then let go). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A loopback port something already listens on, until `close`. */
export async function takenPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs an entry point to the end, timing it. */
export async function timedRun(
  h: Harness,
  args: string[],
  env: Record<string, string> = {},
): Promise<Finished & { ms: number }> {
  const started = Date.now();
  const r = await startProcess(h, args, env).done;
  return { ...r, ms: Date.now() - started };
}
