import { beforeAll, describe, expect, it } from 'vitest';
import { runDigests } from '../../src/jobs/digests.ts';
import { runReminders } from '../../src/jobs/reminders.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { followUps } from '../../src/rubrics/extras.ts';
import { NOT_YOURS } from '../../src/slack/summary-command.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import {
  appHomeOpened,
  blockAction,
  checkboxesValue,
  radioValue,
  selectValue,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x), { ADMIN_USER_IDS: 'U0ADMIN' });
beforeAll(() => {
  for (const [id, tz] of [
    ['U0ANA', 'Europe/Berlin'],
    ['U0BEN', 'Europe/Berlin'],
    ['U0CAT', 'Asia/Kolkata'],
    ['U0MO', 'America/New_York'],
    ['U0OTHERMENTOR', 'UTC'],
    ['U0ADMIN', 'UTC'],
    ['U0STRANGER', 'UTC'],
    ['U0EDA', 'Europe/Berlin'],
  ] as const) {
    h.fake.addUser({ id, tz, real_name: id });
  }
});

const at = (iso: string) => h.setNow(new Date(iso));
const say = async (user: string, command: '/growth' | '/checkin', text: string) =>
  ((await h.send(slashCommand({ command, text, user_id: user }))).json as { text: string }).text;

async function modalCheckin(
  user: string,
  competency: string,
  text: string,
  opts: { rating?: string; help?: boolean; private?: boolean } = {},
) {
  const c = IDS.checkin;
  const flags = [...(opts.help ? [IDS.options.needsHelp] : []), ...(opts.private ? [IDS.options.private] : [])];
  const r = await h.send(
    viewSubmission({
      user,
      callback_id: IDS.checkinModal,
      private_metadata: '{}',
      values: {
        [c.competencyBlock]: { [c.competencyAction]: selectValue(competency) },
        [c.textBlock]: { [c.textAction]: textValue(text) },
        [c.ratingBlock]: { [c.ratingAction]: radioValue(opts.rating ?? null) },
        [c.optionsBlock]: { [c.optionsAction]: checkboxesValue(flags) },
      },
    }),
  );
  expect(r.status).toBe(200);
  expect(r.text).toBe('');
}

/** A realistic week, made through the real commands. */
async function week() {
  at('2026-11-30T12:00:00Z');
  await say('U0ANA', '/growth', 'join junior');
  await say('U0BEN', '/growth', 'join mid');
  await say('U0CAT', '/growth', 'join junior');
  for (const u of ['U0ANA', 'U0BEN', 'U0CAT'])
    expect(await say(u, '/growth', 'mentor <@U0MO|mo>')).toContain('is now your mentor');
  at('2026-12-07T09:05:00Z'); // Monday: prompts go out
  await runWeeklyPrompts(h.deps, h.deps.now());
  at('2026-12-08T10:00:00Z');
  await modalCheckin('U0ANA', 'observability', 'Built my first Grafana panel for queue depth & learned PromQL rate()', {
    rating: '2',
    help: true,
  });
  await modalCheckin('U0ANA', 'incident-response', 'SECRET: I froze during the incident call and did not speak up', {
    rating: '1',
    private: true,
  });
  await say('U0BEN', '/checkin', 'slo-thinking: drafted an SLO for the billing API with the team');
  // U0CAT says nothing this week.
  // What the privacy assertions below hide must exist first: Ana's private check-in is stored.
  const secret = await h.deps.db
    .selectFrom('checkins')
    .select(['private', 'text'])
    .where('user_id', '=', 'U0ANA')
    .where('text', 'like', 'SECRET%')
    .execute();
  expect(secret).toEqual([{ private: true, text: expect.stringContaining('froze') }]);
}

