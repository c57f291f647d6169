import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { getMember } from '../db/members.ts';
import type { Deps } from '../deps.ts';
import { competencyNamer } from '../growth/competencies.ts';
import { anyNumbered, IDS } from '../outbound/ids.ts';
import {
  helpedAnswered,
  helpedQuestion,
  helpNoteModal,
  helpOfferConfirmed,
  helpOfferedMessage,
  kudosMessage,
  replyMessage,
  replyModal,
} from '../outbound/views/mentoring.ts';
import type { SlackMessage } from '../outbound/views/prompt-message.ts';
import { addHelpedNote, answerHelped, offerHelp, resolveHelp } from '../services/help-requests.ts';
import { giveKudos, type ReplyTo, replyPosted, replyTarget, saveReply } from '../services/replies.ts';
import { USER_ID } from '../slack-ids.ts';
import {
  type ButtonAnswer,
  type ButtonInput,
  buttonInput,
  buttonValue,
  done,
  FORM,
  type FormAnswer,
  formErrors,
  formMeta,
  formValue,
  type Guarded,
  guardAction,
  guardView,
  openView,
  reply,
  type SavingViewInput,
  savingViewInput,
  type ViewInput,
  viewInput,
} from './guard.ts';
import type { HomeRefresher } from './home-refresher.ts';

const M = IDS.mentoring;

/** Said to anyone pressing a mentoring button that is not theirs: the same words whatever it names. */
export const NOT_YOURS_TO_ANSWER =
  'That is not yours to answer: only a mentee\u2019s current mentor, or the person a reply was sent to, can use it.';

const metaSchema = z.union([
  z.object({ menteeId: z.string().regex(USER_ID) }),
  z.object({ replyId: z.string().regex(/^\d{1,18}$/) }),
]);
const noteMeta = z.object({ checkinId: z.string().regex(/^\d{1,18}$/) });

export function registerMentoring(app: App, deps: Deps, homes: HomeRefresher): void {
  const button = (name: string, run: (g: Guarded<ButtonInput>) => Promise<ButtonAnswer>) =>
    guardAction(deps, { name, input: buttonInput, run });
  app.action<BlockButtonAction>(
    M.reply,
    button('Reply button', (g) => openReply(g, { menteeId: buttonValue(g.input) })),
  );
  app.action<BlockButtonAction>(
    M.replyBack,
    button('Reply back button', (g) => openReply(g, { replyId: buttonValue(g.input) })),
  );
  app.view(
    IDS.replyModal,
    guardView(deps, {
      name: 'reply form',
      input: savingViewInput,
      errorBlock: M.replyBlock,
      run: (g) => submitReply(g, homes),
    }),
  );
  app.action<BlockButtonAction>(
    anyNumbered(M.kudos),
    button('Kudos button', (g) => handleKudos(g, homes)),
  );
  app.action<BlockButtonAction>(
    anyNumbered(M.offerHelp),
    button("I'll help button", (g) => handleOffer(g, homes)),
  );
  app.action<BlockButtonAction>(
    M.resolveHelp,
    button('Resolved button', (g) => handleResolve(g, homes)),
  );
  app.action<BlockButtonAction>(
    M.helped,
    button('It helped button', (g) => handleHelped(g, true)),
  );
  app.action<BlockButtonAction>(
    M.notHelped,
    button('Not really button', (g) => handleHelped(g, false)),
  );
  app.action<BlockButtonAction>(
    M.addNote,
    button('Add a line button', async (g) => openView(helpNoteModal(buttonValue(g.input)))),
  );
  app.view(
    IDS.helpNoteModal,
    guardView(deps, { name: 'help note form', input: viewInput, errorBlock: M.noteBlock, run: submitNote }),
  );
}

const post = (client: WebClient, channel: string, m: SlackMessage, threadTs?: string) =>
  client.chat.postMessage({ channel, text: m.text, blocks: m.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) });
const tell = (client: WebClient, channel: string, text: string) => client.chat.postMessage({ channel, text });

async function openReply(g: Guarded<ButtonInput>, to: ReplyTo): Promise<ButtonAnswer> {
  const t = await g.db(replyTarget(g.deps.db, { teamId: g.teamId, userId: g.userId, to }), 'reading a reply');
  if (t.kind !== 'ok') return reply(NOT_YOURS_TO_ANSWER);
  const name = (await g.db(getMember(g.deps.db, g.teamId, t.recipientId), 'reading a member'))?.displayName;
  return openView(replyModal(name ?? 'them', to));
}

/** The reply form: checked in the ack (length, who may write); the DM goes to its recipient, in the conversation's thread. */
async function submitReply(g: Guarded<SavingViewInput>, homes: HomeRefresher): Promise<FormAnswer> {
  const to = formMeta(metaSchema, g.input.private_metadata);
  const errors = (text: string) => formErrors({ [M.replyBlock]: text });
  if (!to) return errors('This form lost track of whom it answers; open it again from the message.');
  const text = formValue(g.input, M.replyBlock, M.replyAction, FORM.text)?.value;
  const r = await g.db(
    saveReply(g.deps, g.deps.db, { teamId: g.teamId, userId: g.userId, to, text, formId: g.input.id }),
    'saving a reply',
  );
  if (r.kind === 'empty') return errors('Write something to send.');
  if (r.kind === 'too-long')
    return errors(`A reply may be up to ${r.limit} characters; this one is ${r.length}. Shorten it and send again.`);
  if (r.kind === 'not-yours') return errors(NOT_YOURS_TO_ANSWER);
  if (!r.created) return done(); // the same form again: it went the first time
  // Sent first, then the writer told: "Sent to" is said only once it went.
  return done(async () => {
    const sent = await post(
      g.slack,
      r.recipientId,
      replyMessage({ id: r.reply.id, fromId: g.userId, text: r.reply.text }),
      r.thread?.ts,
    );
    if (sent.channel && sent.ts) await replyPosted(g.deps.db, r.reply.id, { channel: sent.channel, ts: sent.ts });
    await tell(g.slack, g.userId, `Sent to <@${r.recipientId}>.`);
    homes.changed(g.teamId, r.reply.userId);
  });
}

