import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { MessageRef } from '../db/checkins.ts';
import { claimJoinHint, isJoined } from '../db/members.ts';
import { promptOfMessage } from '../db/nudges.ts';
import type { Checkin, Nudge } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { JOIN_HINT_EVERY_MS } from '../growth/cadence.ts';
import { checkText, EDIT_WINDOW_DAYS } from '../growth/checkin.ts';
import { IDS } from '../outbound/ids.ts';
import {
  dmFileNeedsWords,
  dmNotConfirmed,
  dmRemovedMessage,
  dmSavedMessage,
  dmTooLong,
  joinHint,
} from '../outbound/views/dm-reply.ts';
import type { SlackMessage } from '../outbound/views/prompt-message.ts';
import { setCheckinPrivacy, withdrawCheckin, withdrawMessage } from '../services/checkins.ts';
import { editTypedCheckin, type QuickWrites, saveTypedCheckin } from '../services/typed-checkins.ts';
import { USER_ID } from '../slack-ids.ts';
import { type ButtonAnswer, done, type Guarded, guardAction, guardEvent, reply } from './guard.ts';
import type { HomeRefresher } from './home-refresher.ts';
import { showOpen, showSettled } from './nudge-actions.ts';
import { readTyped } from './typed-text.ts';

/** A key that must not be there at all. */
const absent = z.never().optional();

// What a person typed in the bot's DM, as Slack sends it. Anything from a bot or an app
// (our own prompts included) carries bot_id or app_id and is no check-in.
const fromPerson = z.object({
  user: z.string().regex(USER_ID),
  ts: z.string().regex(/^\d+\.\d+$/),
  text: z.string().default(''),
  thread_ts: z.string().optional(),
  bot_id: absent,
  app_id: absent,
});
const inDm = { channel: z.string().regex(/^D[A-Z0-9]+$/), channel_type: z.literal('im').optional() };
/** A file shared in the DM: the comment typed with it is the text, its permalink the evidence. */
const sharedFile = z.object({
  subtype: z.literal('file_share'),
  files: z
    .array(z.unknown())
    .default([])
    .catch([])
    .transform((list) =>
      list.slice(0, 20).map((f) => {
        const p = (f as { permalink?: unknown } | null)?.permalink;
        return { permalink: typeof p === 'string' && p.length <= 2000 ? p : undefined };
      }),
    ),
});
const posted = z
  .object({ ...inDm, subtype: absent })
  .and(fromPerson)
  .or(z.object(inDm).and(sharedFile).and(fromPerson));
const changed = z.object({
  ...inDm,
  subtype: z.literal('message_changed'),
  message: fromPerson.extend({ subtype: z.enum(['file_share']).optional(), files: sharedFile.shape.files.optional() }),
  previous_message: z
    .object({ text: z.string().default('') })
    .partial()
    .optional()
    .catch(undefined),
});
const deleted = z.object({
  ...inDm,
  subtype: z.literal('message_deleted'),
  deleted_ts: z.string(),
  previous_message: z.object({ user: z.string() }),
});

interface DmWhere {
  channel: string;
  ts: string;
  userId: string;
}
/** A DM event; its `text` and `before` as Slack sent them (`readTyped` gives what was typed). */
export type DmEvent =
  | (DmWhere & { kind: 'posted'; text: string; threadTs?: string | undefined; file?: string | null | undefined })
  | (DmWhere & {
      kind: 'changed';
      text: string;
      threadTs: string | undefined;
      before: string | undefined;
      file?: string | null | undefined;
    })
  | (DmWhere & { kind: 'deleted' });

/** The first file kept in Slack, as the check-in's evidence. */
const evidenceOf = (files: readonly { permalink?: string | undefined }[]) =>
  files.find((f) => f.permalink?.startsWith('https://'))?.permalink ?? null;

/** A thread reply: to a prompt's DM it answers that prompt; any other thread is conversation. */
const threadOf = (m: { ts: string; thread_ts?: string | undefined }) =>
  m.thread_ts !== undefined && m.thread_ts !== m.ts ? m.thread_ts : undefined;

/** The DM events that concern a check-in; null for everything else (bots, other subtypes). */
function readDmEvent(event: unknown): DmEvent | null {
  const p = posted.safeParse(event);
  if (p.success) {
    const files = 'files' in p.data ? p.data.files : undefined;
    return {
      kind: 'posted',
      channel: p.data.channel,
      ts: p.data.ts,
      userId: p.data.user,
      text: p.data.text,
      threadTs: threadOf(p.data),
      ...(files ? { file: evidenceOf(files) } : {}),
    };
  }
  const c = changed.safeParse(event);
  if (c.success) {
    const m = c.data.message;
    const before = c.data.previous_message?.text;
    return {
      kind: 'changed',
      channel: c.data.channel,
      ts: m.ts,
      userId: m.user,
      text: m.text,
      threadTs: threadOf(m),
      before,
      ...(m.files ? { file: evidenceOf(m.files) } : {}),
    };
  }
  const d = deleted.safeParse(event);
  if (d.success)
    return { kind: 'deleted', channel: d.data.channel, ts: d.data.deleted_ts, userId: d.data.previous_message.user };
  return null;
}