describe('the weekly mentor digest', () => {
  it('reaches the mentor once, on Friday 15:00 their time, with what matters and nothing private', async () => {
    await week();
    await runDigests(h.deps, new Date('2026-12-11T19:59:00Z')); // 14:59 in New York
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0MO' && c.args.metadata)).toHaveLength(
      0,
    );
    const r = await runDigests(h.deps, new Date('2026-12-11T20:00:00Z'));
    expect(r).toMatchObject({ claimed: 1, sent: 1 });
    expect((await runDigests(h.deps, new Date('2026-12-11T20:30:00Z'))).sent).toBe(0);

    const digests = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0MO' && c.args.metadata);
    expect(digests).toHaveLength(1);
    const all = JSON.stringify(digests[0]!.args.blocks);
    expect(digests[0]!.args.text).toContain('3 mentees · 2 checked in this week · 1 asked for help');
    // Help requests first: Ana asked for help on observability, and what she wrote is quoted (escaped).
    const sections = (digests[0]!.args.blocks as { type: string; text?: { text: string } }[])
      .filter((b) => b.type === 'section')
      .map((b) => b.text!.text);
    expect(sections[0]).toContain('<@U0ANA>');
    expect(sections[0]).toContain('Asked for help');
    expect(sections[0]).toContain('queue depth &amp; learned PromQL');
    // Then who has not checked in (Cat), then Ben.
    expect(sections[1]).toContain('<@U0CAT>');
    expect(sections[1]).toContain('no check-in yet');
    expect(sections[2]).toContain('<@U0BEN>');
    expect(sections[2]).toContain('drafted an SLO');
    // The private check-in counts, but is never quoted.
    expect(all).not.toContain('SECRET');
    expect(all).not.toContain('froze');
    // Suggested topics with their reasons.
    expect(sections[0]).toContain('Talk about');
    expect(sections[0]).toMatch(/asked for help on 2026-12-08/);
    // The help topic carries a question for the mentor from the competency's follow-ups.
    const ask = followUps(h.deps.rubrics.byId.get('observability')!)[0]!;
    expect(sections[0]).toContain(`_Ask:_ ${ask}`);
  });

  it('sends no digest to a mentor with no active mentees', async () => {
    at('2026-11-30T12:00:00Z');
    await say('U0ANA', '/growth', 'join junior');
    await say('U0ANA', '/growth', 'mentor <@U0MO>');
    await say('U0ANA', '/growth', 'pause 4');
    const r = await runDigests(h.deps, new Date('2026-12-11T20:00:00Z'));
    expect(r).toMatchObject({ mentors: 0, sent: 0 });
  });
});

describe('/growth summary', () => {
  it('shows a mentee to their mentor and to an admin, and refuses anyone else without saying anything about them', async () => {
    await week();
    await say('U0STRANGER', '/growth', 'join senior');
    await say('U0STRANGER', '/growth', 'mentor <@U0OTHERMENTOR>');
    at('2026-12-09T12:00:00Z');
    const mine = await say('U0MO', '/growth', 'summary <@U0ANA|ana>');
    expect(mine).toContain('<@U0ANA>');
    expect(mine).toContain('Incident response');
    expect(mine).not.toContain('SECRET');
    expect(await say('U0ADMIN', '/growth', 'summary <@U0ANA>')).toContain('<@U0ANA>');
    expect(await say('U0ANA', '/growth', 'summary')).toContain('Your progress');
    // A stranger, the mentor of someone else, and a question about someone who never joined: all the same words.
    expect(await say('U0STRANGER', '/growth', 'summary <@U0ANA>')).toBe(NOT_YOURS);
    expect(await say('U0OTHERMENTOR', '/growth', 'summary <@U0ANA>')).toBe(NOT_YOURS);
    expect(await say('U0STRANGER', '/growth', 'summary <@U0NEVERJOINED>')).toBe(NOT_YOURS);
    expect(await say('U0MO', '/growth', 'summary <@U0STRANGER>')).toBe(NOT_YOURS);
    const mentees = await say('U0MO', '/growth', 'mentees');
    expect(mentees).toContain('*Your mentees* (3)');
    expect(mentees.indexOf('<@U0ANA>')).toBeGreaterThan(-1);
  });

  it('refuses a former mentor: one the mentee replaced, and one an admin removed', async () => {
    at('2026-11-30T12:00:00Z');
    await say('U0ANA', '/growth', 'join junior');
    await say('U0ANA', '/growth', 'mentor <@U0MO>');
    expect(await say('U0MO', '/growth', 'summary <@U0ANA>')).toContain('<@U0ANA>');
    await say('U0ANA', '/growth', 'mentor <@U0OTHERMENTOR>');
    expect(await say('U0OTHERMENTOR', '/growth', 'summary <@U0ANA>')).toContain('<@U0ANA>');
    expect(await say('U0MO', '/growth', 'summary <@U0ANA>')).toBe(NOT_YOURS);

    // Ben's only mentorship ends when an admin removes his mentor: nothing current is left.
    await say('U0BEN', '/growth', 'join mid');
    await say('U0BEN', '/growth', 'mentor <@U0MO>');
    expect(await say('U0MO', '/growth', 'summary <@U0BEN>')).toContain('<@U0BEN>');
    expect(await say('U0ADMIN', '/growth', 'admin remove <@U0MO>')).toContain('is removed');
    const ended = await h.deps.db
      .selectFrom('mentorships')
      .select('ended_at')
      .where('mentee_id', '=', 'U0BEN')
      .execute();
    expect(ended).toEqual([{ ended_at: expect.any(Date) }]);
    expect(await say('U0MO', '/growth', 'summary <@U0BEN>')).toBe(NOT_YOURS);
  });
});

