// /healthz and /metrics live on METRICS_PORT, apart from the public Slack URL: a load balancer
// forwards only PORT (/slack/events), and nobody outside can read the metrics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { jobRunner } from '../../src/jobs/index.ts';
import { createApp } from '../../src/slack/app.ts';
import { BOT_TOKEN, type Harness, useHarness } from '../support/harness.ts';
import { startProcess, takenPort } from '../support/processes.ts';

let h: Harness;
useHarness((x) => (h = x));

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

describe('the private port', () => {
  it('answers /healthz and /metrics; the public Slack port answers 404 to both', async () => {
    const health = await fetch(`${h.privateUrl}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await fetch(`${h.privateUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('growthbot_send_queue_depth');

    for (const path of ['/metrics', '/healthz']) {
      const r = await fetch(`${h.baseUrl}${path}`);
      expect(r.status, path).toBe(404);
      expect(await r.text()).not.toContain('growthbot_');
    }
    // The public port still takes Slack's requests.
    expect((await fetch(`${h.baseUrl}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('answers 404 to anything but GET /healthz and GET /metrics', async () => {
    expect((await fetch(`${h.privateUrl}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${h.privateUrl}/`)).status).toBe(404);
  });

  it('in Socket Mode opens no HTTP port of Bolt\u2019s own (the private port is the only one)', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: h.fake.url });
    const growth = createApp({ ...h.deps, config }, { jobs: jobRunner(h.deps), botUserId: 'UBOT', botId: 'BBOT' });
    const receiver = (growth.app as unknown as { receiver: { constructor: { name: string }; httpServer?: unknown } })
      .receiver;
    expect(receiver.constructor.name).toBe('SocketModeReceiver');
    expect(receiver.httpServer).toBeUndefined();
  });

  it('a METRICS_PORT in use stops the bot with one sentence naming METRICS_PORT, as the README shows', async () => {
    const taken = await takenPort();
    try {
      const r = await startProcess(h, ['src/main.ts'], { PORT: '0', METRICS_PORT: String(taken.port) }).done;
      expect(r.code, r.out).toBe(1);
      const line = r.stderr.trim();
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toMatch(/^Port \d+ is already in use \(EADDRINUSE\).*METRICS_PORT/);
      expect(README).toContain(line.replace(`Port ${taken.port}`, 'Port 9464'));
    } finally {
      await taken.close();
    }
  }, 30_000);
});
