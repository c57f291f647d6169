// The mentor answers back (issue 20 items 1 and 2), end to end: Reply, Kudos and I'll help from
// the digest and a summary, Resolved by either person, "did it help?" once. Every button and form
// is also pressed by someone else with the same ids, and a private check-in reaches none of it.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPLY_MAX_CHARS } from '../../src/growth/mentoring.ts';
import { runDigests } from '../../src/jobs/digests.ts';
import { anyNumbered, IDS } from '../../src/outbound/ids.ts';
import { NOT_YOURS_TO_ANSWER } from '../../src/slack/mentoring.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import {
  appHomeOpened,
  blockAction,
  checkinSubmission,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x), { ADMIN_USER_IDS: 'U0ADM' });
beforeAll(() => {
  for (const id of ['U0ANA', 'U0MO', 'U0EVE', 'U0BEN', 'U0ADM'])
    h.fake.addUser({ id, tz: 'Europe/Berlin', real_name: id });
});

const M = IDS.mentoring;
const FRIDAY_1505 = new Date('2026-12-11T14:05:00Z'); // Friday 15:05 in Berlin
const at = (iso: string) => h.setNow(new Date(iso));
const say = async (user: string, command: '/growth' | '/checkin', text: string) =>
  (await h.send(slashCommand({ command, text, user_id: user }))).json as { text: string; blocks?: Block[] };
type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id: string; value: string }[];
};

/** Sends a request and checks it was answered within Slack's 3 s. */
async function timed(req: Parameters<Harness['send']>[0]) {
  const started = Date.now();
  const r = await h.send(req);
  expect(Date.now() - started).toBeLessThan(3_000);
  expect(r.status).toBe(200);
  return r;
}
const click = (user: string, action_id: string, value: string) => timed(blockAction({ user, action_id, value }));
const handled = (name: string, n = 1) =>
  expect
    .poll(() => h.logs.filter((l) => l.msg === `${name} done`).length, { timeout: 5_000 })
    .toBeGreaterThanOrEqual(n);
