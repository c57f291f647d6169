import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SandboxProcess {
  url: string;
  child: ChildProcess;
  /** What it printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const READY = /growthbot sandbox: open (http:\/\/127\.0\.0\.1:\d+)/;

/** `npm run sandbox --fresh` on a free port with its own data folder, as a child process. */
export async function startSandbox(timeoutMs = 90_000): Promise<SandboxProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'growthbot-sandbox-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts', '--fresh', '--port', '0'], {
    env: { ...process.env, SANDBOX_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The sandbox did not say it was ready within ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const check = () => {
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The sandbox exited (code ${code}) before it was ready:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
