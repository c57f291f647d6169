import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../db/create-db.ts';

/**
 * `npm ci` runs this (postinstall): it makes one throwaway embedded database, so the empty
 * cluster is kept (pglite-template.ts) and the first `npm run sandbox` skips initdb. Never fails
 * an install: without the template the first start is only a few seconds slower.
 */
const dir = mkdtempSync(join(tmpdir(), 'growthbot-template-'));
try {
  const handle = await createDb({ dataDir: dir });
  await handle.close();
} catch {
  // the slow path, then
} finally {
  rmSync(dir, { recursive: true, force: true });
}