// Every message event reaches this listener; those that are no check-in (bots, threads, other
// channels, other subtypes) parse to null rather than counting as malformed.
const dmInput = z.object({ team_id: z.string().optional(), event: z.unknown().transform(readDmEvent) });

export function registerDm(app: App, deps: Deps, homes: HomeRefresher, writes: QuickWrites): void {
  app.event(
    'message',
    guardEvent(deps, {
      name: 'DM message',
      input: dmInput,
      // Only a new message is answered: an edit or a deletion the person did not ask us about.
      late: dmNotConfirmed(),
      failed: dmNotConfirmed(),
      tell: ({ event: dm }, slack) =>
        dm?.kind === 'posted'
          ? async (text) => {
              deps.metrics.checkinsNotSaved.inc({ source: 'dm' });
              await slack.chat.postMessage({ channel: dm.channel, thread_ts: dm.ts, text });
            }
          : undefined,
      run: async (g) => {
        if (g.input.event) await handleDmEvent(g, homes, writes, g.input.event);
      },
    }),
  );
  const button = (name: string, run: (g: Guarded<ButtonInput>) => Promise<ButtonAnswer>) =>
    guardAction(deps, { name, input: buttonInput, run });
  app.action<BlockButtonAction>(
    IDS.dm.makePrivate,
    button('make private button', (g) => handlePrivacy(g, homes, true)),
  );
  app.action<BlockButtonAction>(
    IDS.dm.share,
    button('share button', (g) => handlePrivacy(g, homes, false)),
  );
  app.action<BlockButtonAction>(
    IDS.dm.notCheckin,
    button('not a check-in button', (g) => handleNotCheckin(g, homes)),
  );
}

/** What the confirmation's buttons carry: the check-in id, and where the confirmation is. */
const buttonInput = z.object({
  actions: z.array(z.object({ value: z.string().max(40) })).min(1),
  container: z
    .object({ channel_id: z.string().max(40).optional(), message_ts: z.string().max(40).optional() })
    .optional(),
});
type ButtonInput = z.infer<typeof buttonInput>;

type Outcome =
  | { kind: 'quiet' }
  | { kind: 'hint' }
  | { kind: 'too-long'; length: number; stored?: boolean }
  | { kind: 'file-needs-words' }
  | { kind: 'saved'; checkin: Checkin; answered: Nudge | undefined; promptAlreadyAnswered: boolean }
  | { kind: 'changed'; checkin: Checkin }
  | { kind: 'deleted'; reopened: Nudge | undefined };

async function handleDmEvent(
  g: Guarded<unknown>,
  homes: HomeRefresher,
  writes: QuickWrites,
  dm: DmEvent,
): Promise<void> {
  const { deps, teamId, slack: client } = g;
  const thread = async (text: string) =>
    void (await client.chat.postMessage({ channel: dm.channel, thread_ts: dm.ts, text }));
  const outcome = await g.db(apply(deps, writes, teamId, dm), `a DM message (${dm.kind})`);
  switch (outcome.kind) {
    case 'quiet':
      return;
    case 'hint':
      await client.chat.postMessage({ channel: dm.channel, text: joinHint() });
      return;
    case 'too-long':
      await thread(dmTooLong(outcome.length, dm.kind === 'changed', outcome.stored ?? true));
      return;
    case 'file-needs-words':
      await thread(dmFileNeedsWords());
      return;
    case 'saved': {
      const { checkin, answered } = outcome;
      const message = dmSavedMessage({
        id: checkin.id,
        private: checkin.private,
        competencyName: checkin.competencyName,
        answeredPrompt: answered !== undefined,
        promptAlreadyAnswered: outcome.promptAlreadyAnswered,
      });
      await client.chat.postMessage({ channel: dm.channel, thread_ts: dm.ts, ...message });
      if (answered) await showSettled(deps, client, answered);
      break;
    }
    case 'deleted':
      if (outcome.reopened) await showOpen(deps, client, outcome.reopened);
      break;
    case 'changed':
      break;
  }
  homes.changed(teamId, dm.userId);
}

