import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetPerson } from '../../src/db/person-data.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { NOT_ADMIN } from '../../src/slack/admin-command.ts';
import { buildExport } from '../../src/slack/export.ts';
import { type FeedServer, startFeedServer } from '../support/feed-server.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { TEAM } from '../support/members.ts';
import { personColumns } from '../support/person-columns.ts';
import { blockAction, slashCommand } from '../support/slack-requests.ts';

const weekly = readFileSync(new URL('../fixtures/ical/weekly-berlin.ics', import.meta.url), 'utf8');
const SECRET = 'tok-9b1f2c7d4e';

let h: Harness;
useHarness((x) => (h = x), { ADMIN_USER_IDS: 'U0ADMIN' }, { loopbackFeeds: true });
let s: FeedServer;
beforeAll(async () => {
  s = await startFeedServer();
  s.set(`/private/${SECRET}/feed.ics`, weekly);
});
afterAll(async () => s?.close());

const say = async (user: string, text: string) => {
  const r = await h.send(slashCommand({ command: '/growth', text, user_id: user, team_id: TEAM }));
  return (r.json as { text: string }).text;
};
const dm = async (user: string, n = 1) =>
  String((await h.fake.waitFor('chat.postMessage', n, 10_000, (c) => c.args.channel === user)).at(-1)!.args.text);

async function joined(user: string) {
  h.fake.addUser({ id: user, tz: 'Europe/Berlin', real_name: user });
  await say(user, 'join mid');
}