describe('a check-in that is both just for them and asks for help', () => {
  it('the digest, the mentor\u2019s /growth summary and the mentor\u2019s Home never show its text', async () => {
    at('2026-11-30T12:00:00Z');
    await say('U0ANA', '/growth', 'join junior');
    await say('U0ANA', '/growth', 'mentor <@U0MO>');
    at('2026-12-08T10:00:00Z');
    await modalCheckin('U0ANA', 'observability', 'HUSH: I still cannot read a flame graph and feel lost', {
      rating: '1',
      help: true,
    });
    // Whether the form accepts "Just for me" with "I'd like help" is the form's rule; rows with
    // both exist anyway (saved before such a rule, or changed since), and every surface must
    // hide their words. So this one is made private in the database, not through the form.
    await h.deps.db.updateTable('checkins').set({ private: true }).where('user_id', '=', 'U0ANA').execute();
    expect(await h.deps.db.selectFrom('checkins').select(['private', 'needs_help', 'text']).execute()).toEqual([
      { private: true, needs_help: true, text: expect.stringContaining('flame graph') },
    ]);
    // Ana herself sees her words: what hides them below is the privacy rule, nothing else.
    expect(await say('U0ANA', '/growth', 'summary')).toContain('flame graph');

    expect(await runDigests(h.deps, new Date('2026-12-11T20:00:00Z'))).toMatchObject({ sent: 1 });
    const digest = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0MO' && c.args.metadata);
    expect(digest).toHaveLength(1);
    expect(JSON.stringify(digest[0]!.args)).toContain('<@U0ANA>');
    expect(JSON.stringify(digest[0]!.args)).not.toMatch(/HUSH|flame graph/);

    const summary = await say('U0MO', '/growth', 'summary <@U0ANA>');
    expect(summary).toContain('<@U0ANA>');
    expect(summary).not.toMatch(/HUSH|flame graph/);

    h.fake.reset();
    await h.send(appHomeOpened({ user: 'U0MO' }));
    const [home] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0MO');
    const shown = JSON.stringify(home!.args.view);
    expect(shown).toContain('<@U0ANA>');
    expect(shown).not.toMatch(/HUSH|flame graph/);
  });
});

