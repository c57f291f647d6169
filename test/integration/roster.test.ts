import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importRoster } from '../../src/jobs/import-roster.ts';
import { type Harness, startHarness } from '../support/harness.ts';

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness();
  dir = await mkdtemp(join(tmpdir(), 'roster-'));
  h.fake.addUser({ id: 'U012ALICE', tz: 'Europe/Berlin', email: 'alice@example.com' });
  h.fake.addUser({ id: 'U0BOB', tz: 'America/New_York', email: 'bob@example.com' });
  h.fake.addUser({ id: 'U034MORGAN', tz: 'UTC', email: 'morgan@example.com' });
  h.fake.addUser({ id: 'U056CARLA', tz: 'Asia/Kolkata' });
  h.fake.addUser({ id: 'U0DANA', tz: 'UTC', email: 'dana@example.com' });
  h.fake.addUser({ id: 'U0NEWMENTOR', tz: 'UTC' });
  h.fake.addUser({ id: 'U0REFUSED', tz: 'UTC' });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.database.truncate();
  h.fake.reset();
});

async function file(name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}
const counts = async () => ({
  members: (await h.deps.db.selectFrom('members').select('user_id').execute()).length,
  mentorships: (await h.deps.db.selectFrom('mentorships').select('id').execute()).length,
});

