import { createHash } from 'node:crypto';
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { batched } from '../db/batch.ts';
import { recordCheckin, recordCheckins, updateOwnCheckin } from '../db/checkins.ts';
import { saveReflection } from '../db/incidents.ts';
import { getMember, isJoined } from '../db/members.ts';
import { type MemberAndWeek, membersWithNudges, nudgeForWeek, setNudgeOutcome } from '../db/nudges.ts';
import type { Checkin, Member, NewCheckin, Nudge } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import {
  checkText,
  EDIT_WINDOW_DAYS,
  promptAnsweredByCheckin,
  RATINGS,
  splitCompetencyPrefix,
} from '../growth/checkin.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import { localWeek } from '../growth/schedule.ts';
import { COMMANDS, IDS } from '../outbound/ids.ts';
import { ACTION_ITEM_MAX, type CheckinModalMeta, checkinModal } from '../outbound/views/checkin-modal.ts';
import { savedMessage } from '../outbound/views/checkin-saved.ts';
import { giveBack, joinFirst, notSaved, tooLong } from '../outbound/views/messages.ts';
import { fromSlackText, quote } from '../outbound/views/progress.ts';
import type { Level, RubricCompetency } from '../rubrics/schema.ts';
import { DB_DEADLINE_MS, withDeadline } from './deadline.ts';
import { type CommandArgs, guardCommand, guardView, type SubmissionArgs, viewInput } from './guard.ts';
import type { HomeRefresher } from './home-refresher.ts';
import { showSettled } from './nudge-actions.ts';

/** Quick check-ins that arrive together share their round trips to Postgres. */
export interface QuickWrites {
  lookup: (key: { teamId: string; userId: string; at: Date }) => Promise<MemberAndWeek>;
  record: (row: NewCheckin) => Promise<{ checkin: Checkin; created: boolean } | Error>;
}

export function quickWrites(db: Deps['db']): QuickWrites {
  return {
    lookup: batched((keys) => membersWithNudges(db, keys)),
    record: batched((rows) => recordCheckins(db, rows)),
  };
}

export function registerCheckin(app: App, deps: Deps, homes: HomeRefresher, writes: QuickWrites): void {
  app.command(
    COMMANDS.checkin,
    guardCommand(deps, {
      name: '/checkin',
      input: commandInput,
      late: (args) => `${notSaved()}\n${giveBack(fromSlackText(args.command.text ?? '').trim())}`,
      run: (args) => handleCheckinCommand(deps, args, homes, writes),
    }),
  );
  app.view(
    IDS.checkinModal,
    guardView(deps, {
      name: 'check-in form',
      input: viewInput,
      errorBlock: IDS.checkin.textBlock,
      late: NOT_CONFIRMED,
      run: (args) => handleCheckinSubmission(deps, args, homes),
    }),
  );
}

const commandInput = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  text: z.string().default(''),
  trigger_id: z.string(),
});

const NOT_CONFIRMED =
  'Could not confirm this was saved: the database did not answer. Your text is still here, and pressing Save again is safe (it is never stored twice).';

/** Same person, same day, same words: the same check-in, however often it arrives. */
function commandKey(teamId: string, userId: string, text: string, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  return `command:${createHash('sha256').update(`${teamId}\n${userId}\n${day}\n${text}`).digest('hex').slice(0, 40)}`;
}

