import { beforeAll, describe, expect, it } from 'vitest';
import { runDigests } from '../../src/jobs/digests.ts';
import { runFocusReviews } from '../../src/jobs/focus-reviews.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import {
  appHomeOpened,
  blockAction,
  checkinSubmission,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x));
beforeAll(() => {
  for (const [id, tz] of [
    ['U0ANA', 'Europe/Berlin'],
    ['U0MO', 'America/New_York'],
    ['U0STRANGER', 'UTC'],
  ] as const)
    h.fake.addUser({ id, tz, real_name: id });
});

const PRIVATE_TEXT = 'ZEBRA-PRIVATE: froze during the outage bridge call';
const FOCUS = ['incident-response', 'writing-clearly', 'slo-thinking'];
const at = (iso: string) => h.setNow(new Date(iso));
const say = async (user: string, text: string) =>
  ((await h.send(slashCommand({ text, user_id: user }))).json as { text: string }).text;
const options = (values: string[]) => ({
  type: 'multi_static_select',
  selected_options: values.map((value) => ({ text: { type: 'plain_text', text: value }, value })),
});
const submitFocus = (user: string, values: string[], callback: string = IDS.focusModal, meta = '{}') =>
  h.send(
    viewSubmission({
      user,
      callback_id: callback,
      private_metadata: meta,
      values: { [IDS.focus.block]: { [IDS.focus.action]: options(values) } },
    }),
  );
const focusRow = () =>
  h.deps.db.selectFrom('focus_areas').selectAll().where('user_id', '=', 'U0ANA').executeTakeFirstOrThrow();
const dmsTo = (user: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user)
    .map((c) => JSON.stringify(c.args));
const click = (user: string, action_id: string, value: string) => h.send(blockAction({ user, action_id, value }));

async function checkin(text: string, competency: string, rating: string, isPrivate = false, help = false) {
  const r = await h.send(checkinSubmission({ user: 'U0ANA', text, competency, rating, private: isPrivate, help }));
  expect(r.text).toBe('');
}

async function pair() {
  at('2026-11-30T12:00:00Z');
  await say('U0ANA', 'join junior');
  expect(await say('U0ANA', 'mentor <@U0MO|mo>')).toContain('is now your mentor');
  await say('U0MO', 'join senior');
}