async function handleKudos(g: Guarded<ButtonInput>, homes: HomeRefresher): Promise<ButtonAnswer> {
  const r = await g.db(
    giveKudos(g.deps, g.deps.db, { teamId: g.teamId, userId: g.userId, checkinId: buttonValue(g.input) }),
    'giving kudos',
  );
  if (r.kind === 'not-yours') return reply(NOT_YOURS_TO_ANSWER);
  if (r.kind === 'already') return reply('Kudos for that check-in went already.');
  return done(async () => {
    await post(g.slack, r.menteeId, kudosMessage({ mentorId: g.userId, text: r.text, at: r.at }));
    await tell(g.slack, g.userId, `Kudos sent to <@${r.menteeId}>.`);
    homes.changed(g.teamId, r.menteeId);
  });
}

const competencyOf = (deps: Deps, id: string | null) => competencyNamer(deps.rubrics, 'something they asked about')(id);

async function handleOffer(g: Guarded<ButtonInput>, homes: HomeRefresher): Promise<ButtonAnswer> {
  const r = await g.db(
    offerHelp(g.deps, g.deps.db, { teamId: g.teamId, userId: g.userId, checkinId: buttonValue(g.input) }),
    'offering help',
  );
  const refusal = {
    offered: null,
    'not-yours': NOT_YOURS_TO_ANSWER,
    already: 'You offered help on that request already; they know.',
    resolved: 'That help request is resolved already.',
  }[r.kind];
  if (refusal || r.kind !== 'offered') return reply(refusal ?? '');
  const q = r.request;
  const competency = competencyOf(g.deps, q.competencyId);
  const tz = (await g.db(getMember(g.deps.db, g.teamId, q.userId), 'reading a member'))?.tz ?? 'UTC';
  return done(async () => {
    await post(
      g.slack,
      q.userId,
      helpOfferedMessage({
        checkinId: q.checkinId,
        mentorId: g.userId,
        competency,
        askedAt: q.askedAt,
        offeredAt: r.at,
        tz,
      }),
    );
    await post(g.slack, g.userId, helpOfferConfirmed({ checkinId: q.checkinId, menteeId: q.userId, competency }));
    homes.changed(g.teamId, q.userId);
    homes.changed(g.teamId, g.userId);
  });
}

async function handleResolve(g: Guarded<ButtonInput>, homes: HomeRefresher): Promise<ButtonAnswer> {
  const r = await g.db(
    resolveHelp(g.deps, g.deps.db, { teamId: g.teamId, userId: g.userId, checkinId: buttonValue(g.input) }),
    'resolving a help request',
  );
  if (r.kind === 'not-yours') return reply(NOT_YOURS_TO_ANSWER);
  if (r.kind === 'already') return reply('That help request is resolved already.');
  const q = r.request;
  const competency = competencyOf(g.deps, q.competencyId);
  return done(async () => {
    // The mentee is asked once whether it helped; the other of the two is told.
    await post(
      g.slack,
      q.userId,
      helpedQuestion({ checkinId: q.checkinId, competency, by: g.userId, menteeId: q.userId }),
    );
    if (g.userId === q.userId && r.mentorId)
      await tell(g.slack, r.mentorId, `<@${q.userId}> marked their help request about *${competency}* resolved.`);
    if (g.userId !== q.userId) await tell(g.slack, g.userId, `Marked resolved; <@${q.userId}> has been told.`);
    homes.changed(g.teamId, q.userId);
    if (r.mentorId) homes.changed(g.teamId, r.mentorId);
  });
}

async function handleHelped(g: Guarded<ButtonInput>, helped: boolean): Promise<ButtonAnswer> {
  const checkinId = buttonValue(g.input);
  const ok = await g.db(
    answerHelped(g.deps, g.deps.db, { teamId: g.teamId, userId: g.userId, checkinId, helped }),
    'answering whether it helped',
  );
  if (!ok) return reply('That question is answered already, or is not yours.');
  const m = helpedAnswered(checkinId, helped);
  const channel = g.input.channel?.id ?? g.input.container?.channel_id;
  const ts = g.input.message?.ts ?? g.input.container?.message_ts;
  return done(async () => {
    // The answer is stored; the question becoming the thanks is best effort (a new DM when it cannot).
    const updated =
      channel && ts
        ? await g.slack.chat.update({ channel, ts, text: m.text, blocks: m.blocks }).then(
            () => true,
            () => false,
          )
        : false;
    if (!updated) await post(g.slack, g.userId, m);
  });
}

async function submitNote(g: Guarded<ViewInput>): Promise<FormAnswer> {
  const meta = formMeta(noteMeta, g.input.private_metadata);
  const errors = (text: string) => formErrors({ [M.noteBlock]: text });
  if (!meta) return errors('This form lost track of its request; open it again from the message.');
  const text = formValue(g.input, M.noteBlock, M.noteAction, FORM.text)?.value;
  const r = await g.db(
    addHelpedNote(g.deps.db, { teamId: g.teamId, userId: g.userId, checkinId: meta.checkinId, text }),
    'saving a line',
  );
  if (r.kind === 'too-long') return errors(`At most ${r.limit} characters; this is ${r.length}.`);
  if (r.kind === 'gone') return errors('That line can be added once, by the person who asked for help.');
  return done();
}