export async function handleCheckinCommand(
  deps: Deps,
  { command, ack, client }: CommandArgs,
  homes: HomeRefresher,
  writes: QuickWrites,
): Promise<void> {
  const { team_id: teamId, user_id: userId } = command;
  const raw = fromSlackText(command.text ?? '');
  if (raw.trim() === '') {
    await openCheckinModal(deps, { client, teamId, userId, triggerId: command.trigger_id, ack });
    return;
  }
  const check = checkText(raw);
  if (!check.ok) {
    const why =
      check.reason === 'too-long'
        ? tooLong(check.length)
        : 'Nothing was stored: that check-in has no words in it, only invisible characters.';
    await ack({ response_type: 'ephemeral', text: `${why}\n${giveBack(raw)}` });
    return;
  }
  try {
    const saved = await withDeadline(
      saveQuickCheckin(deps, writes, teamId, userId, check.text, raw.trim()),
      DB_DEADLINE_MS,
      'saving a check-in',
    );
    await ack({ response_type: 'ephemeral', text: saved.reply });
    if (saved.answered) await showSettled(deps, client, saved.answered);
    if (saved.stored) homes.changed(teamId, userId);
  } catch (err) {
    deps.logger.error({ err, teamId, userId }, 'quick check-in not saved');
    deps.metrics.checkinsNotSaved.inc({ source: 'command' });
    await ack({ response_type: 'ephemeral', text: `${notSaved()}\n${giveBack(raw.trim())}` });
  }
}

/** A check-in a joined member typed: `/checkin <text>`, or a message in the bot's DM. */
export interface TypedCheckin {
  teamId: string;
  userId: string;
  /** Checked text (`checkText`), perhaps starting with a competency id. */
  text: string;
  source: 'command' | 'dm';
  /** The same words arriving again (a resend, a Slack retry) carry the same key: stored once. */
  idempotencyKey: string;
  /** The DM message it came from, so edits and deletions of the message follow it. */
  message?: { channel: string; ts: string };
}

export type TypedSave =
  | { created: false }
  | {
      created: true;
      checkin: Checkin;
      competency: RubricCompetency | undefined;
      answers: MemberAndWeek['nudge'];
      answered: Nudge | undefined;
    };

/**
 * The one way typed text becomes a check-in: a leading competency id files it there; otherwise,
 * when it answers this week's prompt (`promptAnsweredByCheckin`), under the prompt's competency.
 * A prompt it answers is settled in the same call.
 */
export async function saveTypedCheckin(
  deps: Deps,
  writes: QuickWrites,
  week: { member: Member & { level: Level }; nudge: MemberAndWeek['nudge'] },
  t: TypedCheckin,
  now: Date,
): Promise<TypedSave> {
  const { member, nudge } = week;
  const split = splitCompetencyPrefix(
    t.text,
    checkinCompetencies(deps.rubrics, member.level).map((c) => c.id),
  );
  const answers = promptAnsweredByCheckin(nudge, now, member.tz);
  const competency = deps.rubrics.byId.get(split.competencyId ?? answers?.competency_id ?? '');
  const result = await writes.record({
    team_id: t.teamId,
    user_id: t.userId,
    competency_id: competency?.id ?? null,
    competency_name: competency?.name ?? null,
    text: split.text,
    rating: null,
    evidence_url: null,
    source: t.source,
    nudge_id: answers?.id ?? null,
    idempotency_key: t.idempotencyKey,
    ...(t.message ? { message_channel: t.message.channel, message_ts: t.message.ts } : {}),
    created_at: now,
    updated_at: now,
  });
  if (result instanceof Error) throw result;
  if (!result.created) return { created: false };
  deps.metrics.checkins.inc({ source: t.source });
  const answered = answers ? await setNudgeOutcome(deps.db, answers.id, t.userId, 'answered', now) : undefined;
  return { created: true, checkin: result.checkin, competency, answers, answered };
}

