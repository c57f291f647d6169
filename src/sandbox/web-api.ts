// The Web API methods growthbot calls, answered from the stand-in's workspace the way Slack
// answers them: same result shapes, same error codes, same limits.
import { messageBlockProblems, viewProblems } from './block-kit.ts';
import { dmFor, type Obj, type StoredMessage, type Workspace } from './workspace.ts';

export interface StandInUser {
  id: string;
  tz?: string;
  name?: string;
  real_name?: string;
  email?: string;
  is_bot?: boolean;
  deleted?: boolean;
}
export interface StandInChannel {
  id: string;
  name: string;
  is_archived?: boolean;
  is_private?: boolean;
}
export type Result = Obj & { ok: boolean };
export interface Ctx {
  ws: Workspace;
  users: Map<string, StandInUser>;
  channels: Map<string, StandInChannel>;
  teamId: string;
  botUserId: string;
  origin: string;
}

export const fail = (error: string, extra: Obj = {}): Result => ({ ok: false, error, ...extra });
const invalid = (error: string, messages: string[]): Result => fail(error, { response_metadata: { messages } });
const MAX_TEXT = 40_000;

function tzOffsetSeconds(tz: string): number {
  const label =
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(label);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
}

const userJson = (c: Ctx, u: StandInUser): Obj => ({
  id: u.id,
  team_id: c.teamId,
  name: u.name ?? u.id.toLowerCase(),
  real_name: u.real_name ?? u.name ?? u.id,
  deleted: u.deleted ?? false,
  is_bot: u.is_bot ?? false,
  ...(u.tz ? { tz: u.tz, tz_label: u.tz, tz_offset: tzOffsetSeconds(u.tz) } : {}),
  profile: { email: u.email, real_name: u.real_name ?? u.name ?? u.id, display_name: u.name ?? '' },
});

export const messageJson = (c: Ctx, m: StoredMessage): Obj => ({
  type: 'message',
  text: m.text,
  ...(m.blocks ? { blocks: m.blocks } : {}),
  user: m.user,
  ...(m.from === 'bot' ? { bot_id: 'BBOT' } : {}),
  team: c.teamId,
  ts: m.ts,
  ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  ...(m.edited ? { edited: { user: m.user, ts: m.ts } } : {}),
  ...(m.files ? { files: m.files } : {}),
});

/** Slack's checks on a message's text and blocks: the error to answer, if any. */
export function messageProblem(a: Obj): Result | undefined {
  if ((a.text === undefined || a.text === '') && a.blocks === undefined && a.attachments === undefined)
    return fail('no_text');
  if (typeof a.text === 'string' && a.text.length > MAX_TEXT) return fail('msg_too_long');
  if (a.blocks !== undefined) {
    const problems = messageBlockProblems(a.blocks);
    if (problems.length) return invalid('invalid_blocks', problems);
  }
  return undefined;
}

function viewProblem(a: Obj, expect: 'modal' | 'home'): Result | undefined {
  const problems = viewProblems(a.view, expect);
  return problems.length ? invalid('invalid_arguments', problems) : undefined;
}

const asArray = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

