import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { KnownBlock, View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { DB_DEADLINE_MS, DeadlineError, withDeadline } from './deadline.ts';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
export type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
/** What Bolt passes a listener of event `E`. */
type BoltEventArgs<E extends string = string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;
/** Events carry no ack of their own (Bolt acked them on arrival); the guard gives them a no-op one. */
export type EventArgs<E extends string = string> = Omit<BoltEventArgs<E>, 'ack'> & { ack: () => Promise<void> };

/** Every listener the guard made: a test checks that Slack reaches the app through no other. */
const guarded = new WeakSet<object>();
export const isGuarded = (listener: unknown): boolean => typeof listener === 'function' && guarded.has(listener);
const mark = <F extends object>(listener: F): F => (guarded.add(listener), listener);

/** The guard answers for a handler that has not acked by then (Slack gives up at 3 s). */
const ACK_BY_MS = 2_500;

/** Said when a change was asked for and its outcome is unknown: it may still land. */
export const UNCONFIRMED = 'I could not confirm that in time; `/growth me` shows in a minute whether it took.';
/** Said when something failed on our side. */
export const SORRY = 'Sorry, something went wrong on my side. Please try again in a minute.';
/** Said when a payload is not what Slack sends. */
const UNREADABLE = 'Sorry, I could not read that request. Please try again.';

/** What a guarded handler gets: its parsed input, the database deadline, and the Slack client. */
export interface Guarded<I> {
  deps: Deps;
  /** The payload, parsed by the handler's zod schema. */
  input: I;
  teamId: string;
  userId: string;
  /**
   * Races database work against the deadline (`ms`, default `DB_DEADLINE_MS`); a `DeadlineError`
   * reaches the guard, which answers honestly.
   */
  db<T>(work: Promise<T>, what: string, ms?: number): Promise<T>;
  /** Slack's Web API, for what the handler sends besides its answer (a DM, a message updated). */
  slack: WebClient;
  /** The bot's own user id in this workspace, where Bolt knows it. */
  botUserId: string | undefined;
}

/** Work the guard runs once the answer is out; its failure reaches the person after the ack. */
type After = () => Promise<void>;

/**
 * What a handler answers; the guard acks with it. `reply` is ephemeral for a command and a DM for
 * a button or a form; `errors` keeps a form open with a sentence under each named block; `open`
 * opens a modal with the trigger the request carried; `replace` rewrites the message a button is
 * in. `after` runs once the answer is out.
 */
export type Answer =
  | { kind: 'reply'; text: string; blocks?: KnownBlock[] | undefined; after?: After | undefined }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'open'; view: View; after?: After | undefined }
  | { kind: 'replace'; text: string; after?: After | undefined }
  | { kind: 'done'; after?: After | undefined };
type Of<K extends Answer['kind']> = Extract<Answer, { kind: K }>;
export type CommandAnswer = Of<'reply' | 'open' | 'done'>;
export type ButtonAnswer = Of<'reply' | 'open' | 'replace' | 'done'>;
export type FormAnswer = Of<'reply' | 'errors' | 'done'>;

/** Builders for the answers, so a handler reads `return reply('…')`. */
export const reply = (text: string, more: { blocks?: KnownBlock[] | undefined; after?: After } = {}) =>
  ({ kind: 'reply', text, ...more }) as const;
export const formErrors = (errors: Record<string, string>) => ({ kind: 'errors', errors }) as const;
export const openView = (view: View, after?: After) => ({ kind: 'open', view, after }) as const;
export const replace = (text: string, after?: After) => ({ kind: 'replace', text, after }) as const;
export const done = (after?: After) => ({ kind: 'done', after }) as const;

/** How a guarded handler is described. `input` parses the part of the body it reads. */
export interface GuardSpec<A, S extends z.ZodType, R = void> {
  /** Names the handler in logs: `/growth`, `pause form`. */
  name: string;
  input: S;
  run: (g: Guarded<z.infer<S>>) => Promise<R | void>;
  /** Said when the deadline passed before the handler answered. Default `UNCONFIRMED`. */
  late?: string | ((args: A) => string);
  /** Said when the handler's own work failed (not Slack, after it). Default `SORRY`. */
  failed?: string | ((args: A) => string);
  /** Called once when the handler failed or missed its deadline (to count what was not saved). */
  onFailure?: (args: A) => void;
}

