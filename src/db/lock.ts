import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, realpathSync, rmSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { KnownError } from '../errors.ts';

export class DataDirLockedError extends KnownError {
  readonly code = 'data_dir_locked';
  constructor(dir: string, pid: string) {
    super(
      `The embedded database in ${dir} is already in use by process ${pid}. ` +
        'Only one growthbot process may use a data directory: stop the other one, ' +
        'or set DATABASE_URL to share a Postgres database between processes.',
    );
  }
}

export class DataDirNotWritableError extends KnownError {
  readonly code = 'data_dir_not_writable';
  constructor(dir: string, code: string) {
    super(
      `The embedded database's folder ${dir} is not writable by this user (${code}): ` +
        'set DATA_DIR to a folder it can write, or make this one its own ' +
        '(the Docker image runs as uid 1000, `node`; a named volume at /app/data already is).',
    );
  }
}

/** An error of the file system that means `dir` is not this user's to write, worded; any other as it was. */
function unwritable(dir: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? new DataDirNotWritableError(dir, code) : err;
}

/** A Unix socket path is at most 107 bytes; a longer one is named in Linux's abstract namespace. */
function socketPath(dir: string): string {
  const path = join(realpathSync(dir), 'growthbot.lock.sock');
  if (Buffer.byteLength(path) <= 100) return path;
  return `\0growthbot-${createHash('sha256').update(path).digest('hex').slice(0, 32)}`;
}

function listen(path: string): Promise<Server | null> {
  // Whoever connects learns the holder's pid, for the message; nothing else is said.
  const server = createServer((s) => {
    s.on('error', () => undefined); // the asker may hang up first
    s.end(`${process.pid}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(null) : reject(err)));
    server.listen(path, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** The pid of the live process listening on `path`, or null when none listens (a file left by a dead one). */
function holder(path: string): Promise<string | null> {
  return new Promise((resolve) => {
    const s = connect(path);
    let connected = false;
    let said = '';
    s.setTimeout(2_000, () => s.destroy());
    s.on('connect', () => (connected = true));
    s.on('data', (d) => (said += d));
    s.on('error', () => undefined); // ECONNREFUSED: nobody listens; ENOENT: gone meanwhile
    s.on('close', () => resolve(connected ? said.trim() || 'unknown' : null));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PGlite does not lock its directory, and two processes on one directory silently lose rows.
 * The lock is a Unix socket in the directory that this process listens on: the kernel closes it
 * when the process ends, however it ends (kill -9, an OOM kill, `docker kill`), so a lock cannot
 * outlive its holder and no pid is guessed at (a container's pid 1 is every restart's pid). A
 * second process finds someone listening and is refused; a socket file nobody listens on is
 * removed and taken.
 */
export async function lockDataDir(dir: string): Promise<() => void> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw unwritable(dir, err);
  }
  // The pid file of earlier versions: a pid proves nothing (pid 1 after a container restart).
  rmSync(join(dir, 'growthbot.lock'), { force: true });
  const path = socketPath(dir);
  const claim = join(dir, 'growthbot.lock.claim');
  for (let attempt = 0; attempt < 20; attempt++) {
    // A folder this user may not write fails here first (EACCES on the socket, not a port).
    const server = await listen(path).catch((err: unknown) => {
      throw unwritable(dir, err);
    });
    if (server) return () => server.close();
    const pid = await holder(path);
    if (pid !== null) throw new DataDirLockedError(dir, pid);
    // Left by a process that died. Only one starter removes it: two racing would each remove
    // the other's fresh socket.
    let fd: number;
    try {
      fd = openSync(claim, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A claim older than a few seconds belongs to a starter that died in these few lines.
      const since = statSync(claim, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 5_000) rmSync(claim, { force: true });
      await sleep(50);
      continue;
    }
    try {
      if (!path.startsWith('\0')) rmSync(path, { force: true });
    } finally {
      closeSync(fd);
      rmSync(claim, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