describe('roster import', () => {
  it('imports the example roster (ids and e-mails), and a second import changes nothing', async () => {
    const first = await importRoster(h.deps, 'examples/roster.csv', { dryRun: false });
    expect(first).toMatchObject({ problems: [], written: true, unchanged: 0 });
    const members = await h.deps.db.selectFrom('members').selectAll().orderBy('user_id').execute();
    const byId = Object.fromEntries(members.map((m) => [m.user_id, m]));
    expect(byId.U0BOB).toMatchObject({ level: 'mid', tz: 'America/New_York', prompt_weekday: 2, prompt_minute: 570 });
    expect(byId.U0DANA).toMatchObject({ level: 'staff', prompt_weekday: 5, prompt_minute: 840 });
    expect(byId.U034MORGAN).toMatchObject({ level: null, joined_at: null }); // a mentor, not a member
    const ms = await h.deps.db
      .selectFrom('mentorships')
      .select(['mentee_id', 'mentor_id'])
      .orderBy('mentee_id')
      .execute();
    expect(ms).toEqual([
      { mentee_id: 'U012ALICE', mentor_id: 'U034MORGAN' },
      { mentee_id: 'U0BOB', mentor_id: 'U034MORGAN' },
    ]);

    const before = await h.deps.db.selectFrom('members').select(['user_id', 'updated_at']).orderBy('user_id').execute();
    const again = await importRoster(h.deps, 'examples/roster.yaml', { dryRun: false });
    expect(again).toMatchObject({ problems: [], changes: [], unchanged: 4 });
    expect(
      await h.deps.db.selectFrom('members').select(['user_id', 'updated_at']).orderBy('user_id').execute(),
    ).toEqual(before);
    expect(await counts()).toEqual({ members: 5, mentorships: 2 });
  });

  it('reports every bad row with its line and reason, and writes nothing', async () => {
    const path = await file(
      'bad.csv',
      [
        'member,level,mentor,weekday,time',
        'U012ALICE,junior,,,',
        'not-an-email,mid,,,',
        'nobody@example.com,mid,,,',
        'U056CARLA,wizard,,,',
        'U012ALICE,senior,,,',
        'U0BOB,mid,U0BOB,,',
        'alice@example.com,mid,,funday,25:00',
        'U0DANA,staff,,,',
      ].join('\n'),
    );
    const r = await importRoster(h.deps, path, { dryRun: false });
    expect(r.written).toBe(false);
    const lines = r.problems.map((p) => `${p.line}: ${p.reason}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^3: member "not-an-email" is neither/),
        expect.stringMatching(/^4: member e-mail nobody@example.com matches nobody/),
        expect.stringMatching(/^5: unknown level "wizard" \(levels: junior, mid, senior, staff\)/),
        expect.stringMatching(/^6: member U012ALICE is already on line 2/),
        expect.stringMatching(/^7: U0BOB cannot be their own mentor/),
        expect.stringMatching(/^8: weekday "funday"/),
        expect.stringMatching(/^8: time "25:00"/),
      ]),
    );
    expect(lines.some((l) => l.startsWith('2:') || l.startsWith('9:'))).toBe(false);
    expect(await counts()).toEqual({ members: 0, mentorships: 0 });
  });

  it('finds the same person named by e-mail and by id', async () => {
    const path = await file(
      'twice.yaml',
      '- member: U012ALICE\n  level: junior\n- member: alice@example.com\n  level: mid\n',
    );
    const r = await importRoster(h.deps, path, { dryRun: false });
    expect(r.problems).toEqual([{ line: 3, reason: 'member U012ALICE is already on line 1' }]);
  });

  it('a dry run shows the changes and writes nothing', async () => {
    const r = await importRoster(h.deps, 'examples/roster.csv', { dryRun: true });
    expect(r).toMatchObject({ written: false, problems: [] });
    expect(r.changes).toContain('line 2: U012ALICE joins at junior, prompts Monday 10:00');
    expect(await counts()).toEqual({ members: 0, mentorships: 0 });
  });

  it('a new mentor in a later import ends the old mentorship and keeps it as history', async () => {
    await importRoster(h.deps, 'examples/roster.csv', { dryRun: false });
    const path = await file('change.csv', 'member,level,mentor\nU012ALICE,mid,U0NEWMENTOR\n');
    const r = await importRoster(h.deps, path, { dryRun: false });
    expect(r.changes).toEqual([
      'line 2: U012ALICE level junior → mid',
      'line 2: U012ALICE mentor U034MORGAN → U0NEWMENTOR',
    ]);
    const history = await h.deps.db
      .selectFrom('mentorships')
      .select(['mentor_id', 'ended_at'])
      .where('mentee_id', '=', 'U012ALICE')
      .orderBy('id')
      .execute();
    expect(history.map((m) => [m.mentor_id, m.ended_at !== null])).toEqual([
      ['U034MORGAN', true],
      ['U0NEWMENTOR', false],
    ]);
  });

  it('a row the database refuses rolls the whole import back: nobody joins, no mentorship is made', async () => {
    // The last row's member is refused by the database itself, after the rows before it were written.
    await sql`create function refuse_member() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`.execute(
      h.deps.db,
    );
    await sql`create trigger refuse_member before insert on members for each row when (new.user_id = 'U0REFUSED') execute function refuse_member()`.execute(
      h.deps.db,
    );
    try {
      const path = await file(
        'refused.csv',
        'member,level,mentor\nU012ALICE,junior,U034MORGAN\nU0BOB,mid,U034MORGAN\nU0REFUSED,senior,\n',
      );
      await expect(importRoster(h.deps, path, { dryRun: false })).rejects.toThrow('refused for the test');
      expect(await counts()).toEqual({ members: 0, mentorships: 0 });
    } finally {
      await sql`drop trigger refuse_member on members`.execute(h.deps.db);
      await sql`drop function refuse_member()`.execute(h.deps.db);
    }
    // The same file without the refused row imports whole.
    const fine = await importRoster(
      h.deps,
      await file('fine.csv', 'member,level,mentor\nU012ALICE,junior,U034MORGAN\nU0BOB,mid,U034MORGAN\n'),
      { dryRun: false },
    );
    expect(fine).toMatchObject({ written: true, problems: [] });
    expect(await counts()).toEqual({ members: 3, mentorships: 2 });
  });

  it('refuses a file without the required columns', async () => {
    const path = await file('cols.csv', 'user,grade\nU012ALICE,junior\n');
    const r = await importRoster(h.deps, path, { dryRun: false });
    expect(r.problems.map((p) => p.reason)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('no "member" column'),
        expect.stringContaining('no "level" column'),
      ]),
    );
    expect(await counts()).toEqual({ members: 0, mentorships: 0 });
  });
});