/** Saves a `/checkin <text>`; a check-in in a week with an unanswered prompt answers it. */
async function saveQuickCheckin(
  deps: Deps,
  writes: QuickWrites,
  teamId: string,
  userId: string,
  text: string,
  typed: string,
): Promise<{ reply: string; answered?: Nudge | undefined; stored?: boolean }> {
  const now = deps.now();
  const { member, nudge } = await writes.lookup({ teamId, userId, at: now });
  if (!isJoined(member)) return { reply: `${joinFirst()}\n${giveBack(typed)}` };
  const saved = await saveTypedCheckin(
    deps,
    writes,
    { member, nudge },
    { teamId, userId, text, source: 'command', idempotencyKey: commandKey(teamId, userId, text, now) },
    now,
  );
  if (!saved.created) return { reply: 'You already saved that exact check-in today, so I kept just the one.' };
  const { competency, answers } = saved;
  const where = answers
    ? ` as your answer to this week's prompt${competency ? ` (*${competency.name}*)` : ''}`
    : competency
      ? ` under *${competency.name}*`
      : '';
  return {
    reply: `Saved your check-in${where}:\n${quote(saved.checkin.text)}\nThank you! Use \`/checkin\` on its own to add a rating, a link, or to ask for help.`,
    answered: saved.answered,
    stored: true,
  };
}

async function openCheckinModal(
  deps: Deps,
  p: { client: CommandArgs['client']; teamId: string; userId: string; triggerId: string; ack: CommandArgs['ack'] },
): Promise<void> {
  // A trigger lasts 3 s and works once: one quick read, then open the modal before anything else.
  let member;
  try {
    member = await withDeadline(getMember(deps.db, p.teamId, p.userId), DB_DEADLINE_MS / 2, 'reading a member');
  } catch (err) {
    deps.logger.error({ err, userId: p.userId }, 'check-in modal not opened');
    await p.ack({
      response_type: 'ephemeral',
      text: 'Sorry, I cannot open the check-in form just now: the database did not answer. Please try again in a minute.',
    });
    return;
  }
  if (!isJoined(member)) {
    await p.ack({ response_type: 'ephemeral', text: joinFirst() });
    return;
  }
  await p.ack();
  const view = checkinModal({ competencies: checkinCompetencies(deps.rubrics, member.level) });
  await p.client.views.open({ trigger_id: p.triggerId, view });
}

const submissionSchema = z.object({
  competencyId: z.string().nullish(),
  text: z.string().nullish(),
  rating: z.coerce.number().int().min(1).max(RATINGS.length).nullish(),
  options: z.array(z.string()).default([]),
  evidenceUrl: z.string().nullish(),
  actionItem: z.string().nullish(),
});

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Reads the modal's state without trusting its shape: anything missing is simply absent. */
export function readSubmission(values: unknown): z.infer<typeof submissionSchema> {
  const v = (values ?? {}) as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const ids = IDS.checkin;
  const field = (block: string, action: string) => v[block]?.[action] as Record<string, unknown> | undefined;
  const selected = (f?: Record<string, unknown>) =>
    (f?.selected_option as { value?: unknown } | null | undefined)?.value;
  const raw = {
    competencyId: selected(field(ids.competencyBlock, ids.competencyAction)),
    text: field(ids.textBlock, ids.textAction)?.value,
    rating: selected(field(ids.ratingBlock, ids.ratingAction)),
    options: asArray(field(ids.optionsBlock, ids.optionsAction)?.selected_options).map(
      (o) => (o as { value?: unknown } | null)?.value,
    ),
    evidenceUrl: field(ids.evidenceBlock, ids.evidenceAction)?.value,
    actionItem: field(IDS.incident.actionItemBlock, IDS.incident.actionItemAction)?.value,
  };
  const parsed = submissionSchema.safeParse(raw);
  return parsed.success ? parsed.data : { options: [] };
}

const metaSchema = z.object({
  nudgeId: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .catch(undefined),
  checkinId: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .catch(undefined),
  channel: z.string().max(40).optional().catch(undefined),
  ts: z.string().max(40).optional().catch(undefined),
  incidentId: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .catch(undefined),
});

