// Someone who has not joined writes to the bot: their row remembers the hint, not a zone. Its
// zone is the column's default and was never looked up, so nothing may read it as theirs: the
// timezone refresh asks Slack for it first (and the sandbox's clock knows that is due now), a
// mentor named later takes the zone looked up then, and a roster import asks Slack for it.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimJoinHint, ensurePerson, getMember } from '../../src/db/members.ts';
import { importRoster } from '../../src/jobs/import-roster.ts';
import { nextDue } from '../../src/jobs/next-due.ts';
import { runRefreshTimezones } from '../../src/jobs/refresh-timezones.ts';
import { type Harness, startHarness } from '../support/harness.ts';

const T = 'T0TEST';
const NOW = new Date('2026-12-08T10:00:00Z');
const HOUR = 3_600_000;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.fake.addUser({ id: 'U0SAM', tz: 'America/Chicago', real_name: 'Sam Visitor' });
  h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana Souza' });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.database.truncate();
  h.fake.reset();
});

const sam = async () => (await getMember(h.deps.db, T, 'U0SAM'))!;

describe('the row a join hint leaves', () => {
  it('claims no checked zone: the refresh asks Slack for it at once and takes Sam’s own', async () => {
    expect(await claimJoinHint(h.deps.db, T, 'U0SAM', NOW, HOUR)).toBe(true);
    expect(await sam()).toMatchObject({ joinHintAt: NOW, tzCheckedAt: null, tz: 'UTC', level: null });
    // Nothing else is stored: the clock's next due instant is now, for the zone never read.
    expect(await nextDue(h.deps, NOW)).toEqual(NOW);

    expect(await runRefreshTimezones(h.deps, NOW)).toMatchObject({ checked: 1, changed: 1 });
    expect(h.fake.callsTo('users.info').map((c) => c.args.user)).toEqual(['U0SAM']);
    expect(await sam()).toMatchObject({ tz: 'America/Chicago', tzCheckedAt: NOW, displayName: 'Sam Visitor' });
    // Read now: stale again a week later, not before.
    expect(await nextDue(h.deps, NOW)).toEqual(new Date('2026-12-15T10:00:00Z'));
    // A second hint an hour later does not undo that.
    expect(await claimJoinHint(h.deps.db, T, 'U0SAM', new Date(NOW.getTime() + HOUR), HOUR)).toBe(true);
    expect(await sam()).toMatchObject({ tz: 'America/Chicago', tzCheckedAt: NOW });
  });

  it('named a mentor later, Sam gets the zone and name looked up then (a zone read before is kept)', async () => {
    await claimJoinHint(h.deps.db, T, 'U0SAM', NOW, HOUR);
    const later = new Date(NOW.getTime() + HOUR);
    await ensurePerson(h.deps.db, { teamId: T, userId: 'U0SAM', displayName: 'Sam V', tz: 'America/Chicago' }, later);
    expect(await sam()).toMatchObject({ tz: 'America/Chicago', tzCheckedAt: later, displayName: 'Sam V' });
    expect((await sam()).joinHintAt).toEqual(NOW);

    await ensurePerson(h.deps.db, { teamId: T, userId: 'U0SAM', displayName: null, tz: 'Asia/Tokyo' }, NOW);
    expect(await sam()).toMatchObject({ tz: 'America/Chicago', tzCheckedAt: later, displayName: 'Sam V' });
  });

  it('a roster import asks Slack for the zone of someone who only wrote to the bot, as a member or a mentor', async () => {
    await claimJoinHint(h.deps.db, T, 'U0SAM', NOW, HOUR);
    await claimJoinHint(h.deps.db, T, 'U0ANA', NOW, HOUR);
    const dir = await mkdtemp(join(tmpdir(), 'join-hint-'));
    const path = join(dir, 'roster.csv');
    await writeFile(path, 'member,level,mentor\nU0SAM,mid,U0ANA\n');
    expect(await importRoster(h.deps, path, { dryRun: false })).toMatchObject({ problems: [], written: true });
    expect(await sam()).toMatchObject({ level: 'mid', tz: 'America/Chicago' });
    expect(await getMember(h.deps.db, T, 'U0ANA')).toMatchObject({ level: null, tz: 'Europe/Berlin' });
  });
});
