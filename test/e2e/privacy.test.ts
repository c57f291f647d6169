// Who sees what: `/growth privacy` in Slack and the README's table say the same, name the
// person's mentor and the admins, and say that a DM to the bot becomes a check-in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DM_BECOMES_CHECKIN, retentionSentence, WHO_SEES } from '../../src/growth/privacy.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x), { ADMIN_USER_IDS: 'U0ADMIN,U0BOSS', RETENTION_DAYS: '365' });

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const growth = async (text: string, user: string) =>
  ((await h.send(slashCommand({ command: '/growth', text, user_id: user }))).json as { text: string }).text;

describe('/growth privacy', () => {
  it('names the mentor and the admins, shows every row, says the DM becomes a check-in and for how long it is kept', async () => {
    h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana' });
    h.fake.addUser({ id: 'U0MENTOR', tz: 'Europe/Berlin', real_name: 'Jonas Weber' });
    await growth('join mid', 'U0ANA');
    await growth('mentor <@U0MENTOR|Jonas Weber>', 'U0ANA');
    const text = await growth('privacy', 'U0ANA');
    expect(text).toContain('your mentor (<@U0MENTOR>)');
    expect(text).toContain('the admins (<@U0ADMIN>, <@U0BOSS>)');
    expect(WHO_SEES.length).toBeGreaterThanOrEqual(7);
    for (const row of WHO_SEES)
      expect(text).toContain(`*${row.what}*\n    you: ${row.person} · mentor: ${row.mentor} · admins: ${row.admins}`);
    expect(text).toContain('not even that one exists');
    expect(text).toContain(DM_BECOMES_CHECKIN);
    expect(text).toContain('deleted after 365 days');
  });

  it('works before joining, and says when no mentor is named', async () => {
    const text = await growth('privacy', 'U0NEW');
    expect(text).toContain('your mentor (none named yet)');
    expect(text).toContain(DM_BECOMES_CHECKIN);
  });

  it('is listed in /growth help', async () => {
    expect(await growth('help', 'U0ANA')).toContain('`/growth privacy`');
  });
});

describe('the README', () => {
  it('has the same who-sees-what table, row for row', () => {
    for (const r of WHO_SEES)
      expect(README, r.what).toContain(`| ${r.what} | ${r.person} | ${r.mentor} | ${r.admins} | ${r.operators} |`);
  });

  it('says that a DM becomes a check-in, and what is kept with and without RETENTION_DAYS', () => {
    expect(README).toContain(DM_BECOMES_CHECKIN);
    expect(README).toContain(retentionSentence(undefined));
    expect(README).toContain(retentionSentence(365).replace('365', 'N'));
  });
});
