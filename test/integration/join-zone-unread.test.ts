// Slack cannot tell us someone's zone (users.info fails: Slack down, rate limited) when they
// join, are named a mentor, or come in through a roster import. They get UTC for now, but the
// zone is not marked read: the timezone refresh (which takes zones never read first, and which
// the clock counts as due now) asks Slack again on its next run, and the real zone replaces UTC,
// instead of prompts arriving at UTC times for a week. A zone read before is kept.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getMember } from '../../src/db/members.ts';
import { importRoster } from '../../src/jobs/import-roster.ts';
import { nextDue } from '../../src/jobs/next-due.ts';
import { runRefreshTimezones } from '../../src/jobs/refresh-timezones.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { slashCommand } from '../support/slack-requests.ts';

const T = 'T0TEST';
const NOW = new Date('2026-12-08T10:00:00Z');
const LATER = new Date('2026-12-08T11:00:00Z');
const NOTE = 'I could not read your timezone from Slack just now, so I will use UTC until I can.';
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.database.truncate();
  h.fake.reset();
  h.fake.addUser({ id: 'U0SAM', tz: 'America/Chicago', real_name: 'Sam Rivera' });
  h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana Souza' });
  h.setNow(NOW);
});

const growth = async (user: string, text: string) =>
  ((await h.send(slashCommand({ command: '/growth', text, user_id: user }))).json as { text: string }).text;
const person = async (id: string) => (await getMember(h.deps.db, T, id))!;
const slackDown = () => h.fake.failNext('users.info', { error: 'service_unavailable' });

describe('a zone Slack could not give', () => {
  it('joining while Slack fails: UTC for now, not marked read; the next refresh reads Sam’s own zone', async () => {
    slackDown();
    const reply = await growth('U0SAM', 'join mid');
    expect(reply).toContain('Welcome! You joined at *mid* level.');
    expect(reply).toContain(`(UTC) (${NOTE})`);
    expect(await person('U0SAM')).toMatchObject({ level: 'mid', tz: 'UTC', tzCheckedAt: null });
    // The clock wakes the refresh now, not a week later.
    expect(await nextDue(h.deps, NOW)).toEqual(NOW);

    expect(await runRefreshTimezones(h.deps, NOW)).toMatchObject({ checked: 1, changed: 1 });
    expect(await person('U0SAM')).toMatchObject({ tz: 'America/Chicago', tzCheckedAt: NOW, displayName: 'Sam Rivera' });
  });

  it('joining again while Slack fails keeps the zone read before, with no note', async () => {
    await growth('U0SAM', 'join mid');
    expect(await person('U0SAM')).toMatchObject({ tz: 'America/Chicago', tzCheckedAt: NOW });
    h.setNow(LATER);
    slackDown();
    const reply = await growth('U0SAM', 'join senior');
    expect(reply).toContain('your level is now *senior*');
    expect(reply).toContain('(America/Chicago).');
    expect(reply).not.toContain(NOTE);
    expect(await person('U0SAM')).toMatchObject({ level: 'senior', tz: 'America/Chicago', tzCheckedAt: NOW });
  });

  it('a mentor named while Slack fails is UTC, not marked read, until the refresh reads Ana’s zone', async () => {
    await growth('U0SAM', 'join mid');
    slackDown();
    await growth('U0SAM', 'mentor <@U0ANA>');
    expect(await person('U0ANA')).toMatchObject({ level: null, tz: 'UTC', tzCheckedAt: null });
    expect(await nextDue(h.deps, NOW)).toEqual(NOW);

    h.setNow(LATER);
    expect(await runRefreshTimezones(h.deps, LATER)).toMatchObject({ checked: 1, changed: 1 });
    expect(await person('U0ANA')).toMatchObject({ tz: 'Europe/Berlin', tzCheckedAt: LATER });
    expect(await person('U0SAM')).toMatchObject({ tz: 'America/Chicago', tzCheckedAt: NOW });
  });

  it('a roster import while Slack fails leaves member and mentor unread; the refresh reads both', async () => {
    h.fake.failNext('users.info', { error: 'service_unavailable' }, 2);
    const dir = await mkdtemp(join(tmpdir(), 'zone-unread-'));
    const path = join(dir, 'roster.csv');
    await writeFile(path, 'member,level,mentor\nU0SAM,mid,U0ANA\n');
    expect(await importRoster(h.deps, path, { dryRun: false })).toMatchObject({ problems: [], written: true });
    expect(await person('U0SAM')).toMatchObject({ level: 'mid', tz: 'UTC', tzCheckedAt: null });
    expect(await person('U0ANA')).toMatchObject({ level: null, tz: 'UTC', tzCheckedAt: null });

    expect(await runRefreshTimezones(h.deps, NOW)).toMatchObject({ checked: 2, changed: 2 });
    expect(await person('U0SAM')).toMatchObject({ tz: 'America/Chicago', tzCheckedAt: NOW });
    expect(await person('U0ANA')).toMatchObject({ tz: 'Europe/Berlin', tzCheckedAt: NOW });
  });
});
