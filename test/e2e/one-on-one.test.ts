import { beforeAll, describe, expect, it } from 'vitest';
import { runOneOnOnes } from '../../src/jobs/one-on-ones.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { shownMarkdown, shownTexts } from '../support/shown.ts';
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
    ['U0BEN', 'Europe/Lisbon'],
  ] as const)
    h.fake.addUser({ id, tz, real_name: id });
});

const PRIVATE_TEXT = 'ZEBRA-PRIVATE: I froze on the bridge call';
const at = (iso: string) => h.setNow(new Date(iso));
/** `/growth <text>` as Slack sends it: a typed &, < and > arrive as `&amp;` `&lt;` `&gt;`. */
const say = async (user: string, text: string) =>
  ((await h.send(slashCommand({ text, user_id: user }))).json as { text: string }).text;
const click = (user: string, action_id: string, value: string) => h.send(blockAction({ user, action_id, value }));
const lastDmTo = async (user: string, match: RegExp) =>
  (
    await h.fake.waitFor(
      'chat.postMessage',
      1,
      5_000,
      (c) => c.args.channel === user && match.test(String(c.args.text)),
    )
  )[0]!.args.text as string;

async function checkin(text: string, opts: { help?: boolean; private?: boolean } = {}) {
  await h.send(checkinSubmission({ user: 'U0ANA', text, competency: 'incident-response', ...opts }));
  return h.deps.db.selectFrom('checkins').selectAll().where('text', '=', text).executeTakeFirstOrThrow();
}

async function pair() {
  at('2026-12-07T12:00:00Z'); // Monday
  await say('U0ANA', 'join junior');
  await say('U0MO', 'join senior');
  await say('U0ANA', 'mentor <@U0MO|mo>');
  await h.send(
    viewSubmission({
      user: 'U0ANA',
      callback_id: IDS.focusModal,
      private_metadata: '{}',
      values: {
        [IDS.focus.block]: {
          [IDS.focus.action]: {
            type: 'multi_static_select',
            selected_options: [{ text: { type: 'plain_text', text: 'x' }, value: 'incident-response' }],
          },
        },
      },
    }),
  );
}

describe('/growth one-on-one', () => {
  it('records the 1:1 in the mentor’s zone, set by either; malformed input gets one sentence of help', async () => {
    await pair();
    const set = await say('U0ANA', 'one-on-one thursday 10:00');
    expect(set).toContain('America/New_York');
    expect(set).toContain('Thursday 10 December at 16:00 your time'); // 10:00 New York is 16:00 Berlin
    const row = await h.deps.db.selectFrom('one_on_ones').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mentor_id: 'U0MO', mentee_id: 'U0ANA', weekday: 4, minute: 600, every_weeks: 1 });
    expect(await say('U0MO', 'one-on-one friday 09:30 fortnightly')).toContain('every other week');
    for (const bad of ['one-on-one someday 10:00', 'one-on-one tuesday 25:00', 'one-on-one tuesday 10:00 monthly']) {
      const text = await say('U0ANA', bad);
      expect(text, bad).toContain('`/growth one-on-one tuesday 10:00 fortnightly`');
    }
    expect(await say('U0STRANGER', 'one-on-one <@U0ANA|ana> tuesday 10:00')).toContain('neither your mentor nor');
    expect(await h.deps.db.selectFrom('one_on_ones').selectAll().execute()).toHaveLength(1);
    expect(await say('U0ANA', 'one-on-one off')).toContain('cleared');
    expect(await h.deps.db.selectFrom('one_on_ones').selectAll().execute()).toHaveLength(0);
  });
});

