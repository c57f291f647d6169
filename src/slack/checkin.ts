import { createHash } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { reflectionDm } from '../db/incidents.ts';
import { getMember, isJoined } from '../db/members.ts';
import type { IncidentParticipation, Nudge } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { checkText, EDIT_WINDOW_DAYS, RATINGS } from '../growth/checkin.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import { COMMANDS, IDS } from '../outbound/ids.ts';
import { ACTION_ITEM_MAX, type CheckinModalMeta, checkinModal } from '../outbound/views/checkin-modal.ts';
import { savedMessage } from '../outbound/views/checkin-saved.ts';
import { reflectedMessage } from '../outbound/views/incident.ts';
import { giveBack, joinFirst, notSaved, tooLong } from '../outbound/views/messages.ts';
import { quote } from '../outbound/views/progress.ts';
import { saveFormCheckin } from '../services/checkins.ts';
import { type QuickWrites, saveTypedCheckin } from '../services/typed-checkins.ts';
import { DB_DEADLINE_MS } from './deadline.ts';
import {
  type CommandAnswer,
  type CommandArgs,
  done,
  type FormAnswer,
  formErrors,
  formMeta,
  type Guarded,
  guardCommand,
  guardView,
  openView,
  reply,
  type SavingViewInput,
  savingViewInput,
} from './guard.ts';
import type { HomeRefresher } from './home-refresher.ts';
import { showSettled } from './nudge-actions.ts';
import { fromSlackText, readTyped } from './typed-text.ts';

/** The reflection DM loses its Reflect button once the reflection is saved. Best effort. */
async function showReflected(deps: Deps, client: WebClient, p: IncidentParticipation): Promise<void> {
  const where = await reflectionDm(deps.db, p);
  if (!where?.channel || !where.messageTs) return;
  const settled = reflectedMessage(p);
  try {
    await client.chat.update({
      channel: where.channel,
      ts: where.messageTs,
      text: settled.text,
      blocks: settled.blocks,
    });
  } catch (err) {
    deps.logger.warn({ err, participationId: p.id }, 'could not settle the reflection DM');
  }
}

export function registerCheckin(app: App, deps: Deps, homes: HomeRefresher, writes: QuickWrites): void {
  /** What a `/checkin` that failed says: the text given back, or that the form could not open. */
  const notDone = (args: CommandArgs) => {
    const typed = fromSlackText(args.command.text ?? '').trim();
    return typed ? `${notSaved()}\n${giveBack(typed)}` : FORM_NOT_OPENED;
  };
  app.command(
    COMMANDS.checkin,
    guardCommand(deps, {
      name: '/checkin',
      input: commandInput,
      late: notDone,
      failed: notDone,
      onFailure: (args) => {
        if ((args.command.text ?? '').trim()) deps.metrics.checkinsNotSaved.inc({ source: 'command' });
      },
      run: (g) => handleCheckinCommand(g, homes, writes),
    }),
  );
  app.view(
    IDS.checkinModal,
    guardView(deps, {
      name: 'check-in form',
      input: savingViewInput,
      errorBlock: IDS.checkin.textBlock,
      late: NOT_CONFIRMED,
      failed: NOT_CONFIRMED,
      onFailure: () => deps.metrics.checkinsNotSaved.inc({ source: 'modal' }),
      run: (g) => handleCheckinSubmission(g, homes),
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
const FORM_NOT_OPENED =
  'Sorry, I cannot open the check-in form just now: the database did not answer. Please try again in a minute.';

/** Same person, same day, same words: the same check-in, however often it arrives. */
function commandKey(teamId: string, userId: string, text: string, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  return `command:${createHash('sha256').update(`${teamId}\n${userId}\n${day}\n${text}`).digest('hex').slice(0, 40)}`;
}

async function handleCheckinCommand(
  g: Guarded<z.infer<typeof commandInput>>,
  homes: HomeRefresher,
  writes: QuickWrites,
): Promise<CommandAnswer> {
  const { deps, teamId, userId } = g;
  const raw = await g.db(readTyped(deps.db, teamId, g.input.text), 'reading the names mentioned');
  if (raw.trim() === '') return openCheckinModal(g);
  const check = checkText(raw);
  if (!check.ok) {
    const why =
      check.reason === 'too-long'
        ? tooLong(check.length)
        : 'Nothing was stored: that check-in has no words in it, only invisible characters.';
    return reply(`${why}\n${giveBack(raw)}`);
  }
  const saved = await g.db(saveQuickCheckin(deps, writes, teamId, userId, check.text, raw.trim()), 'saving a check-in');
  return reply(saved.reply, {
    after: async () => {
      if (saved.answered) await showSettled(deps, g.slack, saved.answered);
      if (saved.stored) homes.changed(teamId, userId);
    },
  });
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

/** A trigger lasts 3 s and works once: one quick read, then the guard opens the modal before anything else. */
async function openCheckinModal(g: Guarded<unknown>): Promise<CommandAnswer> {
  const member = await g.db(getMember(g.deps.db, g.teamId, g.userId), 'reading a member', DB_DEADLINE_MS / 2);
  if (!isJoined(member)) return reply(joinFirst());
  return openView(checkinModal({ competencies: checkinCompetencies(g.deps.rubrics, member.level) }));
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
function readSubmission(values: unknown): z.infer<typeof submissionSchema> {
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
  return formMeta(metaSchema, s) ?? {};
}

async function handleCheckinSubmission(g: Guarded<SavingViewInput>, homes: HomeRefresher): Promise<FormAnswer> {
  const { deps, teamId, userId } = g;
  const ids = IDS.checkin;
  const s = readSubmission(g.input.state?.values);
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
  const needsHelp = s.options.includes(IDS.options.needsHelp);
  const isPrivate = s.options.includes(IDS.options.private);
  if (!check.ok || !competency || Object.keys(errors).length) return formErrors(errors);
  const meta = parseMeta(g.input.private_metadata);
  const saved = await g.db(
    saveFormCheckin(deps, deps.db, {
      teamId,
      userId,
      competency,
      text: check.text,
      rating: s.rating ?? null,
      needsHelp,
      isPrivate,
      evidenceUrl: s.evidenceUrl ?? null,
      formId: g.input.id,
      nudgeId: meta.nudgeId,
      checkinId: meta.checkinId,
      incidentId: meta.incidentId,
      actionItem,
    }),
    'saving a check-in',
  );
  if (saved.kind !== 'saved') {
    const refusal = {
      'not-joined': [ids.textBlock, `${joinFirst()} Your text stays here until you do.`],
      'not-editable': [
        ids.textBlock,
        `This check-in can no longer be edited (only your own, for ${EDIT_WINDOW_DAYS} days). Copy your text and use \`/checkin\` for a new one.`,
      ],
      'private-help': [ids.optionsBlock, saved.kind === 'private-help' ? saved.why : ''],
    }[saved.kind];
    return formErrors({ [refusal[0]!]: refusal[1]! });
  }
  const { answered, reflected } = saved;
  return done(async () => {
    // The clicked message is this prompt's only when the form was opened from it.
    if (answered) await showSettled(deps, g.slack, answered, meta.nudgeId === answered.id ? meta : undefined);
    if (reflected) await showReflected(deps, g.slack, reflected);
    const message = savedMessage(saved.checkin, competency.name, saved.edited);
    await g.slack.chat.postMessage({ channel: userId, ...message });
    homes.changed(teamId, userId);
  });
}