const dmsTo = (user: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

async function checkin(user: string, text: string, o: { help?: boolean; private?: boolean; competency?: string } = {}) {
  await timed(
    checkinSubmission({ user, text, competency: o.competency ?? 'observability', help: o.help, private: o.private }),
  );
  return await h.deps.db
    .selectFrom('checkins')
    .select(['id', 'private'])
    .where('text', '=', text)
    .executeTakeFirstOrThrow();
}

/** Ana (mentored by Mo) shares a check-in asking for help and one that is just for her; Ben is Eve's mentee. */
async function setUp() {
  at('2026-12-01T10:00:00Z');
  await say('U0ANA', '/growth', 'join junior');
  await say('U0BEN', '/growth', 'join junior');
  await say('U0ANA', '/growth', 'mentor <@U0MO>');
  await say('U0BEN', '/growth', 'mentor <@U0EVE>');
  at('2026-12-09T10:00:00Z');
  const help = await checkin('U0ANA', 'PromQL rate() & <b>histograms</b> confuse me', { help: true });
  const secret = await checkin('U0ANA', 'SECRET: I doubt I belong on this team', {
    private: true,
    competency: 'incident-response',
  });
  // What the privacy assertions hide must exist first.
  expect(secret.private).toBe(true);
  return { help: help.id, secret: secret.id };
}

async function digestBlocks(now = FRIDAY_1505): Promise<Block[]> {
  h.setNow(now);
  await runDigests(h.deps, now);
  const d = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0MO' && c.args.metadata);
  expect(d).toBeDefined();
  return d!.args.blocks as Block[];
}
const buttons = (blocks: Block[]) => blocks.flatMap((b) => b.elements ?? []).filter((e) => e.action_id);

beforeEach(() => {
  h.logs.length = 0;
});

describe('Reply from the digest', () => {
  it('the mentee gets "From <mentor>: …", escaped, with their own Reply back; the conversation stays in one thread', async () => {
    await setUp();
    const blocks = await digestBlocks();
    const reply = buttons(blocks).find((b) => b.action_id === M.reply)!;
    expect(reply.value).toBe('U0ANA');
    h.fake.reset();
    await click('U0MO', M.reply, 'U0ANA');
    const [opened] = await h.fake.waitFor('views.open');
    expect((opened!.args.view as { callback_id: string }).callback_id).toBe(IDS.replyModal);
    const send = (user: string, meta: object, text: string) =>
      timed(
        viewSubmission({
          user,
          callback_id: IDS.replyModal,
          private_metadata: JSON.stringify(meta),
          values: { [M.replyBlock]: { [M.replyAction]: textValue(text) } },
        }),
      );
    await send('U0MO', { menteeId: 'U0ANA' }, 'Nice work <!channel> & try *rate()* first');
    await h.fake.waitFor('chat.postMessage', 2);
    const [toAna] = dmsTo('U0ANA');
    expect(toAna!.args.text).toBe('From <@U0MO>: Nice work &lt;!channel&gt; &amp; try *rate()* first');
    const back = buttons(toAna!.args.blocks as Block[]).find((b) => b.action_id === M.replyBack)!;
    expect(dmsTo('U0MO').map((c) => c.args.text)).toEqual(['Sent to <@U0ANA>.']);

    // Ana answers back: Mo gets it, with his own Reply.
    await click('U0ANA', M.replyBack, back.value);
    await h.fake.waitFor('views.open', 2);
    await send('U0ANA', { replyId: back.value }, 'thanks, will do');
    await expect.poll(() => dmsTo('U0MO').length, { timeout: 5_000 }).toBe(2);
    const toMo = dmsTo('U0MO')[1]!;
    expect(toMo.args.text).toBe('From <@U0ANA>: thanks, will do');
    const moBack = buttons(toMo.args.blocks as Block[]).find((b) => b.action_id === M.replyBack)!;

    // Mo again: in the thread of his first message in Ana's DM.
    await send('U0MO', { replyId: moBack.value }, 'and then histograms');
    await expect.poll(() => dmsTo('U0ANA').length, { timeout: 5_000 }).toBe(3);
    const ts = (await h.deps.db.selectFrom('replies').select(['ts', 'text']).orderBy('id').execute())[0]!.ts;
    expect(dmsTo('U0ANA').at(-1)!.args).toMatchObject({ text: 'From <@U0MO>: and then histograms', thread_ts: ts });
  });

  it('a reply too long is told the limit, and nothing is sent', async () => {
    await setUp();
    h.fake.reset();
    const r = await timed(
      viewSubmission({
        user: 'U0MO',
        callback_id: IDS.replyModal,
        private_metadata: JSON.stringify({ menteeId: 'U0ANA' }),
        values: { [M.replyBlock]: { [M.replyAction]: textValue('y'.repeat(REPLY_MAX_CHARS + 5)) } },
      }),
    );
    expect(r.json).toMatchObject({
      response_action: 'errors',
      errors: {
        [M.replyBlock]: `A reply may be up to ${REPLY_MAX_CHARS} characters; this one is ${REPLY_MAX_CHARS + 5}. Shorten it and send again.`,
      },
    });
    expect(dmsTo('U0ANA')).toHaveLength(0);
  });
});

describe('only the mentor is offered the buttons, and a form counts once', () => {
  it("a /growth summary shows Reply, Kudos and I'll help to the mentor, not to an admin or the mentee", async () => {
    await setUp();
    const answerIds: string[] = [M.reply, M.kudos, M.offerHelp];
    const offered = async (user: string, text: string) => {
      const r = await say(user, '/growth', text);
      expect(r.text).toContain('PromQL'); // the summary itself is there
      return buttons(r.blocks ?? []).map((b) => b.action_id);
    };
    expect(await offered('U0MO', 'summary <@U0ANA>')).toEqual(expect.arrayContaining(answerIds));
    for (const [user, text] of [
      ['U0ADM', 'summary <@U0ANA>'],
      ['U0ANA', 'summary'],
    ] as const) {
      const ids = await offered(user, text);
      expect(
        ids.filter((id) => answerIds.includes(id)),
        user,
      ).toEqual([]);
    }
  });

  it('the same reply form submitted twice posts one DM, not two', async () => {
    await setUp();
    h.fake.reset();
    const submit = () =>
      timed(
        viewSubmission({
          user: 'U0MO',
          view_id: 'V0SAMEFORM',
          callback_id: IDS.replyModal,
          private_metadata: JSON.stringify({ menteeId: 'U0ANA' }),
          values: { [M.replyBlock]: { [M.replyAction]: textValue('try rate() first') } },
        }),
      );
    await submit();
    await expect.poll(() => dmsTo('U0MO').length, { timeout: 5_000 }).toBe(1); // "Sent to …"
    await submit();
    await handled('reply form', 2); // logged once the handler has posted what it posts
    expect(dmsTo('U0ANA').map((c) => c.args.text)).toEqual(['From <@U0MO>: try rate() first']);
    expect(dmsTo('U0MO').map((c) => c.args.text)).toEqual(['Sent to <@U0ANA>.']);
  });
});

describe('Kudos', () => {
  it('tells the mentee once per check-in; a second click changes nothing', async () => {
    const { help } = await setUp();
    const kudos = buttons(await digestBlocks()).filter((b) => anyNumbered(M.kudos).test(b.action_id));
    expect(kudos.map((k) => k.value)).toEqual([help]);
    h.fake.reset();
    await click('U0MO', M.kudos, help);
    await handled('Kudos button');
    await click('U0MO', M.kudos, help);
    await handled('Kudos button', 2);
    expect(dmsTo('U0ANA').map((c) => c.args.text)).toEqual([
      expect.stringMatching(
        /^:clap: <@U0MO> gave you kudos for your check-in of 2026-12-09:\n>PromQL rate\(\) &amp; &lt;b&gt;/,
      ),
    ]);
    expect(dmsTo('U0MO').map((c) => c.args.text)).toEqual([
      'Kudos sent to <@U0ANA>.',
      'Kudos for that check-in went already.',
    ]);
  });
});

describe('help requests', () => {
  it("listed first with I'll help; the mentee is told who will help and when; Resolved asks once whether it helped", async () => {
    const { help } = await setUp();
    const blocks = await digestBlocks();
    const firstSection = blocks.find((b) => b.type === 'section')!.text!.text;
    expect(firstSection).toContain('<@U0ANA>');
    expect(firstSection).toContain('*Asked for help* with Observability literacy on 2026-12-09');
    expect(buttons(blocks).find((b) => anyNumbered(M.offerHelp).test(b.action_id))!.value).toBe(help);
    h.fake.reset();
    await click('U0MO', M.offerHelp, help);
    await expect.poll(() => dmsTo('U0ANA').length, { timeout: 5_000 }).toBe(1);
    expect(dmsTo('U0ANA')[0]!.args.text).toBe(
      ':raised_hands: <@U0MO> will help with your request about *Observability literacy* (asked 2026-12-09); they offered on Fri 11 Dec 15:05. Press *Resolved* once it is sorted.',
    );
    await click('U0MO', M.offerHelp, help); // again: nothing new for Ana
    await handled("I'll help button", 2);
    expect(dmsTo('U0ANA')).toHaveLength(1);

    // Ana resolves it: asked once whether it helped; Mo is told.
    await click('U0ANA', M.resolveHelp, help);
    await click('U0MO', M.resolveHelp, help);
    await handled('Resolved button', 2);
    const asked = dmsTo('U0ANA').filter((c) => String(c.args.text).includes('Did it help?'));
    expect(asked.map((c) => c.args.text)).toEqual([
      'You marked your help request about *Observability literacy* resolved. Did it help?',
    ]);
    expect(dmsTo('U0MO').map((c) => c.args.text)).toContain(
      '<@U0ANA> marked their help request about *Observability literacy* resolved.',
    );
    // Pressed on the question itself, as Slack sends it: the message becomes the thanks.
    const question = h.fake.workspace.conversation('D0ANA').find((m) => m.text.includes('Did it help?'))!;
    const msg = { ts: question.ts, channel: 'D0ANA' };
    await timed(blockAction({ user: 'U0ANA', action_id: M.helped, value: help, message: msg }));
    const [updated] = await h.fake.waitFor('chat.update');
    expect(updated!.args.text).toBe('Glad it helped. Thank you for saying so.');
    await click('U0ANA', M.notHelped, help);
    await handled('Not really button');
    expect(
      await h.deps.db.selectFrom('help_requests').select(['helped', 'offered_by', 'resolved_by']).execute(),
    ).toEqual([{ helped: true, offered_by: 'U0MO', resolved_by: 'U0ANA' }]);
    // Resolved: the next digest no longer lists it.
    h.fake.reset();
    const next = await digestBlocks(new Date('2026-12-18T14:05:00Z'));
    expect(JSON.stringify(next)).not.toContain('Asked for help');
  });

  it('a request open 7 days or more moves to the top of the next digest', async () => {
    const { help } = await setUp();
    await say('U0BEN', '/growth', 'mentor <@U0MO>');
    at('2026-12-09T11:00:00Z');
    const old = await checkin('U0BEN', 'question about SLOs nobody answered', {
      help: true,
      competency: 'slo-thinking',
    });
    await click('U0ANA', M.resolveHelp, help);
    await handled('Resolved button');
    at('2026-12-16T10:00:00Z');
    await checkin('U0ANA', 'fresh question about dashboards', { help: true });
    const blocks = await digestBlocks(new Date('2026-12-18T14:05:00Z'));
    const sections = blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
    // Ana's request is newer (and Ana sorts first by name); Ben's, open 9 days, comes first and says so.
    expect(sections[0]).toContain('<@U0BEN>');
    expect(sections[0]).toContain('*open 9 days*');
    expect(sections[1]).toContain('<@U0ANA>');
    expect(sections[1]).toContain('fresh question');
    expect(sections[1]).not.toContain('open ');
    expect(buttons(blocks).find((b) => anyNumbered(M.offerHelp).test(b.action_id))!.value).toBe(old.id);
  });
});

describe('only the two people can act', () => {
  it("someone else's clicks and forms with Ana's ids change nothing and tell Ana nothing", async () => {
    const { help } = await setUp();
    h.fake.reset();
    // Eve mentors Ben, not Ana; Ben is a mentee.
    for (const who of ['U0EVE', 'U0BEN']) {
      await click(who, M.reply, 'U0ANA');
      await click(who, M.kudos, help);
      await click(who, M.offerHelp, help);
      await click(who, M.resolveHelp, help);
    }
    await handled('Resolved button', 2);
    const r = await timed(
      viewSubmission({
        user: 'U0EVE',
        callback_id: IDS.replyModal,
        private_metadata: JSON.stringify({ menteeId: 'U0ANA' }),
        values: { [M.replyBlock]: { [M.replyAction]: textValue('planted') } },
      }),
    );
    expect(r.json).toMatchObject({ response_action: 'errors', errors: { [M.replyBlock]: NOT_YOURS_TO_ANSWER } });
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    expect(dmsTo('U0ANA')).toHaveLength(0);
    expect(dmsTo('U0EVE').every((c) => c.args.text === NOT_YOURS_TO_ANSWER)).toBe(true);
    for (const t of ['replies', 'kudos', 'help_requests'] as const)
      expect(await h.deps.db.selectFrom(t).selectAll().execute(), t).toEqual([]);

    // Mo replies; Eve presses Reply back on it, and "It helped" on Ana's request after Mo resolves it.
    await timed(
      viewSubmission({
        user: 'U0MO',
        callback_id: IDS.replyModal,
        private_metadata: JSON.stringify({ menteeId: 'U0ANA' }),
        values: { [M.replyBlock]: { [M.replyAction]: textValue('hello') } },
      }),
    );
    const replyId = (await h.deps.db.selectFrom('replies').select('id').executeTakeFirstOrThrow()).id;
    await click('U0EVE', M.replyBack, replyId);
    await click('U0MO', M.replyBack, replyId); // his own reply: not his to answer
    await handled('Reply back button', 2);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    await click('U0MO', M.resolveHelp, help);
    await handled('Resolved button', 3);
    await click('U0MO', M.helped, help);
    await click('U0EVE', M.notHelped, help);
    await handled('Not really button');
    await handled('It helped button');
    expect(await h.deps.db.selectFrom('help_requests').select(['helped', 'resolved_by']).execute()).toEqual([
      { helped: null, resolved_by: 'U0MO' },
    ]);
  });
});

describe('a private check-in reaches no new surface', () => {
  it('no Kudos, no help request, nothing in the digest, the summary or a DM', async () => {
    const { secret } = await setUp();
    const blocks = await digestBlocks();
    expect(JSON.stringify(blocks)).not.toContain('SECRET');
    expect(buttons(blocks).map((b) => b.value)).not.toContain(secret);
    const summary = await say('U0MO', '/growth', 'summary <@U0ANA>');
    expect(JSON.stringify(summary)).not.toContain('SECRET');
    expect(buttons(summary.blocks ?? []).map((b) => b.value)).not.toContain(secret);
    expect(buttons(summary.blocks ?? []).map((b) => b.action_id)).toContain(M.reply);
    h.fake.reset();
    await click('U0MO', M.kudos, secret);
    await click('U0MO', M.offerHelp, secret);
    await click('U0MO', M.resolveHelp, secret);
    await handled('Resolved button');
    expect(dmsTo('U0MO').map((c) => c.args.text)).toEqual([
      NOT_YOURS_TO_ANSWER,
      NOT_YOURS_TO_ANSWER,
      NOT_YOURS_TO_ANSWER,
    ]);
    expect(dmsTo('U0ANA')).toHaveLength(0);
    expect(await h.deps.db.selectFrom('kudos').selectAll().execute()).toEqual([]);
    await timed(appHomeOpened({ user: 'U0MO' }));
    const [home] = await h.fake.waitFor('views.publish');
    expect(JSON.stringify(home!.args.view)).not.toContain('SECRET');
  });
});

describe('Home, journal and export', () => {
  it('the mentee sees replies, kudos and open requests; the mentor sees them open; the export and journal keep them', async () => {
    const { help } = await setUp();
    await timed(
      viewSubmission({
        user: 'U0MO',
        callback_id: IDS.replyModal,
        private_metadata: JSON.stringify({ menteeId: 'U0ANA' }),
        values: { [M.replyBlock]: { [M.replyAction]: textValue('Proud of you <b>Ana</b>') } },
      }),
    );
    await click('U0MO', M.kudos, help);
    await handled('Kudos button');
    h.fake.reset();
    const home = async (user: string) => {
      await timed(appHomeOpened({ user }));
      const [p] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === user);
      return (p!.args.view as { blocks: (Block & { accessory?: { action_id: string; value: string } })[] }).blocks;
    };
    const ana = await home('U0ANA');
    const anaText = JSON.stringify(ana);
    expect(anaText).toContain('*From your mentor*');
    expect(anaText).toContain('<@U0MO>: Proud of you &lt;b&gt;Ana&lt;/b&gt;');
    expect(anaText).toContain(':clap: <@U0MO> gave kudos on 2026-12-09');
    expect(anaText).toContain('*Your open help requests*');
    expect(ana.map((b) => b.accessory).filter(Boolean)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action_id: M.resolveHelp, value: help }),
        expect.objectContaining({ action_id: M.replyBack }),
      ]),
    );
    const mo = await home('U0MO');
    expect(JSON.stringify(mo)).toContain('*Open help requests* (1)');
    expect(buttons(mo).map((b) => [b.action_id, b.value])).toEqual(
      expect.arrayContaining([
        [M.offerHelp, help],
        [M.resolveHelp, help],
      ]),
    );

    await say('U0ANA', '/growth', 'export');
    await expect.poll(() => h.fake.uploads.length, { timeout: 5_000 }).toBe(2);
    const json = JSON.parse(h.fake.uploads.find((u) => u.filename.endsWith('.json'))!.content.toString('utf8'));
    expect(json.replies.map((r: { text: string }) => r.text)).toEqual(['Proud of you <b>Ana</b>']);
    expect(json.kudos.map((k: { checkin_id: string }) => k.checkin_id)).toEqual([help]);
    expect(json.help_requests).toEqual([]); // nothing became of it yet: no row
    const md = h.fake.uploads.find((u) => u.filename.endsWith('.md'))!.content.toString('utf8');
    expect(md).toContain('## From your mentor');
    expect(md).toContain('U0MO: Proud of you \\<b\\>Ana\\</b\\>');
    expect(md).toMatch(/asked for help, kudos from U0MO\): PromQL/);
  });
});