describe('the 1:1 agenda and the takeaway', () => {
  it('a long agenda loses no item: every item either added reaches both DMs', async () => {
    await pair();
    await say('U0ANA', 'one-on-one thursday 10:00'); // 15:00Z on 10 December
    at('2026-12-08T10:00:00Z');
    const items = Array.from({ length: 8 }, (_, i) => `ITEM-${i} ${'long thought about the rollout plan '.repeat(12)}`);
    for (const [i, item] of items.entries()) {
      const text = await say(i % 2 ? 'U0MO' : 'U0ANA', `agenda ${item.slice(0, 500)}`);
      expect(text).toContain('Added to your 1:1');
    }
    h.fake.reset();
    await runOneOnOnes(h.deps, new Date('2026-12-09T15:00:00Z'));
    const sent = h.fake.callsTo('chat.postMessage');
    expect(sent.map((c) => c.args.channel).sort()).toEqual(['U0ANA', 'U0MO']);
    for (const c of sent) {
      const shown = shownTexts(c.args).join('\n');
      for (let i = 0; i < items.length; i++) expect(shown, `${c.args.channel} sees ITEM-${i}`).toContain(`ITEM-${i}`);
    }
    // Her Home's next 1:1 holds them all too.
    at('2026-12-09T16:00:00Z');
    await h.send(appHomeOpened({ user: 'U0ANA' }));
    const [home] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0ANA');
    const onHome = shownTexts(home!.args).join('\n');
    for (let i = 0; i < items.length; i++) expect(onHome, `her Home shows ITEM-${i}`).toContain(`ITEM-${i}`);
  });

  it('sends both one agenda the day before, never with a private check-in, and asks the mentee for a takeaway after', async () => {
    await pair();
    await say('U0ANA', 'one-on-one thursday 10:00'); // 15:00Z on 10 December
    at('2026-12-08T10:00:00Z');
    const shared = await checkin('Led the bridge call for a small outage, want tips', { help: true });
    const priv = await checkin(PRIVATE_TEXT, { private: true });
    expect(priv.private).toBe(true);

    // Items: typed text (escaped when shown), too-long text refused with the limit, a check-in button.
    expect(await say('U0MO', 'agenda &lt;script&gt;alert(1)&lt;/script&gt; &amp; planning')).toContain(
      'Added to your 1:1 with <@U0ANA>',
    );
    const long = await say('U0MO', `agenda ${'x'.repeat(501)}`);
    expect(long).toContain('501 characters; an agenda item may have 500');
    expect(await say('U0ANA', 'agenda')).toContain('Say what to raise');
    await click('U0ANA', IDS.oneOnOne.addCheckin, priv.id);
    await lastDmTo('U0ANA', /stays off the agenda/);
    await click('U0STRANGER', IDS.oneOnOne.addCheckin, shared.id);
    expect(await lastDmTo('U0STRANGER', /own check-ins/)).toBeTruthy();
    await click('U0ANA', IDS.oneOnOne.addCheckin, shared.id);
    await lastDmTo('U0ANA', /^Added to your 1:1/);
    await click('U0ANA', IDS.oneOnOne.addCheckin, shared.id);
    await lastDmTo('U0ANA', /on the agenda already/);
    expect(await h.deps.db.selectFrom('agenda_items').selectAll().execute()).toHaveLength(2);

    h.fake.reset();
    await runOneOnOnes(h.deps, new Date('2026-12-09T14:59:00Z'));
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
    await runOneOnOnes(h.deps, new Date('2026-12-09T15:00:00Z'));
    await runOneOnOnes(h.deps, new Date('2026-12-09T15:05:00Z'));
    const sent = h.fake.callsTo('chat.postMessage');
    expect(sent.map((c) => c.args.channel).sort()).toEqual(['U0ANA', 'U0MO']);
    for (const c of sent) {
      const shown = JSON.stringify(c.args);
      expect(shown).toContain('Open help requests');
      expect(shown).toContain('Focus check-ins since your last 1:1');
      expect(shown).toContain('Led the bridge call');
      expect(shown).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; planning');
      expect(shown).not.toContain('<script>');
      expect(shown).not.toContain('ZEBRA');
    }
    expect(String(sent.find((c) => c.args.channel === 'U0ANA')!.args.text)).toContain('Thursday 10 December at 16:00');

    h.fake.reset();
    await runOneOnOnes(h.deps, new Date('2026-12-10T15:30:00Z'));
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
    await runOneOnOnes(h.deps, new Date('2026-12-10T16:00:00Z'));
    const asked = h.fake.callsTo('chat.postMessage');
    expect(asked.map((c) => c.args.channel)).toEqual(['U0ANA']);
    const id = (await h.deps.db.selectFrom('one_on_ones').select('id').executeTakeFirstOrThrow()).id;
    expect(JSON.stringify(asked[0]!.args)).toContain(IDS.oneOnOne.takeaway);

    await click('U0MO', IDS.oneOnOne.takeaway, id);
    await lastDmTo('U0MO', /not yours/);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    await click('U0ANA', IDS.oneOnOne.takeaway, id);
    const [open] = await h.fake.waitFor('views.open');
    const view = JSON.stringify(open!.args.view);
    expect(view).toContain(IDS.checkinModal);
    expect(view).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Incident response fundamentals (junior)"',
    );

    // Cleared: no more agendas.
    expect(await say('U0MO', 'one-on-one off')).toContain('cleared');
    h.fake.reset();
    await runOneOnOnes(h.deps, new Date('2026-12-16T15:00:00Z'));
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('Add to 1:1: only one’s own check-in', () => {
  it('someone with a 1:1 of their own cannot add another’s check-in to it; nothing of it reaches their agenda', async () => {
    await pair();
    await say('U0BEN', 'join junior');
    await say('U0BEN', 'mentor <@U0MO|mo>');
    expect(await say('U0BEN', 'one-on-one friday 11:00')).toContain('<@U0MO>');
    at('2026-12-08T10:00:00Z');
    const anas = await checkin('ANA-OWN: the bridge call went long, want tips');
    expect(anas.private).toBe(false);

    await click('U0BEN', IDS.oneOnOne.addCheckin, anas.id);
    expect(await lastDmTo('U0BEN', /own check-ins/)).toBeTruthy();
    expect(await h.deps.db.selectFrom('agenda_items').selectAll().execute()).toEqual([]);
    h.fake.reset();
    await h.send(appHomeOpened({ user: 'U0BEN' }));
    const [home] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === 'U0BEN');
    const shown = shownTexts(home!.args.view).join('\n');
    expect(shown).toContain('*Your next 1:1 with @U0MO');
    expect(shown).not.toContain('ANA-OWN');
  });
});

describe('Home: the next 1:1 and its agenda', () => {
  const LATER_PRIVATE = 'OTTER-PRIVATE: my notes on the DNS runbook';
  const home = async (user: string) => {
    h.fake.reset();
    await h.send(appHomeOpened({ user }));
    const [p] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === user);
    return shownTexts(p!.args.view);
  };

  it('the mentee sees the agenda so far in her zone, the mentor one line per mentee; a check-in made private leaves both', async () => {
    await pair();
    await say('U0ANA', 'one-on-one thursday 10:00'); // 15:00Z on 10 December
    at('2026-12-08T10:00:00Z');
    await checkin('Led the bridge call for a small outage, want tips', { help: true });
    await checkin(PRIVATE_TEXT, { private: true });
    const later = await checkin(LATER_PRIVATE);
    await click('U0ANA', IDS.oneOnOne.addCheckin, later.id);
    await lastDmTo('U0ANA', /^Added to your 1:1/);
    await click('U0ANA', IDS.dm.makePrivate, later.id);
    await expect
      .poll(
        async () =>
          (
            await h.deps.db
              .selectFrom('checkins')
              .select('private')
              .where('id', '=', later.id)
              .executeTakeFirstOrThrow()
          ).private,
      )
      .toBe(true);
    expect(await say('U0MO', 'agenda Talk about &lt;b&gt;on-call&lt;/b&gt; load')).toContain(
      'Added to your 1:1 with <@U0ANA>',
    );

    const ana = await home('U0ANA');
    // Both private check-ins are hers to see on her Home...
    expect(ana.join('\n')).toContain('ZEBRA-PRIVATE');
    expect(ana.join('\n')).toContain('OTTER-PRIVATE');
    // ...and her next 1:1's agenda holds only what her mentor sees too.
    const agenda = ana.find((t) => t.startsWith('*Your next 1:1 with'))!;
    expect(agenda).toContain('*Your next 1:1 with @U0MO: Thursday 10 December at 16:00* (your time)');
    expect(agenda).toContain('*Open help requests*');
    expect(agenda).toContain('*Focus check-ins since your last 1:1*');
    expect(agenda).toContain('Led the bridge call for a small outage, want tips');
    expect(agenda).toContain('@U0MO: Talk about <b>on-call</b> load');
    expect(agenda).not.toContain('ZEBRA');
    expect(agenda).not.toContain('OTTER');
    expect(agenda).not.toContain('a check-in on');

    const mo = (await home('U0MO')).join('\n');
    expect(mo).toContain('*Next 1:1s* (your time)');
    expect(mo).toContain(
      '•@U0ANA · Thu 10 Dec 10:00 · 1 open help request · 1 focus check-in · follow up on Incident response fundamentals · @U0MO added “Talk about <b>on-call</b> load”',
    );
    expect(mo).not.toContain('ZEBRA');
    expect(mo).not.toContain('OTTER');
    expect(mo).not.toContain('added a check-in');
  });
});

describe('export, journal and forget-me', () => {
  it('the export and the journal hold her focus, her 1:1 and what she added; forget-me removes them and the 1:1’s agenda', async () => {
    await pair();
    await say('U0ANA', 'one-on-one thursday 10:00');
    at('2026-12-08T10:00:00Z');
    const c = await checkin('Led the bridge call for a small outage, want tips');
    await click('U0ANA', IDS.oneOnOne.addCheckin, c.id);
    await lastDmTo('U0ANA', /^Added to your 1:1/);
    await say('U0ANA', 'agenda Ask about the &lt;pager&gt; rotation');
    await say('U0MO', 'agenda How the on-call week went');

    await say('U0ANA', 'export');
    await expect.poll(() => h.fake.uploads.length, { timeout: 5_000 }).toBe(2);
    const json = JSON.parse(h.fake.uploads.find((u) => u.filename.endsWith('.json'))!.content.toString('utf8'));
    expect(json.focus_areas).toMatchObject([{ quarter: '2026-Q4', competencyIds: ['incident-response'] }]);
    expect(json.one_on_ones).toMatchObject([{ mentor_id: 'U0MO', mentee_id: 'U0ANA', weekday: 4, minute: 600 }]);
    expect(json.agenda_items.map((i: { text: string | null }) => i.text)).toEqual([
      null,
      'Ask about the <pager> rotation',
    ]);
    const journal = shownMarkdown(h.fake.uploads.find((u) => u.filename.endsWith('.md'))!.content.toString('utf8'));
    expect(journal).toContain('Focus\n2026-Q4 (chosen): Incident response fundamentals');
    expect(journal).toContain("With U0MO: Thursday 10:00 (the mentor's time), weekly");
    expect(journal).toContain('2026-12-08: your check-in of 2026-12-08 on Incident response fundamentals');
    expect(journal).toContain('2026-12-08: Ask about the <pager> rotation');
    expect(journal).not.toContain('How the on-call week went'); // Mo's item is his

    const rows = async () => ({
      focus: (await h.deps.db.selectFrom('focus_areas').selectAll().execute()).length,
      items: (await h.deps.db.selectFrom('agenda_items').selectAll().execute()).length,
      meetings: (await h.deps.db.selectFrom('one_on_ones').selectAll().execute()).length,
    });
    expect(await rows()).toEqual({ focus: 1, items: 3, meetings: 1 });
    await click('U0ANA', IDS.forgetMe.confirm, 'forget');
    await lastDmTo('U0ANA', /^Done: everything/);
    expect(await rows()).toEqual({ focus: 0, items: 0, meetings: 0 });
  });
});
