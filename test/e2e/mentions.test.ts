import { beforeEach, describe, expect, it } from 'vitest';
import { slackText } from '../../src/sandbox/page/compose.js';
import { type Harness, useHarness } from '../support/harness.ts';
import { slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x), { ADMIN_USER_IDS: 'U0ADMIN' });
beforeEach(() => {
  h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana Souza' });
  h.fake.addUser({ id: 'U0JONAS', tz: 'Europe/Berlin', real_name: 'Jonas Weber' });
  h.fake.addUser({ id: 'U0ADMIN', tz: 'UTC', real_name: 'Admin' });
});

const at = (iso: string) => h.setNow(new Date(iso));
/** `/growth <text>` as Slack sends it: what the person typed, with &, < and > escaped. */
const growth = async (user: string, typed: string, mentions = '') =>
  (
    (await h.send(slashCommand({ command: '/growth', text: `${slackText(typed)}${mentions}`, user_id: user })))
      .json as {
      text: string;
    }
  ).text;
const mentorships = () => h.deps.db.selectFrom('mentorships').select(['mentee_id', 'mentor_id']).execute();

describe('mentions as Slack sends them, a name with spaces included', () => {
  const forms = ['<@U0JONAS|Jonas Weber>', '<@U0JONAS>', '<@U0JONAS|jonas>'];

  it.each(forms)('/growth mentor %s names the mentor', async (m) => {
    at('2026-12-01T09:00:00Z');
    await growth('U0ANA', 'join mid');
    expect(await growth('U0ANA', 'mentor ', m)).toContain('<@U0JONAS> is now your mentor');
    expect(await mentorships()).toMatchObject([{ mentee_id: 'U0ANA', mentor_id: 'U0JONAS' }]);
  });

  it.each(forms)('/growth summary %s shows their summary to their mentor', async (m) => {
    at('2026-12-01T09:00:00Z');
    await growth('U0JONAS', 'join senior');
    await growth('U0JONAS', 'mentor ', '<@U0ANA|Ana Souza>');
    expect(await growth('U0ANA', 'summary ', m)).toContain('<@U0JONAS>');
    expect(await growth('U0ANA', 'summary ', m)).toContain('senior');
    expect(await growth('U0ANA', 'summary ', m)).not.toContain('Mention whose summary');
  });

  it.each(forms)('/growth admin assign and admin level take %s', async (m) => {
    at('2026-12-01T09:00:00Z');
    expect(await growth('U0ADMIN', 'admin level ', `${m} staff`)).toContain('<@U0JONAS> joined at *staff* level');
    expect(await growth('U0ADMIN', 'admin level ', `${m}   senior`)).toContain('<@U0JONAS> is now at *senior* level');
    expect(await growth('U0ADMIN', 'admin assign ', `<@U0ANA|Ana Souza> ${m}`)).toContain(
      '<@U0JONAS> now mentors <@U0ANA>',
    );
    expect(await mentorships()).toMatchObject([{ mentee_id: 'U0ANA', mentor_id: 'U0JONAS' }]);
    expect(await growth('U0ADMIN', 'admin assign ', `${m} <@U0ANA|Ana Souza>`)).toContain(
      '<@U0ANA> now mentors <@U0JONAS>',
    );
  });
});