export const METHODS: Record<string, (c: Ctx, a: Obj) => Result> = {
  'auth.test': (c) => ({
    ok: true,
    url: `${c.origin}/`,
    team: 'Sandbox',
    user: 'growthbot',
    team_id: c.teamId,
    user_id: c.botUserId,
    bot_id: 'BBOT',
  }),
  'users.info': (c, a) => {
    const u = c.users.get(String(a.user));
    return u ? { ok: true, user: userJson(c, u) } : fail('user_not_found');
  },
  'users.lookupByEmail': (c, a) => {
    const u = [...c.users.values()].find(
      (x) => x.email !== undefined && x.email.toLowerCase() === String(a.email).toLowerCase(),
    );
    return u ? { ok: true, user: userJson(c, u) } : fail('users_not_found');
  },
  'conversations.info': (c, a) => {
    const ch = c.channels.get(String(a.channel));
    return ch
      ? {
          ok: true,
          channel: {
            is_channel: !ch.is_private,
            is_private: ch.is_private ?? false,
            is_archived: ch.is_archived ?? false,
            ...ch,
          },
        }
      : fail('channel_not_found');
  },
  'conversations.open': (_c, a) => {
    const target = a.channel ?? String(a.users ?? '').split(',')[0];
    return target ? { ok: true, channel: { id: dmFor(String(target)) } } : fail('users_list_not_supplied');
  },
  'conversations.history': (c, a) => {
    const limit = Number(a.limit ?? 100);
    const all = (c.ws.conversations.get(String(a.channel)) ?? []).filter((m) => !m.ephemeral && !m.thread_ts).reverse();
    const withMeta = a.include_all_metadata === true || a.include_all_metadata === 'true';
    return {
      ok: true,
      has_more: all.length > limit,
      messages: all
        .slice(0, limit)
        .map((m) => ({ ...messageJson(c, m), ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) })),
    };
  },
  'chat.postMessage': (c, a) => {
    const problem = messageProblem(a);
    if (problem) return problem;
    const channel = dmFor(String(a.channel));
    const threadTs = a.thread_ts === undefined ? undefined : String(a.thread_ts);
    if (threadTs && !c.ws.find(channel, threadTs)) return fail('thread_not_found');
    const m = c.ws.post({
      channel,
      from: 'bot',
      user: c.botUserId,
      text: String(a.text ?? ''),
      ...(asArray(a.blocks) ? { blocks: a.blocks as unknown[] } : {}),
      ephemeral: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(a.metadata ? { metadata: a.metadata } : {}),
    });
    return { ok: true, channel, ts: m.ts, message: messageJson(c, m) };
  },
  'chat.postEphemeral': (c, a) => {
    const problem = messageProblem(a);
    if (problem) return problem;
    const m = c.ws.post({
      channel: dmFor(String(a.channel)),
      from: 'bot',
      user: c.botUserId,
      text: String(a.text ?? ''),
      ...(asArray(a.blocks) ? { blocks: a.blocks as unknown[] } : {}),
      ephemeral: true,
    });
    return { ok: true, message_ts: m.ts };
  },
  'chat.update': (c, a) => {
    const channel = dmFor(String(a.channel));
    const m = c.ws.find(channel, String(a.ts));
    if (!m || m.ephemeral) return fail('message_not_found');
    if (m.from !== 'bot') return fail('cant_update_message');
    if (a.text === undefined && a.blocks === undefined) return fail('no_text');
    const problem = messageProblem({ text: a.text ?? m.text, blocks: a.blocks });
    if (problem) return problem;
    if (a.text !== undefined) m.text = String(a.text);
    if (a.blocks !== undefined) m.blocks = a.blocks as unknown[];
    m.edited = true;
    c.ws.changed();
    return { ok: true, channel, ts: m.ts, text: m.text, message: messageJson(c, m) };
  },
  'chat.delete': (c, a) => {
    const channel = dmFor(String(a.channel));
    const m = c.ws.find(channel, String(a.ts));
    if (!m) return fail('message_not_found');
    if (m.from !== 'bot') return fail('cant_delete_message');
    c.ws.remove(channel, m.ts);
    return { ok: true, channel, ts: m.ts };
  },
  'views.open': (c, a) => {
    const bad = viewProblem(a, 'modal');
    if (bad) return bad;
    const trigger = c.ws.exchangeTrigger(a.trigger_id ?? a.interactivity_pointer);
    if ('error' in trigger) return fail(trigger.error);
    const id = c.ws.nextId('V');
    const stored = { id, user: trigger.user, view: c.ws.stamp(a.view as Obj, id) };
    c.ws.modals.set(trigger.user, [stored]);
    c.ws.changed();
    return { ok: true, view: stored.view };
  },
  'views.push': (c, a) => {
    const bad = viewProblem(a, 'modal');
    if (bad) return bad;
    const trigger = c.ws.exchangeTrigger(a.trigger_id ?? a.interactivity_pointer);
    if ('error' in trigger) return fail(trigger.error);
    const stack = c.ws.stack(trigger.user);
    if (stack.length === 0) return fail('not_found');
    if (stack.length >= 3) return fail('push_limit_reached');
    const id = c.ws.nextId('V');
    const root = stack[0]!.id;
    const stored = {
      id,
      user: trigger.user,
      view: c.ws.stamp(a.view as Obj, id, { root_view_id: root, previous_view_id: stack.at(-1)!.id }),
    };
    stack.push(stored);
    c.ws.changed();
    return { ok: true, view: stored.view };
  },
  'views.update': (c, a) => {
    if (a.view_id === undefined && a.external_id === undefined)
      return invalid('invalid_arguments', ['[ERROR] view_id or external_id is required']);
    const found = c.ws.findView(a);
    if (!found) return fail('not_found');
    const bad = viewProblem(a, found.list ? 'modal' : 'home');
    if (bad) return bad;
    if (a.hash !== undefined && a.hash !== '' && a.hash !== found.view.view.hash) return fail('hash_conflict');
    const { root_view_id, previous_view_id } = found.view.view;
    found.view.view = c.ws.stamp(a.view as Obj, found.view.id, { root_view_id, previous_view_id });
    c.ws.changed();
    return { ok: true, view: found.view.view };
  },
  'views.publish': (c, a) => {
    const bad = viewProblem(a, 'home');
    if (bad) return bad;
    const user = String(a.user_id);
    const home = c.ws.homes.get(user);
    if (home && a.hash !== undefined && a.hash !== '' && a.hash !== home.view.hash) return fail('hash_conflict');
    const id = home?.id ?? c.ws.nextId('V');
    const stored = { id, user, view: c.ws.stamp(a.view as Obj, id) };
    c.ws.homes.set(user, stored);
    c.ws.changed();
    return { ok: true, view: stored.view };
  },
  'files.getUploadURLExternal': (c, a) => {
    const length = Number(a.length);
    if (!Number.isInteger(length) || length < 0)
      return invalid('invalid_arguments', ['[ERROR] length must be an integer']);
    const id = c.ws.nextId('F');
    c.ws.files.set(id, { id, name: String(a.filename), length });
    return { ok: true, upload_url: `${c.origin}/upload/${id}`, file_id: id };
  },
  'files.completeUploadExternal': (c, a) => {
    const files = asArray(a.files) as { id?: string; title?: string }[] | undefined;
    if (!files?.length) return invalid('invalid_arguments', ['[ERROR] files must be a non-empty array']);
    const stored = files.map((f) => c.ws.files.get(String(f.id)));
    if (stored.some((f) => !f?.content)) return fail('file_not_found');
    const shared = stored.map((f, i) => ({ id: f!.id, name: f!.name, title: files[i]!.title ?? f!.name }));
    stored.forEach((f, i) => {
      f!.title = shared[i]!.title;
    });
    const channel = a.channel_id ?? a.channels;
    if (channel !== undefined && channel !== '') {
      c.ws.post({
        channel: dmFor(String(channel).split(',')[0]!),
        from: 'bot',
        user: c.botUserId,
        text: String(a.initial_comment ?? ''),
        ephemeral: false,
        files: shared,
        ...(a.thread_ts ? { thread_ts: String(a.thread_ts) } : {}),
      });
    }
    return { ok: true, files: shared.map((f) => ({ id: f.id, title: f.title, name: f.name })) };
  },
};