describe('/growth focus', () => {
  it('opens a form of the level, shared and next-level competencies; the choice reaches the mentor', async () => {
    await pair();
    h.fake.reset();
    expect(await say('U0ANA', 'focus')).toContain('2026-Q4');
    const [open] = await h.fake.waitFor('views.open');
    const view = open!.args.view as { callback_id: string; blocks: { element?: { options?: { value: string }[] } }[] };
    expect(view.callback_id).toBe(IDS.focusModal);
    const offered = view.blocks.flatMap((b) => b.element?.options?.map((o) => o.value) ?? []);
    expect(offered).toEqual(expect.arrayContaining(FOCUS));
    expect(offered).not.toContain('standards-and-platforms'); // staff, two levels up
    expect(await say('U0ANA', 'focus now')).toContain('takes nothing after it');

    const tooMany = await submitFocus('U0ANA', [...FOCUS, 'observability']);
    expect(JSON.stringify(tooMany.json)).toContain('at most 3');
    expect(await h.deps.db.selectFrom('focus_areas').selectAll().execute()).toHaveLength(0);

    expect((await submitFocus('U0ANA', FOCUS)).text).toBe('');
    expect(await focusRow()).toMatchObject({ quarter: '2026-Q4', competency_ids: FOCUS, status: 'chosen' });
    const [toMentor] = await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.channel === 'U0MO');
    expect(JSON.stringify(toMentor!.args)).toContain(IDS.focus.agree);
    expect(dmsTo('U0ANA').join()).toContain('<@U0MO> is told');
  });

  it('only the mentor can agree, once; the member is told once', async () => {
    await pair();
    await submitFocus('U0ANA', FOCUS);
    const id = (await focusRow()).id;
    h.fake.reset();
    await click('U0STRANGER', IDS.focus.agree, id);
    await click('U0ANA', IDS.focus.agree, id);
    await h.fake.waitFor('chat.postMessage', 2);
    expect((await focusRow()).status).toBe('chosen');
    expect(dmsTo('U0STRANGER').join()).toContain('current mentor');

    await click('U0MO', IDS.focus.agree, id);
    await h.fake.waitFor(
      'chat.postMessage',
      1,
      5_000,
      (c) => c.args.channel === 'U0ANA' && /agreed/.test(String(c.args.text)),
    );
    expect((await focusRow()).status).toBe('agreed');
    await click('U0MO', IDS.focus.agree, id);
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => /already/.test(String(c.args.text)));
    expect(dmsTo('U0ANA').filter((t) => t.includes('agreed with your focus'))).toHaveLength(1);
  });

  it('an Agree sent for an earlier choice agrees to nothing once the member has chosen again; the newer one does', async () => {
    await pair();
    h.fake.reset();
    await submitFocus('U0ANA', FOCUS);
    await submitFocus('U0ANA', ['observability']);
    await h.fake.waitFor('chat.postMessage', 2, 5_000, (c) => c.args.channel === 'U0MO');
    const agreeButtons = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'U0MO')
      .flatMap((c) => (c.args.blocks as { elements?: { action_id?: string; value?: string }[] }[]) ?? [])
      .flatMap((b) => b.elements ?? [])
      .filter((e) => e.action_id === IDS.focus.agree)
      .map((e) => e.value!);
    expect(agreeButtons).toHaveLength(2);
    h.fake.reset();
    await click('U0MO', IDS.focus.agree, agreeButtons[0]!);
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.channel === 'U0MO');
    expect(dmsTo('U0MO').join()).toContain('chosen another focus since');
    expect(await focusRow()).toMatchObject({ competency_ids: ['observability'], status: 'chosen' });
    expect(dmsTo('U0ANA').join()).not.toContain('agreed with your focus');

    await click('U0MO', IDS.focus.agree, agreeButtons[1]!);
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.channel === 'U0ANA');
    expect(await focusRow()).toMatchObject({ competency_ids: ['observability'], status: 'agreed' });
  });

  it('the mentor suggests another; only the member takes it or keeps theirs', async () => {
    await pair();
    await submitFocus('U0ANA', FOCUS);
    const id = (await focusRow()).id;
    h.fake.reset();
    await click('U0STRANGER', IDS.focus.suggest, 'U0ANA');
    await h.fake.waitFor('chat.postMessage', 1);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    await click('U0MO', IDS.focus.suggest, 'U0ANA');
    const [open] = await h.fake.waitFor('views.open');
    const view = open!.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(IDS.focusSuggestModal);

    const stranger = await submitFocus('U0STRANGER', ['observability'], IDS.focusSuggestModal, view.private_metadata);
    expect(JSON.stringify(stranger.json)).toContain('current mentor');
    expect((await focusRow()).status).toBe('chosen');

    expect((await submitFocus('U0MO', ['observability'], IDS.focusSuggestModal, view.private_metadata)).text).toBe('');
    expect(await focusRow()).toMatchObject({
      status: 'suggested',
      suggested_ids: ['observability'],
      mentor_id: 'U0MO',
    });
    await h.fake.waitFor(
      'chat.postMessage',
      1,
      5_000,
      (c) => c.args.channel === 'U0ANA' && /suggests/.test(String(c.args.text)),
    );

    await click('U0MO', IDS.focus.accept, id); // not the mentor's to take
    await h.fake.waitFor(
      'chat.postMessage',
      1,
      5_000,
      (c) => c.args.channel === 'U0MO' && /answered already/.test(String(c.args.text)),
    );
    expect((await focusRow()).status).toBe('suggested');
    await click('U0ANA', IDS.focus.keep, id);
    await h.fake.waitFor(
      'chat.postMessage',
      1,
      5_000,
      (c) => c.args.channel === 'U0MO' && /kept their own/.test(String(c.args.text)),
    );
    expect(await focusRow()).toMatchObject({ status: 'kept', competency_ids: FOCUS, suggested_ids: null });
    await click('U0ANA', IDS.focus.accept, id); // answered already: changes nothing
    await h.fake.waitFor(
      'chat.postMessage',
      1,
      5_000,
      (c) => c.args.channel === 'U0ANA' && /answered already/.test(String(c.args.text)),
    );
    expect((await focusRow()).competency_ids).toEqual(FOCUS);
  });

  it('a former mentor’s suggestion lapses: taking it after a mentor change agrees nothing and tells them nothing', async () => {
    h.fake.addUser({ id: 'U0KIM', tz: 'Asia/Tokyo', real_name: 'U0KIM' });
    await pair();
    await say('U0KIM', 'join senior');
    await submitFocus('U0ANA', FOCUS);
    const id = (await focusRow()).id;
    await click('U0MO', IDS.focus.suggest, 'U0ANA');
    const [open] = await h.fake.waitFor('views.open');
    const meta = (open!.args.view as { private_metadata: string }).private_metadata;
    expect((await submitFocus('U0MO', ['observability'], IDS.focusSuggestModal, meta)).text).toBe('');
    expect(await focusRow()).toMatchObject({ status: 'suggested', mentor_id: 'U0MO' });

    expect(await say('U0ANA', 'mentor <@U0KIM|kim>')).toContain('is now your mentor');
    h.fake.reset();
    await click('U0ANA', IDS.focus.accept, id); // the button in Mo's old DM
    const [told] = await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.channel === 'U0ANA');
    expect(String(told!.args.text)).toContain('no longer your mentor');
    expect(await focusRow()).toMatchObject({ competency_ids: FOCUS, status: 'suggested' });
    await click('U0ANA', IDS.focus.keep, id);
    await h.fake.waitFor('chat.postMessage', 2, 5_000, (c) => c.args.channel === 'U0ANA');
    expect(dmsTo('U0MO')).toEqual([]);
    expect((await focusRow()).status).not.toBe('kept');
  });

  it('the next prompt is on the focus', async () => {
    await pair();
    await submitFocus('U0ANA', ['writing-clearly']);
    at('2026-12-07T09:05:00Z');
    await runWeeklyPrompts(h.deps, h.deps.now());
    const n = await h.deps.db.selectFrom('nudges').selectAll().where('user_id', '=', 'U0ANA').executeTakeFirstOrThrow();
    expect(n.competency_id).toBe('writing-clearly');
  });
});