async function apply(deps: Deps, writes: QuickWrites, teamId: string, dm: DmEvent): Promise<Outcome> {
  const now = deps.now();
  const ref: MessageRef = { teamId, channel: dm.channel, ts: dm.ts, userId: dm.userId };
  if (dm.kind === 'deleted') {
    const withdrawn = await withdrawMessage(deps, deps.db, ref);
    return withdrawn ? { kind: 'deleted', reopened: withdrawn.reopened } : { kind: 'quiet' };
  }
  // In a thread, only a reply to a prompt's DM is a check-in (it answers that prompt).
  const replyTo = dm.threadTs ? await promptOfMessage(deps.db, teamId, dm.channel, dm.threadTs) : undefined;
  if (dm.threadTs && !replyTo) return { kind: 'quiet' };
  const text = await readTyped(deps.db, teamId, dm.text);
  const check = checkText(text);
  if (dm.kind === 'changed') {
    const before = dm.before === undefined ? undefined : checkText(await readTyped(deps.db, teamId, dm.before));
    const edit = await editTypedCheckin(deps, deps.db, ref, {
      text: check.ok ? check : { ok: false, tooLong: check.reason === 'too-long' ? check.length : null },
      wasTooLong: before?.ok === false && before.reason === 'too-long',
      unchanged: dm.before !== undefined && dm.before === dm.text,
    });
    if (edit.kind === 'changed') return { kind: 'changed', checkin: edit.checkin };
    if (edit.kind === 'too-long') return { kind: 'too-long', length: edit.length, stored: edit.stored };
    if (edit.kind === 'none') return { kind: 'quiet' };
    // Too long when posted, short enough now: saved as the new message it would have been.
  }
  const { member, nudge } = await writes.lookup({ teamId, userId: dm.userId, at: now });
  if (!isJoined(member))
    return (await claimJoinHint(deps.db, teamId, dm.userId, now, JOIN_HINT_EVERY_MS))
      ? { kind: 'hint' }
      : { kind: 'quiet' };
  const file = dm.file;
  if (!check.ok) {
    if (check.reason === 'too-long') return { kind: 'too-long', length: check.length };
    return file !== undefined ? { kind: 'file-needs-words' } : { kind: 'quiet' };
  }
  // A Slack retry of the same event names the same message: stored once.
  const message = { channel: dm.channel, ts: dm.ts };
  const idempotencyKey = `dm:${teamId}:${dm.channel}:${dm.ts}`;
  const saved = await saveTypedCheckin(
    deps,
    writes,
    { member, nudge },
    {
      teamId,
      userId: dm.userId,
      text: check.text,
      source: 'dm',
      idempotencyKey,
      message,
      evidenceUrl: file ?? null,
      replyTo,
    },
    now,
  );
  if (!saved.created) return { kind: 'quiet' };
  const answeredBefore = replyTo ? replyTo.outcome === 'answered' : nudge?.outcome === 'answered';
  return {
    kind: 'saved',
    checkin: saved.checkin,
    answered: saved.answered,
    promptAlreadyAnswered: answeredBefore,
  };
}

/** Redraws the confirmation the button was clicked in. */
async function redraw(g: Guarded<ButtonInput>, message: SlackMessage): Promise<void> {
  const channel = g.input.container?.channel_id;
  const ts = g.input.container?.message_ts;
  if (channel && ts) await g.slack.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
}

async function handlePrivacy(g: Guarded<ButtonInput>, homes: HomeRefresher, isPrivate: boolean): Promise<ButtonAnswer> {
  // Only the author's own check-in changes: the query itself checks who owns it.
  const changed = await g.db(
    setCheckinPrivacy(g.deps, g.deps.db, { checkinId: g.input.actions[0]!.value, userId: g.userId, isPrivate }),
    'changing who sees a check-in',
  );
  if (changed.kind === 'private-help') return reply(changed.why);
  if (changed.kind !== 'changed') return done();
  const c = changed.checkin;
  const message = dmSavedMessage({
    id: c.id,
    private: c.private,
    competencyName: c.competencyName,
    answeredPrompt: c.nudgeId !== null,
    promptAlreadyAnswered: false,
  });
  await redraw(g, message);
  homes.changed(c.teamId, g.userId);
  return done();
}

async function handleNotCheckin(g: Guarded<ButtonInput>, homes: HomeRefresher): Promise<ButtonAnswer> {
  const { deps, userId } = g;
  const withdrawn = await g.db(
    withdrawCheckin(deps, deps.db, { checkinId: g.input.actions[0]!.value, userId }),
    'removing a check-in',
  );
  if (!withdrawn)
    return reply(`That check-in could not be removed: only your own, for ${EDIT_WINDOW_DAYS} days after saving.`);
  await redraw(g, dmRemovedMessage(withdrawn.reopened !== undefined));
  if (withdrawn.reopened) await showOpen(deps, g.slack, withdrawn.reopened);
  homes.changed(withdrawn.gone.teamId, userId);
  return done();
}
