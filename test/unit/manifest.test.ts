import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** Every Web API method the app's code calls, read from the source itself (the sandbox's stand-in is Slack's side). */
function methodsCalled(dir = 'src'): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (
      !entry.isFile() ||
      !entry.name.endsWith('.ts') ||
      join(entry.parentPath, entry.name).startsWith(join(dir, 'sandbox'))
    )
      continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    // A Web API client is `client` (Bolt's) or `slack` (deps'); a call may wrap onto the next line.
    for (const m of text.matchAll(/\b(?:client|slack)\.(chat|users|views|conversations|files)\s*\.(\w+)\(/g))
      found.add(`${m[1]}.${m[2]}`);
    if (/\.filesUploadV2\(/.test(text))
      ['files.getUploadURLExternal', 'files.completeUploadExternal'].forEach((x) => found.add(x));
  }
  return found;
}

describe('slack-app-manifest.yml', () => {
  const manifest = parse(readFileSync('slack-app-manifest.yml', 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
    features: {
      slash_commands: { command: string; should_escape: boolean }[];
      app_home: { home_tab_enabled: boolean };
    };
    settings: { interactivity: { is_enabled: boolean }; event_subscriptions: { bot_events: string[] } };
  };
  const scopes = new Set(manifest.oauth_config.scopes.bot);

  it('grants the bot scope of every Web API method the code calls (per Slack\u2019s method reference)', () => {
    const called = methodsCalled();
    expect(called.has('chat.postMessage')).toBe(true);
    for (const method of called) {
      const spec = JSON.parse(readFileSync(`src/sandbox/slack-methods/${method}.json`, 'utf8')) as {
        scope?: { bot?: string[] };
      };
      const needed = spec.scope?.bot ?? [];
      // Slack lists alternatives (e.g. conversations.open: any of channels:manage, im:write, …).
      if (needed.length)
        expect(
          needed.some((s) => scopes.has(s)),
          `${method} needs one of ${needed.join(', ')}`,
        ).toBe(true);
    }
  });

  it('subscribes to exactly the events the code listens to, with the scopes they need', () => {
    const listened = new Set<string>();
    for (const entry of readdirSync('src', { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      // A `message` listener is `message.channels` or `message.im`, by the channel type its schema accepts.
      const kinds = [...text.matchAll(/channel_type: z\.literal\('(\w+)'\)/g)].map((k) =>
        k[1] === 'channel' ? 'message.channels' : `message.${k[1]}`,
      );
      for (const m of text.matchAll(/app\.event\(\s*'(\w+)'/g))
        for (const e of m[1] === 'message' ? kinds : [m[1]!]) listened.add(e);
    }
    expect(new Set(manifest.settings.event_subscriptions.bot_events)).toEqual(listened);
    const needs: Record<string, string> = {
      member_joined_channel: 'channels:read',
      channel_archive: 'channels:read',
      'message.channels': 'channels:history',
      'message.im': 'im:history',
    };
    for (const [event, scope] of Object.entries(needs))
      if (listened.has(event)) expect(scopes.has(scope), `${event} needs ${scope}`).toBe(true);
  });

  it('declares both commands with escaped mentions, interactivity and the Home tab', () => {
    expect(manifest.features.slash_commands.map((c) => [c.command, c.should_escape])).toEqual([
      ['/growth', true],
      ['/checkin', true],
    ]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(scopes.has('commands')).toBe(true);
  });
});