/** How each kind of surface talks to the person, before and after its ack. */
interface Channel {
  /** Acks with a sentence for the person (or plainly, when the surface cannot carry one). */
  answer(text: string): Promise<void>;
  /** Tells the person after the ack. */
  tell(text: string): Promise<void>;
  /** The answer came after the guard had acked for it: pass on what it can still carry. */
  lateAck?(response: unknown): Promise<void>;
  /** Acks with the handler's answer (or plainly) and says what it holds. */
  render(answer: Answer | undefined): Promise<void>;
}

interface Who {
  teamId: string;
  userId: string;
}

function dm(client: WebClient, userId: string) {
  return async (text: string) => {
    if (userId) await client.chat.postMessage({ channel: userId, text });
  };
}

/**
 * The one error path: logs with context (never what the person wrote) and says a short, kind
 * sentence through whatever the surface still allows.
 */
export async function reportError(
  deps: Deps,
  where: { name: string } & Who,
  err: unknown,
  say?: (text: string) => Promise<void>,
  text = SORRY,
) {
  const code = (err as { code?: unknown } | null)?.code;
  deps.logger.error(
    { err, code, handler: where.name, teamId: where.teamId, userId: where.userId },
    `${where.name} failed`,
  );
  try {
    await say?.(text);
  } catch (sayErr) {
    deps.logger.warn(
      { err: sayErr, handler: where.name, userId: where.userId },
      `${where.name}: could not tell the person`,
    );
  }
}

function textFor<A>(said: string | ((args: A) => string) | undefined, args: A, otherwise: string): string {
  return typeof said === 'function' ? said(args) : (said ?? otherwise);
}
const lateText = <A>(spec: { late?: string | ((args: A) => string) }, args: A) => textFor(spec.late, args, UNCONFIRMED);

function guard<A extends AllMiddlewareArgs & { ack: (r?: never) => Promise<void> }, S extends z.ZodType, R>(
  deps: Deps,
  spec: GuardSpec<A, S, R>,
  body: (args: A) => unknown,
  who: (args: A) => Who,
  channel: (args: A, ack: (r?: unknown) => Promise<void>, who: Who) => Channel,
  /** Ack before the handler runs (a button: its answer goes by DM or a modal anyway). */
  ackFirst = false,
): (args: A) => Promise<void> {
  return mark(async (args: A) => {
    const w = who(args);
    const where = { name: spec.name, ...w };
    const boltAck = args.ack as (r?: unknown) => Promise<void>;
    let acked = false;
    // The channel speaks through this ack, and this ack hands late answers to the channel.
    const late: { ack?: Channel['lateAck'] } = {};
    const ack = async (r?: unknown) => {
      if (acked) {
        await late.ack?.(r);
        return;
      }
      acked = true;
      clearTimeout(timer);
      await boltAck(r);
    };
    const ch = channel(args, ack, w);
    late.ack = ch.lateAck;
    const timer = setTimeout(() => {
      if (acked) return;
      deps.logger.warn({ handler: spec.name, userId: w.userId }, `${spec.name}: no answer within ${ACK_BY_MS} ms`);
      void ch.answer(lateText(spec, args)).catch((err: unknown) => reportError(deps, where, err));
    }, ACK_BY_MS);
    let ran = false;
    try {
      const parsed = spec.input.safeParse(body(args));
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code }));
        deps.logger.warn({ handler: spec.name, userId: w.userId, issues }, `${spec.name}: payload not understood`);
        await ch.answer(UNREADABLE);
        return;
      }
      const g: Guarded<z.infer<S>> = {
        deps,
        input: parsed.data,
        ...w,
        db: (work, what, ms = DB_DEADLINE_MS) => withDeadline(work, ms, what),
        slack: args.client,
        botUserId: args.context.botUserId,
      };
      if (ackFirst) await ack();
      const answer = ((await spec.run(g)) ?? undefined) as Answer | undefined;
      // The work is done: a failure from here on is Slack's, and `late`/`failed` no longer apply.
      ran = true;
      await ch.render(answer);
      if (answer && 'after' in answer && answer.after) {
        try {
          await answer.after();
        } catch (err) {
          await reportError(deps, where, err, ch.tell);
        }
      }
    } catch (err) {
      if (!ran) spec.onFailure?.(args);
      const text = ran
        ? SORRY
        : err instanceof DeadlineError
          ? lateText(spec, args)
          : textFor(spec.failed, args, SORRY);
      await reportError(deps, where, err, acked ? ch.tell : ch.answer, text);
    } finally {
      clearTimeout(timer);
      deps.logger.debug({ handler: spec.name, userId: w.userId }, `${spec.name} done`);
    }
  });
}

