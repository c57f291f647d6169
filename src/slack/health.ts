import type { ServerResponse } from 'node:http';
import { migrationsApplied } from '../db/migrate.ts';
import type { Deps } from '../deps.ts';
import { withDeadline } from './deadline.ts';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** How long ago the scheduler last finished a tick (null before the first, or when not scheduling). */
function tick(deps: Deps) {
  const last = deps.metrics.lastTickAt();
  return {
    lastTickAt: last?.toISOString() ?? null,
    lastTickAgeSeconds: last ? Math.round((Date.now() - last.getTime()) / 1000) : null,
  };
}

/** Prometheus text format of every growthbot metric and the process's own. */
export async function metrics(deps: Deps, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
  res.end(await deps.metrics.registry.metrics());
}

/** 200 only when the database answers and every migration is applied; 503 otherwise. */
export async function health(deps: Deps, res: ServerResponse): Promise<void> {
  try {
    const ok = await withDeadline(
      (async () => {
        return migrationsApplied(deps.db);
      })(),
      2_000,
      'health check',
    );
    json(res, ok ? 200 : 503, { ok, database: 'up', migrations: ok ? 'applied' : 'pending', ...tick(deps) });
  } catch (err) {
    deps.logger.warn({ err }, 'health check failed');
    json(res, 503, { ok: false, database: 'down', ...tick(deps) });
  }
}
