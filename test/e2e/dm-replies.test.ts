import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runReminders } from '../../src/jobs/reminders.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import {
  blockAction,
  dmDeleted,
  dmEdited,
  dmMessage,
  type SlackRequest,
  slashCommand,
} from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x));
beforeAll(() => {
  h.fake.addUser({ id: 'U0ALICE', tz: 'Europe/Berlin', real_name: 'Alice' });
});
beforeEach(() => {
  h.setNow(new Date('2026-12-07T09:05:00Z')); // Monday 10:05 in Berlin
});

const ANSWER = 'Followed the disk-full runbook during the alert and wrote down the two steps that were missing';
const growth = (user: string, text: string) => h.send(slashCommand({ command: '/growth', text, user_id: user }));
const checkins = () => h.deps.db.selectFrom('checkins').selectAll().orderBy('id').execute();
const outcome = async () => (await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome;
/** Replies the bot posted in the thread of the message `ts`. */
const threadReplies = (ts: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);

async function event(req: SlackRequest, headers?: Record<string, string>) {
  const r = await h.send(req, headers ? { headers } : {});
  expect(r.status).toBe(200);
}

/** Alice joins and gets Monday's prompt; returns where the prompt DM is. Mallory, who clicks others' buttons, joins too. */
async function prompted() {
  await growth('U0ALICE', 'join junior');
  await growth('U0MALLORY', 'join mid');
  await runWeeklyPrompts(h.deps, h.deps.now());
  const d = await h.deps.db.selectFrom('deliveries').select(['channel', 'message_ts']).executeTakeFirstOrThrow();
  return { channel: d.channel!, ts: d.message_ts! };
}

/** `user` writes `text` in their DM with the bot (the stand-in keeps it); the event Slack then sends. */
function write(user: string, text: string, extra: Record<string, unknown> = {}) {
  const m = h.fake.workspace.post({ channel: `D${user.slice(1)}`, from: 'user', user, text, ephemeral: false });
  return { ts: m.ts, req: dmMessage({ user, text, ts: m.ts, ...extra }) };
}

/** Alice writes in the DM; resolves once the bot has confirmed it in the thread. */
async function reply(text = ANSWER) {
  const { ts, req } = write('U0ALICE', text);
  await event(req);
  const [confirmation] = await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === ts);
  // Where the confirmation is, as a click on its buttons names it.
  const posted = h.fake.workspace.conversation('D0ALICE').find((m) => m.from === 'bot' && m.thread_ts === ts)!;
  return { ts, confirmation: confirmation!, message: { ts: posted.ts, channel: 'D0ALICE' } };
}
const buttons = (c: { args: Record<string, unknown> }) =>
  (c.args.blocks as { elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []);

describe('answering by replying in the DM', () => {
  it('answers the prompt, settles it (no Thursday reminder) and is confirmed once in the thread', async () => {
    const prompt = await prompted();
    const { ts, confirmation } = await reply();
    const [c] = await checkins();
    const nudge = await h.deps.db.selectFrom('nudges').selectAll().executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      text: ANSWER,
      source: 'dm',
      nudge_id: nudge.id,
      competency_id: nudge.competency_id,
      message_channel: 'D0ALICE',
      message_ts: ts,
    });
    expect(nudge.outcome).toBe('answered');
    expect(confirmation.args).toMatchObject({ channel: 'D0ALICE', thread_ts: ts });
    expect(String(confirmation.args.text)).toContain("answer to this week's prompt");
    expect(buttons(confirmation).map((b) => b.action_id)).toEqual([
      IDS.editCheckin,
      IDS.dm.makePrivate,
      IDS.dm.notCheckin,
    ]);
    // The prompt DM loses its buttons.
    const [update] = await h.fake.waitFor('chat.update', 1, 5_000, (u) => u.args.ts === prompt.ts);
    expect(JSON.stringify(update!.args.blocks)).toContain('Answered');

    expect((await runReminders(h.deps, new Date('2026-12-10T09:05:00Z'))).sent).toBe(0);
    expect(threadReplies(ts)).toHaveLength(1);
  });

  it('a second reply the same week is a free check-in, saying so', async () => {
    await prompted();
    await reply();
    const second = await reply('Also paired with Bo on the on-call handover notes');
    expect(String(second.confirmation.args.text)).toContain("this week's prompt was already answered");
    const [, free] = await checkins();
    expect(free).toMatchObject({ nudge_id: null, competency_id: null, source: 'dm' });
  });

  it('a Slack retry of the same event stores it once and confirms it once', async () => {
    await prompted();
    const { ts, req } = write('U0ALICE', ANSWER);
    await Promise.all([event(req), event(req, { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' })]);
    await event(req, { 'X-Slack-Retry-Num': '2', 'X-Slack-Retry-Reason': 'http_timeout' });
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === ts);
    await reply('A later, different message'); // everything before it has been handled
    expect((await checkins()).map((c) => c.text)).toEqual([ANSWER, 'A later, different message']);
    expect(threadReplies(ts)).toHaveLength(1);
  });

  it('*Not a check-in* removes it and opens the prompt again; only the author can press it', async () => {
    const prompt = await prompted();
    const { confirmation, message } = await reply();
    const [c] = await checkins();
    const remove = buttons(confirmation).find((b) => b.action_id === IDS.dm.notCheckin)!;
    expect(remove.value).toBe(c!.id);

    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.dm.notCheckin, value: remove.value, message }));
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (x) => x.args.channel === 'U0MALLORY');
    expect(await checkins()).toHaveLength(1);
    expect(await outcome()).toBe('answered');

    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.dm.notCheckin, value: remove.value, message }));
    const [redrawn] = await h.fake.waitFor('chat.update', 1, 5_000, (u) => u.args.ts === message.ts);
    expect(String(redrawn!.args.text)).toContain('Removed: not a check-in');
    expect(await checkins()).toHaveLength(0);
    expect(await outcome()).toBe('open');
    // The prompt DM has its Answer button again, and Thursday's reminder comes.
    const reopened = (await h.fake.waitFor('chat.update', 2, 5_000, (u) => u.args.ts === prompt.ts)).at(-1)!;
    expect(JSON.stringify(reopened.args.blocks)).toContain(IDS.nudge.answer);
    expect((await runReminders(h.deps, new Date('2026-12-10T09:05:00Z'))).sent).toBe(1);
  });

  it('*Make private* hides it from the mentor and *Share* undoes it; only the author can press them', async () => {
    await prompted();
    const { confirmation, message } = await reply();
    const id = buttons(confirmation).find((b) => b.action_id === IDS.dm.makePrivate)!.value;
    const isPrivate = async () =>
      (await h.deps.db.selectFrom('checkins').select('private').where('id', '=', id).executeTakeFirstOrThrow()).private;

    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.dm.makePrivate, value: id, message }));
    await reply('Something else, so that the click above has been handled');
    expect(await isPrivate()).toBe(false);

    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.dm.makePrivate, value: id, message }));
    const [redrawn] = await h.fake.waitFor('chat.update', 1, 5_000, (u) => u.args.ts === message.ts);
    expect(await isPrivate()).toBe(true);
    expect(String(redrawn!.args.text)).toContain('Just for you');
    expect(buttons(redrawn!).map((b) => b.action_id)).toContain(IDS.dm.share);

    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.dm.share, value: id, message }));
    await reply('And a third one');
    expect(await isPrivate()).toBe(true);
    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.dm.share, value: id, message }));
    await h.fake.waitFor('chat.update', 2, 5_000, (u) => u.args.ts === message.ts);
    expect(await isPrivate()).toBe(false);
  });

  it('*Edit* opens the form with the check-in, for its author only', async () => {
    await prompted();
    const { confirmation, message } = await reply();
    const id = buttons(confirmation).find((b) => b.action_id === IDS.editCheckin)!.value;
    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.editCheckin, value: id, message }));
    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.editCheckin, value: id, message }));
    const opened = await h.fake.waitFor('views.open');
    await new Promise((r) => setTimeout(r, 200)); // Mallory's click, sent first, has had its chance
    expect(h.fake.callsTo('views.open')).toHaveLength(1);
    expect(JSON.stringify(opened[0]!.args.view)).toContain(ANSWER);
    expect(JSON.parse((opened[0]!.args.view as { private_metadata: string }).private_metadata)).toEqual({
      checkinId: id,
    });
  });

  it('an edited message edits the check-in; a deleted one deletes it', async () => {
    await prompted();
    const { ts } = await reply();
    await event(
      dmEdited({
        user: 'U0ALICE',
        ts,
        before: ANSWER,
        text: 'Fixed: followed the runbook and added the two missing steps',
      }),
    );
    await expect
      .poll(async () => (await checkins())[0]?.text)
      .toBe('Fixed: followed the runbook and added the two missing steps');

    await event(dmEdited({ user: 'U0ALICE', ts, before: ANSWER, text: 'x'.repeat(3001) }));
    const told = (await h.fake.waitFor('chat.postMessage', 2, 5_000, (c) => c.args.thread_ts === ts)).at(-1)!;
    expect(String(told.args.text)).toContain('keeps your earlier text');
    expect((await checkins())[0]!.text).toBe('Fixed: followed the runbook and added the two missing steps');

    await event(dmDeleted({ user: 'U0ALICE', ts, before: ANSWER }));
    await expect.poll(outcome).toBe('open');
    expect(await checkins()).toHaveLength(0);
  });

  it('too long: told the limit in the thread, nothing stored', async () => {
    await prompted();
    const long = write('U0ALICE', 'y'.repeat(3001));
    await event(long.req);
    const [told] = await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === long.ts);
    expect(String(told!.args.text)).toContain('3001 characters long; a check-in holds at most 3000');
    expect(await checkins()).toHaveLength(0);
    expect(await outcome()).toBe('open');
  });

  it("ignores bot messages (its own too), other subtypes and replies in threads other than a prompt's", async () => {
    await prompted();
    const { ts } = await reply();
    const before = h.fake.callsTo('chat.postMessage').length;
    await event(
      dmMessage({ user: 'UBOT', text: 'Your growth prompt this week', ts: '1765098301.000100', bot_id: 'BBOT' }),
    );
    await event(dmMessage({ user: 'U0OTHERBOT', text: 'Deploy finished', ts: '1765098302.000100', bot_id: 'BOTHER' }));
    await event(
      dmMessage({ user: 'U0APPUSER', text: 'Posted by another app', ts: '1765098302.000200', app_id: 'AOTHER' }),
    );
    await event(dmMessage({ user: 'U0ALICE', text: 'thanks!', ts: '1765098303.000100', thread_ts: ts }));
    // A thread reply to the bot's confirmation is conversation; a file share is a check-in (answers-land.test.ts).
    await event(dmMessage({ user: 'U0ALICE', text: 'joined', ts: '1765098304.000100', subtype: 'channel_join' }));
    await reply('The last message, handled after the others');
    expect((await checkins()).map((c) => c.text)).toEqual([ANSWER, 'The last message, handled after the others']);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(before + 1);
    expect(
      (await h.deps.db.selectFrom('members').select('user_id').orderBy('user_id').execute()).map((m) => m.user_id),
    ).toEqual(['U0ALICE', 'U0MALLORY']);
  });

  it('someone who has not joined is told how, once, and nothing is kept', async () => {
    await event(write('U0NEWBIE', 'hello?').req);
    const [hint] = await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.channel === 'D0NEWBIE');
    expect(String(hint!.args.text)).toContain('/growth join <level>');
    await event(write('U0NEWBIE', 'is anyone there?').req);
    await growth('U0ALICE', 'join junior');
    await reply('A member writes, after the newcomer\u2019s second message');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'D0NEWBIE')).toHaveLength(1);
    expect((await checkins()).map((c) => c.user_id)).toEqual(['U0ALICE']);
    // A week later, a reminder is welcome rather than spam.
    h.setNow(new Date('2026-12-14T09:05:00Z'));
    await event(write('U0NEWBIE', 'back again').req);
    await h.fake.waitFor('chat.postMessage', 2, 5_000, (c) => c.args.channel === 'D0NEWBIE');
  });
});
