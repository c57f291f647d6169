import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { migrationsApplied } from '../db/migrate.ts';
import type { Deps } from '../deps.ts';
import { explainFailure, KnownError } from '../errors.ts';
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

export interface PrivateServer {
  /** The port bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * GET /healthz and GET /metrics on a port of their own (METRICS_PORT), in HTTP and Socket Mode
 * alike: only /slack/events belongs behind the load balancer. Anything else here is 404.
 */
export async function startPrivateServer(deps: Deps, port: number, host?: string): Promise<PrivateServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return void health(deps, res);
    if (req.method === 'GET' && path === '/metrics') return void metrics(deps, res);
    json(res, 404, { ok: false, error: 'not found: GET /healthz or GET /metrics' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      const sentence = explainFailure(err, { portSetting: 'METRICS_PORT' });
      reject(sentence ? new KnownError(sentence) : err);
    });
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
