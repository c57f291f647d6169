// The sandbox in this process for an e2e test file (its own folder, started once for the file),
// and its page API as the page calls it: a read of the state as someone, and JSON POSTs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSandbox } from '../../src/sandbox/sandbox.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';

export interface SandboxClient {
  /** The sandbox's folder. */
  readonly dir: string;
  /** GET /sandbox/state?as=…, parsed. */
  state<T>(as: string): Promise<T>;
  /** POST /sandbox/<path> as the page sends it (JSON, from its own origin): the status and the parsed answer. */
  send(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The same, the parsed answer only. */
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T>;
  /** Closes the sandbox and starts another on the same folder (handed to `set` again); `fresh` starts over. */
  restart(opts?: { fresh?: boolean }): Promise<void>;
}

/**
 * One sandbox for a test file, on a fresh folder named after `name`, closed and removed after:
 * `let sandbox: Sandbox; const page = useSandbox('sandbox-x-', (s) => (sandbox = s));`
 */
export function useSandbox(name: string, set: (s: Sandbox) => void): SandboxClient {
  let dir: string;
  let sandbox: Sandbox | undefined;
  const start = async (fresh?: boolean) => {
    sandbox = await startSandbox({ port: 0, dir, ...(fresh ? { fresh } : {}) });
    set(sandbox);
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), name));
    await start();
  }, 240_000);
  afterAll(async () => {
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
  const send = async (path: string, body: unknown) => {
    const res = await fetch(`${sandbox!.url}/sandbox/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: sandbox!.url },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    get dir() {
      return dir;
    },
    state: async <T>(as: string) => (await (await fetch(`${sandbox!.url}/sandbox/state?as=${as}`)).json()) as T,
    send,
    post: async <T>(path: string, body: unknown) => (await send(path, body)).body as T,
    async restart(opts = {}) {
      await sandbox!.close();
      sandbox = undefined;
      await start(opts.fresh);
    },
  };
}