/** The modal's private_metadata, keeping only well-formed fields. */
function parseMeta(s: string | undefined): CheckinModalMeta {
  try {
    const parsed = metaSchema.safeParse(JSON.parse(s || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function handleCheckinSubmission(
  deps: Deps,
  { ack, body, view, client }: SubmissionArgs,
  homes: HomeRefresher,
): Promise<void> {
  const ids = IDS.checkin;
  const teamId = view.team_id || body.team?.id || '';
  const userId = body.user.id;
  const s = readSubmission(view.state?.values);
  const errors: Record<string, string> = {};
  const check = checkText(s.text);
  if (!check.ok)
    errors[ids.textBlock] =
      check.reason === 'empty' ? 'Write at least a few words about what you did or learned.' : tooLong(check.length);
  if (s.evidenceUrl && !/^https?:\/\/\S+$/i.test(s.evidenceUrl))
    errors[ids.evidenceBlock] = 'A link starting with https:// please.';
  const actionItem = s.actionItem?.trim() || null;
  if (actionItem && actionItem.length > ACTION_ITEM_MAX)
    errors[IDS.incident.actionItemBlock] = `An action item may be up to ${ACTION_ITEM_MAX} characters.`;
  const competency = s.competencyId ? deps.rubrics.byId.get(s.competencyId) : undefined;
  if (!competency) errors[ids.competencyBlock] = 'Choose the competency this is about.';
  if (!check.ok || !competency || Object.keys(errors).length) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  const meta = parseMeta(view.private_metadata);
  const now = deps.now();
  const fields = {
    competency_id: competency.id,
    competency_name: competency.name,
    text: check.text,
    rating: s.rating ?? null,
    needs_help: s.options.includes(IDS.options.needsHelp),
    private: s.options.includes(IDS.options.private),
    evidence_url: s.evidenceUrl ?? null,
  };
  let answered: Nudge | undefined;
  let saved: Checkin | 'not-joined' | 'not-editable';
  try {
    saved = await withDeadline(
      (async () => {
        const member = await getMember(deps.db, teamId, userId);
        if (!isJoined(member)) return 'not-joined' as const;
        if (meta.checkinId)
          return (await updateOwnCheckin(deps.db, meta.checkinId, userId, fields, now)) ?? ('not-editable' as const);
        const nudge = promptAnsweredByCheckin(
          await nudgeForWeek(deps.db, teamId, userId, localWeek(now, member.tz)),
          now,
          member.tz,
        );
        const nudgeId = nudge?.id ?? null;
        const { checkin, created } = await recordCheckin(deps.db, {
          ...fields,
          team_id: teamId,
          user_id: userId,
          source: 'modal',
          nudge_id: nudgeId,
          idempotency_key: `view:${view.id}`,
          created_at: now,
          updated_at: now,
        });
        if (created) deps.metrics.checkins.inc({ source: 'modal' });
        if (meta.incidentId) await saveReflection(deps.db, meta.incidentId, userId, checkin.id, actionItem, now);
        if (nudgeId) answered = await setNudgeOutcome(deps.db, nudgeId, userId, 'answered', now);
        return checkin;
      })(),
      DB_DEADLINE_MS,
      'saving a check-in',
    );
  } catch (err) {
    deps.logger.error({ err, teamId, userId }, 'modal check-in not saved');
    deps.metrics.checkinsNotSaved.inc({ source: 'modal' });
    await ack({ response_action: 'errors', errors: { [ids.textBlock]: NOT_CONFIRMED } });
    return;
  }
  if (saved === 'not-joined' || saved === 'not-editable') {
    const why =
      saved === 'not-joined'
        ? `${joinFirst()} Your text stays here until you do.`
        : `This check-in can no longer be edited (only your own, for ${EDIT_WINDOW_DAYS} days). Copy your text and use \`/checkin\` for a new one.`;
    await ack({ response_action: 'errors', errors: { [ids.textBlock]: why } });
    return;
  }
  await ack();
  // The clicked message is this prompt's only when the form was opened from it.
  if (answered) await showSettled(deps, client, answered, meta.nudgeId === answered.id ? meta : undefined);
  const message = savedMessage(saved, competency.name, Boolean(meta.checkinId));
  await client.chat.postMessage({ channel: userId, ...message });
  homes.changed(teamId, userId);
}
