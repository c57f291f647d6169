import { App } from '@slack/bolt';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isGuarded } from '../../src/slack/guard.ts';
import { type Harness, startHarness } from '../support/harness.ts';

// The layers test reads the source; this one asks the app itself: every listener Bolt is given
// (with every optional surface switched on) is one the guard made.
const METHODS = ['command', 'action', 'view', 'event', 'message', 'shortcut', 'options'] as const;

describe('the app as Slack reaches it', () => {
  let h: Harness | undefined;
  afterAll(async () => h?.close());

  it('registers only guarded listeners, for commands, buttons, forms and events alike', async () => {
    const seen: { method: string; on: string; guarded: boolean }[] = [];
    for (const method of METHODS) {
      const original = App.prototype[method] as (...a: unknown[]) => unknown;
      vi.spyOn(App.prototype, method).mockImplementation(function (this: App, ...args: unknown[]) {
        seen.push({ method, on: String(args[0]), guarded: args.slice(1).every(isGuarded) });
        return original.apply(this, args) as never;
      });
    }
    try {
      h = await startHarness({ INCIDENT_CHANNEL_PATTERN: '^inc-' });
    } finally {
      vi.restoreAllMocks();
    }
    expect(seen.filter((s) => s.method === 'event').map((s) => s.on)).toEqual(
      expect.arrayContaining(['app_home_opened', 'message', 'member_joined_channel', 'channel_archive']),
    );
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.filter((s) => !s.guarded)).toEqual([]);
  });
});