/** A slash command: its ack carries the reply; a late result goes by `respond`. */
export function guardCommand<S extends z.ZodType>(deps: Deps, spec: GuardSpec<CommandArgs, S, CommandAnswer>) {
  return guard(
    deps,
    spec,
    (a) => a.command,
    (a) => ({ teamId: a.command.team_id, userId: a.command.user_id }),
    (a, ack) => ({
      answer: (text) => ack({ response_type: 'ephemeral', text }),
      tell: async (text) => void (await a.respond({ response_type: 'ephemeral', text })),
      lateAck: async (r) => {
        const late = r as { text?: string; blocks?: unknown[] } | undefined;
        if (late?.text)
          await a.respond({
            response_type: 'ephemeral',
            text: late.text,
            ...(late.blocks ? { blocks: late.blocks as never } : {}),
          });
      },
      render: async (answer) => {
        if (answer?.kind === 'reply' || answer?.kind === 'replace') {
          const blocks = answer.kind === 'reply' ? answer.blocks : undefined;
          await ack({ response_type: 'ephemeral', text: answer.text, ...(blocks ? { blocks } : {}) });
          return;
        }
        await ack();
        if (answer?.kind === 'open') await a.client.views.open({ trigger_id: a.command.trigger_id, view: answer.view });
      },
    }),
  );
}

/** A button: acked before its handler runs; its reply goes by DM. */
export function guardAction<S extends z.ZodType>(deps: Deps, spec: GuardSpec<ButtonArgs, S, ButtonAnswer>) {
  return guard(
    deps,
    spec,
    (a) => a.body,
    (a) => ({ teamId: a.body.team?.id ?? a.body.user.team_id ?? '', userId: a.body.user.id }),
    (a, ack, w) => ({
      answer: async (text) => {
        await ack();
        await dm(a.client, w.userId)(text);
      },
      tell: dm(a.client, w.userId),
      render: async (answer) => {
        await ack();
        if (answer?.kind === 'reply') await dm(a.client, w.userId)(answer.text);
        else if (answer?.kind === 'open')
          await a.client.views.open({ trigger_id: a.body.trigger_id, view: answer.view });
        else if (answer?.kind === 'replace') {
          // The message clicked in is rewritten where there is one, else the words go by DM. Best
          // effort: the work is done whatever Slack answers.
          const say = a.respond
            ? a.respond({ replace_original: true, text: answer.text })
            : dm(a.client, w.userId)(answer.text);
          await say.catch((err: unknown) =>
            deps.logger.warn({ err, handler: spec.name }, `${spec.name}: could not say it`),
          );
        }
      },
    }),
    true,
  );
}

/**
 * A modal's submission. `errorBlock` is the block that carries a sentence when the work could not
 * be confirmed: the modal stays open with everything typed in it.
 */
export function guardView<S extends z.ZodType>(
  deps: Deps,
  spec: GuardSpec<SubmissionArgs, S, FormAnswer> & { errorBlock: string },
) {
  return guard(
    deps,
    spec,
    (a) => a.view,
    (a) => ({ teamId: a.view.team_id || a.body.team?.id || '', userId: a.body.user.id }),
    (a, ack, w) => ({
      answer: (text) => ack({ response_action: 'errors', errors: { [spec.errorBlock]: text } }),
      tell: dm(a.client, w.userId),
      render: async (answer) => {
        if (answer?.kind === 'errors') {
          await ack({ response_action: 'errors', errors: answer.errors });
          return;
        }
        await ack();
        if (answer?.kind === 'reply') await dm(a.client, w.userId)(answer.text);
      },
    }),
  );
}

