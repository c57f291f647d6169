// Scopes a security review asks about: each one and each event is listed with the feature that
// needs it; growthbot reads the scopes it was granted and runs without the optional ones, with
// incident channels off and one log line saying so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { jobRunner } from '../../src/jobs/index.ts';
import { readManifest } from '../../src/sandbox/slack-methods.ts';
import { startFakeSlack } from '../../src/sandbox/slack-stand-in.ts';
import { createApp, type GrowthApp } from '../../src/slack/app.ts';
import { verifySlackToken } from '../../src/slack/auth.ts';
import { INCIDENT_CHANNEL_SCOPES, NEEDS, withGrantedScopes } from '../../src/slack/scopes.ts';
import { BOT_TOKEN, type Harness, SIGNING_SECRET, useHarness } from '../support/harness.ts';
import { startProcess } from '../support/processes.ts';
import { eventCallback, send, slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x), { INCIDENT_CHANNEL_PATTERN: '^inc-' });

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const manifest = readManifest();
const withoutChannels = manifest.scopes.filter((s) => !(INCIDENT_CHANNEL_SCOPES as readonly string[]).includes(s));
const joinedInc = (user: string) =>
  eventCallback({
    type: 'member_joined_channel',
    user,
    channel: 'C0INC',
    channel_type: 'C',
    team: 'T0TEST',
    event_ts: '1.1',
  });
const participations = () => h.deps.db.selectFrom('incident_participations').selectAll().execute();

let other: GrowthApp | undefined;
afterEach(async () => {
  await other?.stop();
  other = undefined;
});

describe('scopes and events', () => {
  it('the list is the manifest\u2019s, each with its feature; the README shows each row, optional ones marked', () => {
    expect(
      NEEDS.filter((n) => n.kind === 'scope')
        .map((n) => n.name)
        .sort(),
    ).toEqual([...manifest.scopes].sort());
    expect(
      NEEDS.filter((n) => n.kind === 'event')
        .map((n) => n.name)
        .sort(),
    ).toEqual([...manifest.botEvents].sort());
    for (const n of NEEDS)
      expect(README, n.name).toContain(
        `| \`${n.name}\` | ${n.kind} | ${n.optional ? 'optional' : 'required'} | ${n.for} |`,
      );
    expect(NEEDS.filter((n) => n.optional).map((n) => n.name)).toEqual(
      expect.arrayContaining([
        ...INCIDENT_CHANNEL_SCOPES,
        'member_joined_channel',
        'message.channels',
        'channel_archive',
      ]),
    );
  });

  it('reads the granted scopes from auth.test (Slack\u2019s x-oauth-scopes header)', async () => {
    expect((await verifySlackToken(h.deps)).scopes?.sort()).toEqual([...manifest.scopes].sort());
    const fewer = await startFakeSlack({ token: BOT_TOKEN, scopes: withoutChannels });
    try {
      const deps = { ...h.deps, slack: new WebClient(BOT_TOKEN, { slackApiUrl: fewer.url }) };
      expect((await verifySlackToken(deps)).scopes?.sort()).toEqual([...withoutChannels].sort());
    } finally {
      await fewer.close();
    }
  });

  it('without channels:history and channels:read, incident channels are off (and on with them), said in one log line', async () => {
    h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana' });
    h.fake.addChannel({ id: 'C0INC', name: 'inc-2026-12-db' });
    await h.send(slashCommand({ command: '/growth', text: 'join mid', user_id: 'U0ANA' }));

    expect(withGrantedScopes(h.deps, manifest.scopes)).toBe(h.deps); // all granted: nothing changes, nothing said
    const from = h.logs.length;
    const limited = withGrantedScopes(h.deps, withoutChannels);
    const said = h.logs.slice(from).map((l) => String(l.msg));
    expect(said).toEqual([
      'Slack scopes: without channels:read, channels:history incident channels are off although INCIDENT_CHANNEL_PATTERN is set',
    ]);
    other = createApp(limited, { jobs: jobRunner(limited), botUserId: 'UBOT', botId: 'BBOT' });
    const port = await other.start(0, '127.0.0.1');
    expect((await send(`http://127.0.0.1:${port}`, joinedInc('U0ANA'), { secret: SIGNING_SECRET })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await participations()).toHaveLength(0);

    // The same event to the app with every scope: a participation (so the check above can fail).
    await h.send(joinedInc('U0ANA'));
    await expect.poll(async () => (await participations()).length, { timeout: 5_000 }).toBe(1);
  });

  it('npm start against a workspace that did not grant them: starts, and says so in one line', async () => {
    const fewer = await startFakeSlack({ token: BOT_TOKEN, scopes: withoutChannels });
    const run = startProcess(h, ['src/main.ts'], {
      SLACK_API_URL: fewer.url,
      PORT: '0',
      LOG_LEVEL: 'info',
      INCIDENT_CHANNEL_PATTERN: '^inc-',
    });
    let seen = '';
    run.child.stdout!.on('data', (d) => (seen += d));
    try {
      await expect.poll(() => seen, { timeout: 30_000 }).toContain('"metricsPort"');
    } finally {
      run.child.kill('SIGTERM');
    }
    const r = await run.done;
    await fewer.close();
    const lines = r.stdout.split('\n').filter((l) => l.includes('Slack scopes:'));
    expect(lines, r.out).toHaveLength(1);
    expect(lines[0]).toContain('incident channels are off');
  }, 60_000);
});
