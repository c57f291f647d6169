// The embedded database's directory lock: one live process per directory, and nothing a dead
// process leaves behind (kill -9, an OOM kill, a container's pid 1) keeps the next start out.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, DataDirNotWritableError, lockDataDir } from '../../src/db/lock.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gb-lock-'));
  dirs.push(d);
  return d;
};

/** Another process that takes the lock on `dir` and holds it until killed. */
async function holdInOtherProcess(dir: string): Promise<ChildProcess> {
  const code = `const { lockDataDir } = await import('./src/db/lock.ts'); await lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('locked') && resolve());
    child.on('exit', () => reject(new Error(`the holder exited: ${err}`)));
  });
  return child;
}

describe('the data directory lock', () => {
  it('a live second process on the same directory is refused, naming it; once it is gone, the lock is free', async () => {
    const dir = tempDir();
    const other = await holdInOtherProcess(dir);
    const refused = lockDataDir(dir);
    await expect(refused).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(refused).rejects.toThrow(`already in use by process ${other.pid}`);
    other.kill('SIGTERM');
    await new Promise((resolve) => other.once('exit', resolve));
    const release = await lockDataDir(dir);
    release();
  }, 30_000);

  it('a lock left by a process killed with kill -9 does not block the next start', async () => {
    const dir = tempDir();
    const other = await holdInOtherProcess(dir);
    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    const release = await lockDataDir(dir);
    // And it is a real lock again: the next one is refused.
    await expect(lockDataDir(dir)).rejects.toThrow(`already in use by process ${process.pid}`);
    release();
  }, 30_000);

  it.each([
    ['1 (a container restarted after kill -9)', '1'],
    ['our own pid', String(process.pid)],
  ])('a lock file holding pid %s does not block the start', async (_name, pid) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'growthbot.lock'), pid);
    const release = await lockDataDir(dir);
    release();
  });

  // A host folder bind-mounted at /app/data belongs to root, and the image runs as `node`: it
  // used to stop with "Port -1 may not be opened by this user", a port nobody had set.
  // As root the check runs as `nobody`, which needs a Node binary nobody may run: CI's second
  // run uses one from root's npx cache (/root is closed to others), and there it cannot run.
  it.skipIf(!othersMayRun())(
    'a folder this user may not write stops the start with a sentence naming the folder, not a port',
    async () => {
      const dir = tempDir();
      chmodSync(dir, 0o555); // root may write anyway: then the lock is taken by someone else (nobody)
      const code = `const { lockDataDir } = await import('./src/db/lock.ts'); const { failureText } = await import('./src/errors.ts'); await lockDataDir(${JSON.stringify(dir)}).then(() => console.log('locked'), (e) => console.log(failureText(e)));`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}),
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      await new Promise((resolve) => child.once('close', resolve));
      expect(out.trim()).toBe(new DataDirNotWritableError(dir, 'EACCES').message);
      expect(out).toContain(`folder ${dir} is not writable by this user (EACCES): set DATA_DIR`);
      expect(out).not.toContain('Port');
    },
    30_000,
  );

  it('released, it lets the next one in; in a directory whose path is too long for a socket file too', async () => {
    const dir = join(tempDir(), 'x'.repeat(60), 'y'.repeat(60));
    mkdirSync(dir, { recursive: true });
    const first = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    first();
    const second = await lockDataDir(dir);
    second();
  });
});

/** Whether the check above can run: not root, or `nobody` may run this Node binary. */
function othersMayRun(): boolean {
  if (process.getuid?.() !== 0) return true;
  return spawnSync(process.execPath, ['--version'], { uid: 65534, gid: 65534 }).status === 0;
}
