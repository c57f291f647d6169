import { beforeEach, describe, expect, it } from 'vitest';
import { digestsFor } from '../../src/jobs/digests.ts';
import { slackText } from '../../src/sandbox/page/compose.js';
import { type Harness, useHarness, writeInDm } from '../support/harness.ts';
import { shownMessage, shownMrkdwn, shownTexts } from '../support/shown.ts';
import { appHomeOpened, slashCommand } from '../support/slack-requests.ts';

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
/** Ana writes `text` in her DM with the bot; resolves once the bot has answered in its thread. */
async function anaWrites(text: string) {
  const { ts, req } = writeInDm(h, 'U0ANA', text);
  await h.send(req);
  await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === ts);
}
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

describe('a mention in free text reads as the person typed it, never as markup', () => {
  const person = /@Marta Kowalski/;
  const markup = /U0MARTA|&lt;@|<@U0MARTA/;
  beforeEach(() => h.fake.addUser({ id: 'U0MARTA', tz: 'Europe/Berlin', real_name: 'Marta Kowalski' }));

  it('/checkin and a DM reply (Slack sends <@U…> alone there): stored, confirmed, on Home and in the digest', async () => {
    at('2026-12-08T10:00:00Z'); // Tuesday
    await growth('U0ANA', 'join mid');
    await growth('U0MARTA', 'join senior'); // growthbot knows her name from now on
    await growth('U0ANA', 'mentor ', '<@U0JONAS|Jonas Weber>');

    const typed = 'paired with @Marta Kowalski on the runbook';
    const sent = 'paired with <@U0MARTA|Marta Kowalski> on the runbook';
    const answer = (await h.send(slashCommand({ command: '/checkin', text: sent, user_id: 'U0ANA' }))).json as {
      text: string;
    };
    expect(answer.text).toMatch(/^Saved your check-in/);
    expect(shownMrkdwn(answer.text)).toMatch(person);
    expect(answer.text).not.toMatch(markup);

    await anaWrites('thanks <@U0MARTA>!');
    const texts = (await h.deps.db.selectFrom('checkins').select('text').orderBy('created_at').execute()).map(
      (r) => r.text,
    );
    expect(texts.sort()).toEqual([typed, 'thanks @Marta Kowalski!'].sort());

    await h.send(appHomeOpened({ user: 'U0ANA' }));
    const [home] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0ANA');
    const shownHome = shownTexts(home!.args.view).join('\n');
    expect(shownHome).toMatch(person);
    expect(shownHome).toContain('thanks @Marta Kowalski!');
    expect(JSON.stringify(home!.args.view)).not.toMatch(markup);

    const nameOf = (id: string | null) => (id ? (h.deps.rubrics.byId.get(id)?.name ?? id) : 'no competency');
    const digest = (await digestsFor(h.deps, [{ teamId: 'T0TEST', mentorId: 'U0JONAS' }], h.deps.now(), nameOf))
      .values()
      .next().value;
    expect(shownMessage(digest!)).toMatch(person);
    expect(JSON.stringify(digest)).not.toMatch(markup);
  });

  it('a mention of someone growthbot does not know keeps their id, readable', async () => {
    at('2026-12-08T10:00:00Z');
    await growth('U0ANA', 'join mid');
    await anaWrites('with <@U0NOBODY>');
    expect((await h.deps.db.selectFrom('checkins').select('text').executeTakeFirstOrThrow()).text).toBe(
      'with @U0NOBODY',
    );
  });
});