describe('focus on Home, in the digest and the summary, and the quarter review', () => {
  it('counts shared check-ins for the mentor, never a private one, and reviews the quarter once each', async () => {
    await pair();
    await submitFocus('U0ANA', FOCUS);
    at('2026-12-08T10:00:00Z');
    await checkin('Ran the incident channel for a small outage', 'incident-response', '3');
    await checkin(PRIVATE_TEXT, 'incident-response', '1', true);
    const priv = await h.deps.db.selectFrom('checkins').selectAll().where('private', '=', true).execute();
    expect(priv.map((c) => c.text)).toEqual([PRIVATE_TEXT]);
    // A help request the mentor resolves in the quarter: the review names it.
    await checkin('Could someone read my postmortem draft?', 'writing-clearly', '2', false, true);
    const asked = await h.deps.db
      .selectFrom('checkins')
      .select('id')
      .where('needs_help', '=', true)
      .executeTakeFirstOrThrow();
    await click('U0MO', IDS.mentoring.resolveHelp, asked.id);
    await expect
      .poll(async () => (await h.deps.db.selectFrom('help_requests').select('resolved_at').execute()).length)
      .toBe(1);

    h.fake.reset();
    await runDigests(h.deps, new Date('2026-12-11T20:05:00Z'));
    const digest = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0MO')!;
    const shown = JSON.stringify(digest.args);
    expect(shown).toContain('Incident response fundamentals · 1 check-in · rating 3');
    expect(shown).not.toContain('ZEBRA');

    const summary = await say('U0MO', 'summary <@U0ANA|ana>');
    expect(summary).toContain('Incident response fundamentals · 1 check-in · rating 3');
    expect(summary).not.toContain('ZEBRA');

    // Her own Home counts both of hers.
    await h.send(appHomeOpened({ user: 'U0ANA' }));
    const [home] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0ANA');
    expect(JSON.stringify(home!.args.view)).toContain('Incident response fundamentals · 2 check-ins · rating 1');

    h.fake.reset();
    await runFocusReviews(h.deps, new Date('2027-01-01T08:30:00Z')); // before 10:00 Berlin
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
    await runFocusReviews(h.deps, new Date('2027-01-01T09:05:00Z'));
    const toAna = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0ANA');
    expect(toAna).toHaveLength(1);
    expect(JSON.stringify(toAna[0]!.args)).toContain(IDS.focus.choose);
    expect(JSON.stringify(toAna[0]!.args)).toContain('1 check-in · rating 3');
    expect(JSON.stringify(toAna[0]!.args)).toContain(':white_check_mark: 1 help request resolved: Writing clearly');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0MO')).toHaveLength(0);
    await runFocusReviews(h.deps, new Date('2027-01-01T15:05:00Z')); // 10:05 New York
    await runFocusReviews(h.deps, new Date('2027-01-01T15:10:00Z'));
    const toMo = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0MO');
    expect(toMo).toHaveLength(1);
    expect(JSON.stringify(toMo[0]!.args)).toContain(IDS.focus.suggest);
    expect(JSON.stringify(toMo[0]!.args)).toContain(':white_check_mark: 1 help request resolved: Writing clearly');
    expect(JSON.stringify(toMo[0]!.args)).not.toContain('ZEBRA');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0ANA')).toHaveLength(1);
  });
});