describe('the Home tab', () => {
  it('publishes a mentee\u2019s progress and a mentor\u2019s overview when opened, and refreshes after a check-in', async () => {
    await week();
    await new Promise((r) => setTimeout(r, 200)); // let the week's own Home refreshes land
    h.fake.reset();
    expect((await h.send(appHomeOpened({ user: 'U0ANA' }))).status).toBe(200);
    const [pub] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0ANA');
    expect(pub!.args.user_id).toBe('U0ANA');
    const view = pub!.args.view as { type: string; blocks: { type: string; elements?: { action_id: string }[] }[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const actions = view.blocks.flatMap((b) => b.elements?.map((e) => e.action_id) ?? []);
    expect(actions).toEqual(
      expect.arrayContaining([IDS.home.checkin, IDS.home.schedule, IDS.home.pause, IDS.editCheckin]),
    );
    expect(actions).not.toContain(IDS.nudge.answer); // her check-ins this week answered the prompt
    expect(JSON.stringify(view)).toContain('Recent check-ins');

    await h.send(appHomeOpened({ user: 'U0MO' }));
    const mentorView = JSON.stringify(
      (await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0MO'))[0]!.args.view,
    );
    expect(mentorView).toContain('Your mentees (3)');
    expect(mentorView).toContain('join'); // Mo never joined: invited to

    // Home follows the changes of people who opened it.
    await h.send(appHomeOpened({ user: 'U0CAT' }));
    const cat = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0CAT');
    expect(JSON.stringify(cat[0]!.args.view)).toContain(IDS.nudge.answer); // Cat has not answered yet
    h.fake.reset();
    await say('U0CAT', '/checkin', 'read two postmortems from last quarter');
    const after = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0CAT');
    expect(JSON.stringify(after[0]!.args.view)).toContain('read two postmortems');
  });
});

describe('editing a check-in', () => {
  it('edits keep the original time; delete removes it; only the author can do either', async () => {
    at('2026-12-08T10:00:00Z');
    await say('U0ANA', '/growth', 'join junior');
    await modalCheckin('U0ANA', 'observability', 'first draft of what I learned', { rating: '2' });
    const saved = (
      await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => String(c.args.text).startsWith('Saved your check-in'))
    )[0]!;
    const original = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(saved.args.blocks)).toContain(IDS.editCheckin);

    at('2026-12-09T10:00:00Z');
    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.editCheckin, value: original.id }));
    const [open] = await h.fake.waitFor('views.open');
    const view = open!.args.view as { private_metadata: string; title: { text: string } };
    expect(view.title.text).toBe('Edit check-in');
    expect(JSON.stringify(view)).toContain('first draft of what I learned');
    const c = IDS.checkin;
    await h.send(
      viewSubmission({
        user: 'U0ANA',
        callback_id: IDS.checkinModal,
        private_metadata: view.private_metadata,
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue('observability') },
          [c.textBlock]: { [c.textAction]: textValue('second, clearer draft') },
          [c.ratingBlock]: { [c.ratingAction]: radioValue('3') },
          [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([]) },
        },
      }),
    );
    const edited = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(edited).toMatchObject({
      id: original.id,
      text: 'second, clearer draft',
      rating: 3,
      created_at: original.created_at,
    });
    expect(edited.updated_at.getTime()).toBeGreaterThan(original.updated_at.getTime());
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toHaveLength(1);

    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.deleteCheckin, value: original.id }));
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.channel === 'U0MALLORY');
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toHaveLength(1);
    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.deleteCheckin, value: original.id }));
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.text === 'Deleted that check-in.');
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toHaveLength(0);
  });

  it('Home offers Edit and Delete for 14 days after saving: 13 days 23 h old still deletable, 14 days 1 h old not', async () => {
    // Someone whose Home no earlier test opened: a Home already open would be refreshed after the
    // check-in (500 ms later), and that late view could be taken for the one opened below.
    at('2026-12-08T10:00:00Z');
    await say('U0EDA', '/growth', 'join junior');
    await say('U0EDA', '/checkin', 'paired on the deploy pipeline');
    const [checkin] = await h.deps.db.selectFrom('checkins').select('id').execute();
    const homeActions = async (nowIso: string) => {
      at(nowIso);
      h.fake.reset();
      await h.send(appHomeOpened({ user: 'U0EDA' }));
      const [pub] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0EDA');
      const blocks = (pub!.args.view as { blocks: { elements?: { action_id: string; value?: string }[] }[] }).blocks;
      return blocks
        .flatMap((b) => b.elements ?? [])
        .filter((e) => e.value === checkin!.id)
        .map((e) => e.action_id);
    };
    const remove = async () => {
      h.fake.reset();
      await h.send(blockAction({ user: 'U0EDA', action_id: IDS.deleteCheckin, value: checkin!.id }));
      return String(
        (await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.channel === 'U0EDA'))[0]!.args.text,
      );
    };

    expect(await homeActions('2026-12-22T09:00:00Z')).toEqual(
      expect.arrayContaining([IDS.editCheckin, IDS.deleteCheckin]),
    );
    expect(await homeActions('2026-12-22T11:00:00Z')).toEqual([]);
    expect(await remove()).toBe('That check-in could not be deleted: only your own, for 14 days after saving.');
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toHaveLength(1);

    at('2026-12-22T09:00:00Z');
    expect(await remove()).toBe('Deleted that check-in.');
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toHaveLength(0);
  });

  it('deleting from Home the check-in that answered this week\u2019s prompt opens the prompt again: its buttons return, and so does Thursday\u2019s reminder', async () => {
    at('2026-12-07T09:05:00Z'); // Monday 10:05 in Berlin
    await say('U0ANA', '/growth', 'join junior');
    await runWeeklyPrompts(h.deps, h.deps.now());
    const promptTs = (await h.deps.db.selectFrom('deliveries').select('message_ts').executeTakeFirstOrThrow())
      .message_ts;
    at('2026-12-08T09:00:00Z');
    expect(await say('U0ANA', '/checkin', 'read the paging policy end to end')).toContain(
      "as your answer to this week's prompt",
    );
    const outcome = async () =>
      (await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome;
    expect(await outcome()).toBe('answered');
    const [checkin] = await h.deps.db.selectFrom('checkins').select('id').execute();

    await h.fake.waitFor('chat.update', 1, 5_000, (u) => u.args.ts === promptTs); // settled: no buttons
    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.deleteCheckin, value: checkin!.id }));
    await h.fake.waitFor(
      'chat.postMessage',
      1,
      5_000,
      (c) => c.args.channel === 'U0ANA' && String(c.args.text).startsWith('Deleted'),
    );
    expect(h.fake.calls.map((c) => String(c.args.text))).toContain(
      "Deleted that check-in. This week's prompt is open again: answer it whenever you like.",
    );
    expect(await outcome()).toBe('open');
    const redrawn = (await h.fake.waitFor('chat.update', 2, 5_000, (u) => u.args.ts === promptTs)).at(-1)!;
    expect(JSON.stringify(redrawn.args.blocks)).toContain(IDS.nudge.answer);
    expect((await runReminders(h.deps, new Date('2026-12-10T09:05:00Z'))).sent).toBe(1);
  });

  it('a prompt two check-ins answered (two sent at the same moment) stays answered until both are deleted', async () => {
    at('2026-12-07T09:05:00Z');
    await say('U0ANA', '/growth', 'join junior');
    await runWeeklyPrompts(h.deps, h.deps.now());
    at('2026-12-08T09:00:00Z');
    await say('U0ANA', '/checkin', 'first answer');
    const first = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(first.nudge_id).not.toBeNull();
    // What a race leaves behind: a second check-in read the prompt as open and answered it too.
    const second = await h.deps.db
      .insertInto('checkins')
      .values({ ...first, id: undefined, text: 'second answer', idempotency_key: 'race', source: 'dm' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const outcome = async () =>
      (await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome;
    const remove = async (id: string) => {
      h.fake.reset();
      await h.send(blockAction({ user: 'U0ANA', action_id: IDS.deleteCheckin, value: id }));
      return String(
        (await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.channel === 'U0ANA'))[0]!.args.text,
      );
    };
    expect(await remove(first.id)).toBe('Deleted that check-in.');
    expect(await outcome()).toBe('answered');
    expect(await remove(second.id)).toContain("This week's prompt is open again");
    expect(await outcome()).toBe('open');
  });
});