describe('/growth oncall', () => {
  it('saves a pasted feed link, reads it at once and tells the shifts found and the next one; me shows it masked', async () => {
    h.setNow(new Date('2026-12-02T12:00:00Z'));
    await joined('U0ANA');
    const link = `${s.url}/private/${SECRET}/feed.ics`;
    const reply = await say('U0ANA', `oncall <${link}>`);
    expect(reply).toContain('Saved your on-call feed (http://127.0.0.1:');
    expect(reply).not.toContain(SECRET);
    const told = await dm('U0ANA');
    expect(told).toContain('5 shifts');
    expect(told).toContain('You are on call now, until Mon 7 Dec 09:00 (Europe/Berlin).');
    // ONCALL_FEED_INTERVAL_MINUTES, 30 unless set: the promise is the setting's.
    expect(told).toContain('I read it again every 30 minutes.');
    expect(told).not.toContain(SECRET);
    const me = await say('U0ANA', 'me');
    expect(me).toMatch(/On call: your feed http:\/\/127\.0\.0\.1:\d+\/…\.ics; on call now, until Mon 7 Dec 09:00/);
    h.setNow(new Date('2026-12-08T12:00:00Z'));
    expect(await say('U0ANA', 'me')).toContain('next shift Mon 14 Dec 09:00 → Mon 21 Dec 09:00 (Europe/Berlin)');
    expect(me).not.toContain(SECRET);
    expect(JSON.stringify(h.logs)).not.toContain(SECRET);

    const exported = await buildExport(h.deps, TEAM, 'U0ANA');
    const data = JSON.parse(exported.json) as { oncall_feeds: { url_masked: string }[]; oncall_shifts: unknown[] };
    expect(data.oncall_feeds).toHaveLength(1);
    expect(data.oncall_shifts).toHaveLength(5);
    expect(exported.json).not.toContain(SECRET);

    expect(await say('U0ANA', 'oncall off')).toContain('removed');
    expect(await say('U0ANA', 'me')).toContain('no shift ahead');
    expect(await h.deps.db.selectFrom('oncall_shifts').select('id').execute()).toEqual([]);
  });

  it('answers what is wrong: a non-https link, a private address, a page that is not a feed', async () => {
    h.setNow(new Date('2026-12-02T12:00:00Z'));
    await joined('U0BEN');
    expect(await say('U0BEN', 'oncall ftp://example.com/x.ics')).toContain('Only https://');
    expect(await say('U0BEN', 'oncall not-a-link')).toContain('not a web address');
    s.set('/page', '<!doctype html><title>Sign in</title>');
    await say('U0BEN', `oncall <${s.url}/page>`);
    expect(await dm('U0BEN')).toContain(
      'could not read it: the address returned a web page, not an iCalendar feed (.ics). I will try it again every 30 minutes;',
    );
  });

  it('limits setting a feed to 3 times in 10 minutes per member, says when to try again, and keeps the feed', async () => {
    h.setNow(new Date('2026-12-02T12:00:00Z'));
    await joined('U0RAT');
    await joined('U0RAU');
    for (let i = 1; i <= 3; i++)
      expect(await say('U0RAT', `oncall <${s.url}/feed-r00${i}>`)).toContain('Saved your on-call feed');
    h.setNow(new Date('2026-12-02T12:04:00Z'));
    const refused = await say('U0RAT', `oncall <${s.url}/feed-r004>`);
    expect(refused).toContain('3 times in the last 10 minutes');
    expect(refused).toContain('Try again in 6 minutes');
    expect(await say('U0RAT', 'oncall')).toContain('/…r003');
    // Another member is not held up by it.
    expect(await say('U0RAU', `oncall <${s.url}/u.ics>`)).toContain('Saved your on-call feed');
    h.setNow(new Date('2026-12-02T12:10:01Z'));
    expect(await say('U0RAT', `oncall <${s.url}/feed-r005>`)).toContain('Saved your on-call feed');
  });

  it('refuses a feed on a private network address without connecting', async () => {
    h.setNow(new Date('2026-12-02T12:00:00Z'));
    await joined('U0CAS');
    await say('U0CAS', 'oncall https://10.20.30.40/feed.ics');
    expect(await dm('U0CAS')).toContain('refused: it points at a private or reserved network address');
  });

  it('lets only admins add, list and remove schedule feeds, and lists names that matched nobody', async () => {
    h.setNow(new Date('2026-12-02T12:00:00Z'));
    await joined('U0DEE');
    h.fake.addUser({ id: 'U0DEE', tz: 'Europe/Berlin', name: 'dee', real_name: 'Dee Ramos', email: 'dee@example.com' });
    s.set(
      '/schedule.ics',
      weekly
        .replace('SUMMARY:On call - Primary\n', 'SUMMARY:On call - Dee Ramos\n')
        .replace('SUMMARY:On call - Primary (swapped)', 'SUMMARY:On call - <b>Zed</b>'),
    );
    expect(await say('U0DEE', `admin oncall-feed add <${s.url}/schedule.ics>`)).toBe(NOT_ADMIN);
    const added = await say('U0ADMIN', `admin oncall-feed add <${s.url}/schedule.ics>`);
    const id = /#(\d+)/.exec(added)![1];
    const told = await dm('U0ADMIN');
    expect(told).toContain('4 shifts for 1 member');
    expect(told).toContain('“On call - &lt;b&gt;Zed&lt;/b&gt;”');
    const list = await say('U0ADMIN', 'admin oncall-feed list');
    expect(list).toContain(`#${id} http://127.0.0.1:`);
    expect(list).toContain('Zed');
    expect(await say('U0ADMIN', `admin oncall-feed remove ${id}`)).toContain('removed');
    expect(await say('U0ADMIN', 'admin oncall-feed list')).toContain('No on-call schedule feeds');
  });

  it("forget-me deletes the member's feed and shifts", async () => {
    h.setNow(new Date('2026-12-02T12:00:00Z'));
    await joined('U0EVE');
    await say('U0EVE', `oncall <${s.url}/private/${SECRET}/feed.ics>`);
    await dm('U0EVE');
    const counts = await forgetPerson(h.deps.db, TEAM, 'U0EVE', { now: h.deps.now() });
    expect(counts).toMatchObject({ oncall_feeds: 1, oncall_shifts: 5 });
  });

  it('forget-me by the admin who added a schedule feed removes it (its link, with its secret token, was theirs) and their name', async () => {
    h.setNow(new Date('2026-12-02T12:00:00Z'));
    await joined('U0ADMIN');
    s.set('/team.ics', weekly);
    expect(await say('U0ADMIN', `admin oncall-feed add <${s.url}/team.ics>`)).toMatch(/#\d+/);
    await dm('U0ADMIN');
    const feeds = () => h.deps.db.selectFrom('oncall_feeds').select(['kind', 'owner_id', 'created_by']).execute();
    expect(await feeds()).toEqual([{ kind: 'schedule', owner_id: null, created_by: 'U0ADMIN' }]);

    await h.send(blockAction({ user: 'U0ADMIN', action_id: IDS.forgetMe.confirm, value: 'forget' }));
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => String(c.args.text).startsWith('Done: everything'));
    expect(await feeds()).toEqual([]);
    const columns = await personColumns(h.deps.db);
    expect(columns).toContainEqual({ table: 'oncall_feeds', column: 'created_by' });
    for (const { table, column } of columns) {
      const r = await sql<{
        n: string;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = 'U0ADMIN'`.execute(h.deps.db);
      expect(Number(r.rows[0]!.n), `${table}.${column}`).toBe(0);
    }
  });
});