/**
 * An event (any type: Home opened, a DM, a channel joined): Bolt acked it on arrival, so the
 * guard counts it answered at once. Its input is parsed, its database work raced against the
 * deadline, and a failure is logged; nobody is messaged unasked (an event that owes the person
 * a word, like a DM check-in that could not be confirmed, names how in `tell`).
 */
export function guardEvent<E extends string, S extends z.ZodType>(
  deps: Deps,
  spec: GuardSpec<EventArgs<E>, S, Of<'done'>> & {
    /** Where an event owes someone a word when it fails (a DM check-in): how to say it. */
    tell?: (input: z.infer<S>, slack: WebClient) => ((text: string) => Promise<void>) | undefined;
  },
) {
  const run = guard(
    deps,
    spec,
    (a) => a.body,
    (a) => ({ teamId: a.context.teamId ?? a.body.team_id ?? '', userId: userOf(a.event) }),
    (a) => ({
      answer: async () => undefined,
      tell: async (text) => {
        const parsed = spec.input.safeParse(a.body);
        if (parsed.success) await spec.tell?.(parsed.data, a.client)?.(text);
      },
      render: async () => undefined,
    }),
    true,
  );
  return mark((args: BoltEventArgs<E>) => run({ ...args, ack: async () => undefined } as EventArgs<E>));
}

/** The person an event is about, where it names one (`user` is absent from some events). */
function userOf(event: unknown): string {
  const user = (event as { user?: unknown } | null)?.user;
  return typeof user === 'string' ? user : '';
}

/** A view submission as the guard checks it: its state is blocks of actions, each read with `formValue`. */
export const viewInput = z.object({
  team_id: z.string().optional(),
  private_metadata: z.string().max(3000).optional(),
  state: z.object({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }).optional(),
});
export type ViewInput = z.infer<typeof viewInput>;
/** A form that stores what it sends, with its id: a second submission of the same form stores nothing twice. */
export const savingViewInput = viewInput.extend({ id: z.string().min(1).max(40) });
export type SavingViewInput = z.infer<typeof savingViewInput>;

/** Common shapes of a form element's state. */
export const FORM = {
  option: z.object({ selected_option: z.object({ value: z.string().max(200) }).nullish() }),
  options: z.object({ selected_options: z.array(z.object({ value: z.string().max(200) })).nullish() }),
  date: z.object({ selected_date: z.string().max(20).nullish() }),
  time: z.object({ selected_time: z.string().max(20).nullish() }),
  text: z.object({ value: z.string().nullish() }),
};

/** One element's state parsed with its schema; `undefined` when absent or not of that shape. */
export function formValue<S extends z.ZodType>(
  input: ViewInput,
  block: string,
  action: string,
  schema: S,
): z.infer<S> | undefined {
  const parsed = schema.safeParse(input.state?.values[block]?.[action]);
  return parsed.success ? parsed.data : undefined;
}

/** A form's private_metadata parsed with its schema; `undefined` when absent, not JSON or not of that shape. */
export function formMeta<S extends z.ZodType>(schema: S, raw: string | undefined): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A button click as the guard checks it: who clicked, and the button's value (an id, mostly).
 * The values we put on buttons never hold a NUL, which Postgres refuses in any text: a click
 * carrying one is not ours, and is not understood rather than sent on to a query.
 */
export const buttonInput = z.object({
  user: z.object({ id: z.string().min(1) }),
  actions: z
    .array(
      z.object({
        value: z
          .string()
          .max(2000)
          .refine((v) => !v.includes('\u0000'), 'holds a NUL')
          .optional(),
      }),
    )
    .min(1),
  trigger_id: z.string().optional(),
  /** Where the clicked message is (absent for a button in a modal or on Home). */
  channel: z
    .object({ id: z.string().max(40) })
    .optional()
    .catch(undefined),
  message: z
    .object({ ts: z.string().max(40) })
    .optional()
    .catch(undefined),
  container: z
    .object({ channel_id: z.string().max(40).optional(), message_ts: z.string().max(40).optional() })
    .optional()
    .catch(undefined),
});
export type ButtonInput = z.infer<typeof buttonInput>;

/** The clicked button's value; '' when it has none. */
export const buttonValue = (input: ButtonInput): string => input.actions[0]?.value ?? '';
