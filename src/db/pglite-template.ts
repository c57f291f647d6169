import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP_ROOT } from '../paths.ts';

/**
 * A new embedded database spends about 5 s in initdb. The first one made on this install is
 * kept (an empty cluster, before migrations) in node_modules/.cache, and later new ones start
 * from it in about 1 s: a sandbox `--fresh`, a test's database. Best effort: a cache that cannot
 * be read or written only means the slow path.
 */
const NODE_MODULES = join(APP_ROOT, 'node_modules');

function templatePath(): string | undefined {
  try {
    const pkg = join(NODE_MODULES, '@electric-sql', 'pglite', 'package.json');
    const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
    return join(NODE_MODULES, '.cache', 'growthbot', `pglite-${version}.tar`);
  } catch {
    return undefined;
  }
}

/** The kept empty cluster, when there is one and `dir` does not hold a database yet. */
export function templateFor(dir: string): Blob | undefined {
  const path = templatePath();
  if (!path || existsSync(dir) || !existsSync(path)) return undefined;
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    return undefined;
  }
}

/** Keeps a just-created empty cluster for the next new database. */
export async function keepTemplate(dump: () => Promise<Blob>): Promise<void> {
  const path = templatePath();
  if (!path || existsSync(path)) return;
  try {
    const bytes = Buffer.from(await (await dump()).arrayBuffer());
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, path); // whole or absent, even with two processes at once
  } catch {
    // the next new database takes the slow path again
  }
}
