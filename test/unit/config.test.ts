import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const ok = { SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: 'secret' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/growthbot');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('starts with only the two Slack variables, on the embedded database', () => {
    const c = loadConfig(ok, '/srv/growthbot');
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      dataDir: '/srv/growthbot/data',
      rubricsDir: '/srv/growthbot/rubrics',
      adminUserIds: [],
      sendRatePerSecond: 3,
      logLevel: 'info',
    });
    expect(c.slack).toEqual({
      botToken: 'xoxb-1-2-3',
      signingSecret: 'secret',
      appToken: undefined,
      apiUrl: undefined,
    });
  });

  it('names each missing variable and where to get it, all at once', () => {
    const p = problems({});
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^SLACK_BOT_TOKEN is required\. .*OAuth & Permissions/);
    expect(p[1]).toMatch(/^SLACK_SIGNING_SECRET is required in HTTP mode .*Basic Information/);
  });

  it('refuses the unedited placeholder token, and lists the log levels once', () => {
    expect(problems({ ...ok, SLACK_BOT_TOKEN: 'xoxb-' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN is still the placeholder .*OAuth & Permissions/),
    ]);
    const [level] = problems({ ...ok, LOG_LEVEL: 'loud' });
    expect(level).toMatch(/^LOG_LEVEL is not a log level\. Set it to one of fatal, error/);
    expect(level!.match(/fatal/g)).toHaveLength(1);
  });

  it('keeps idle HTTP connections longer than a load balancer does (75 s unless set)', () => {
    expect(loadConfig(ok).keepAliveSeconds).toBe(75);
    expect(loadConfig({ ...ok, HTTP_KEEP_ALIVE_SECONDS: '400' }).keepAliveSeconds).toBe(400);
    expect(problems({ ...ok, HTTP_KEEP_ALIVE_SECONDS: 'long' })[0]).toMatch(
      /^HTTP_KEEP_ALIVE_SECONDS must be a number\. .*load balancer/,
    );
  });

  it('does not need a signing secret in Socket Mode', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(c.slack.appToken).toBe('xapp-1');
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', 'SLACK_BOT_TOKEN must start with xoxb-'],
    ['SLACK_APP_TOKEN', 'abc', 'SLACK_APP_TOKEN must start with xapp-'],
    ['PORT', 'eighty', 'PORT must be a number'],
    ['PORT', '70000', 'PORT '],
    ['DATABASE_URL', 'mysql://localhost/db', 'DATABASE_URL must be a postgres:// URL'],
    ['SLACK_API_URL', 'not a url', 'SLACK_API_URL must be a URL'],
    ['ADMIN_USER_IDS', 'U012ABC,alice', 'ADMIN_USER_IDS must be Slack user ids'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL '],
    ['SEND_RATE_PER_SECOND', '-1', 'SEND_RATE_PER_SECOND '],
    ['INCIDENT_CHANNEL_PATTERN', '^inc-(', 'INCIDENT_CHANNEL_PATTERN is not a valid regular expression'],
  ])('explains a bad %s (%s)', (name, value, message) => {
    const p = problems({ ...ok, [name]: value });
    expect(p).toHaveLength(1);
    expect(p[0]).toContain(message);
    expect(p[0]).toContain('Set it to');
  });

  it('treats empty values as unset and normalises lists and URLs', () => {
    const c = loadConfig({
      ...ok,
      DATABASE_URL: '',
      ADMIN_USER_IDS: ' U012ABC , W034DEF ,',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SEND_RATE_PER_SECOND: '0',
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.adminUserIds).toEqual(['U012ABC', 'W034DEF']);
    expect(c.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c.sendRatePerSecond).toBe(0);
  });

  it('follows incident channels only when INCIDENT_CHANNEL_PATTERN is set', () => {
    expect(loadConfig(ok).incidentChannelPattern).toBeUndefined();
    const pattern = loadConfig({ ...ok, INCIDENT_CHANNEL_PATTERN: '^inc-' }).incidentChannelPattern!;
    expect(pattern.test('inc-2026-12-db')).toBe(true);
    expect(pattern.test('general')).toBe(false);
  });

  it('never puts a secret in its error message', () => {
    const p = problems({ SLACK_BOT_TOKEN: 'xoxp-very-secret', PORT: 'x' });
    expect(p.join('\n')).not.toContain('very-secret');
  });
});
