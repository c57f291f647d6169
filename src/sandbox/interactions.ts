// What the page does, turned into what Slack would send the app (signed slash commands,
// block_actions, view_submission, view_closed, message events), and the app's answers applied
// as Slack applies them: acks as ephemeral replies, response_action on the modal stack.
import { viewProblems } from './block-kit.ts';
import { readManifest } from './slack-methods.ts';
import { blockAction, eventCallback, slashCommand, viewSubmission } from './slack-requests.ts';
import type { Sandbox } from './types.ts';
import { messageJson } from './web-api.ts';
import { dmFor, type Obj, type StoredView } from './workspace.ts';

export type Answer = Obj & { ok: boolean };
export const no = (error: string, extra: Obj = {}): Answer => ({ ok: false, error, ...extra });
const ctxOf = (s: Sandbox) => ({
  ws: s.standIn.workspace,
  users: s.standIn.users,
  channels: new Map(),
  teamId: 'T0TEST',
  botUserId: 'UBOT',
  origin: '',
});
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function ephemeralReply(s: Sandbox, user: string, body: unknown): void {
  if (!isObj(body) || (body.text === undefined && body.blocks === undefined)) return;
  s.standIn.workspace.post({
    channel: dmFor(user),
    from: 'bot',
    user: 'UBOT',
    text: String(body.text ?? ''),
    ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    ephemeral: body.response_type !== 'in_channel',
  });
}

export async function command(s: Sandbox, user: string, text: string): Promise<Answer> {
  const m = /^\s*(\/\w+)\s*([\s\S]*)$/.exec(text);
  if (!m || !['/growth', '/checkin'].includes(m[1]!)) return no('Only /growth and /checkin are commands here.');
  const res = await s.send(
    slashCommand({
      command: m[1]!,
      text: m[2]!.trim(),
      user_id: user,
      response_url: s.standIn.responseUrl(user),
      trigger_id: s.standIn.issueTrigger(user),
    }),
    user,
  );
  if (res.status !== 200)
    return no(
      `The app answered ${res.status}: Slack would show "${m[1]} failed with the error \u201cdispatch_failed\u201d".`,
    );
  ephemeralReply(s, user, res.json ?? (res.text ? { text: res.text } : undefined));
  return { ok: true };
}

export async function message(s: Sandbox, user: string, text: string): Promise<Answer> {
  const ws = s.standIn.workspace;
  const m = ws.post({ channel: dmFor(user), from: 'user', user, text, ephemeral: false });
  // Slack delivers message.im only to apps subscribed to it in their manifest.
  if (readManifest().botEvents.includes('message.im')) {
    await s.send(
      eventCallback({
        type: 'message',
        channel_type: 'im',
        channel: dmFor(user),
        user,
        text,
        ts: m.ts,
        event_ts: m.ts,
      }),
      user,
    );
  }
  return { ok: true, ts: m.ts };
}

function findElement(blocks: unknown, blockId: string, actionId: string): Obj | undefined {
  for (const b of (Array.isArray(blocks) ? blocks : []) as Obj[]) {
    if (b.block_id !== undefined && b.block_id !== blockId) continue;
    const els = [b.accessory, b.element, ...((b.elements as unknown[]) ?? [])].filter(isObj);
    const el = els.find((e) => e.action_id === actionId);
    if (el) return { ...el, block_id: b.block_id ?? blockId };
  }
  return undefined;
}

export async function action(s: Sandbox, user: string, b: Obj): Promise<Answer> {
  const ws = s.standIn.workspace;
  const container = isObj(b.container) ? b.container : {};
  const actionId = String(b.action_id ?? '');
  let where: Obj;
  let blocks: unknown;
  let view: StoredView | undefined;
  if (container.type === 'message') {
    const m = ws.find(dmFor(user), String(container.ts));
    if (!m) return no('That message is gone.');
    blocks = m.blocks;
    where = {
      message: { ...messageJson(ctxOf(s), m), channel: dmFor(user) },
      container: { type: 'message', message_ts: m.ts, channel_id: dmFor(user), is_ephemeral: m.ephemeral },
      response_url: s.standIn.responseUrl(user, { messageTs: m.ts }),
    };
  } else {
    view =
      container.type === 'home' ? ws.homes.get(user) : ws.modals.get(user)?.find((v) => v.id === container.view_id);
    if (!view) return no('That view is not open.');
    blocks = view.view.blocks;
    where = { view: view.view, container: { type: 'view', view_id: view.id } };
  }
  const el = findElement(blocks, String(b.block_id ?? ''), actionId);
  if (!el) return no(`No element with action_id ${actionId} there.`);
  const picked = Object.fromEntries(
    ['value', 'selected_option', 'selected_options', 'selected_date', 'selected_time']
      .filter((k) => b[k] !== undefined)
      .map((k) => [k, b[k]]),
  );
  const act = {
    type: el.type,
    action_id: actionId,
    block_id: el.block_id,
    action_ts: ws.nextTs(),
    ...(el.type === 'button' ? { text: el.text, value: el.value } : {}),
    ...picked,
  };
  const res = await s.send(
    blockAction({ user, action_id: actionId, ...where, actions: [act], trigger_id: s.standIn.issueTrigger(user) }),
    user,
  );
  return res.status === 200 ? { ok: true } : no(`The app answered ${res.status}.`);
}

function inputBlockIds(view: Obj): Set<string> {
  return new Set(
    ((view.blocks as Obj[]) ?? []).filter((x) => x.type === 'input' && x.block_id).map((x) => String(x.block_id)),
  );
}

export async function submit(s: Sandbox, user: string, viewId: string, values: Obj): Promise<Answer> {
  const ws = s.standIn.workspace;
  const stack = ws.modals.get(user) ?? [];
  const i = stack.findIndex((v) => v.id === viewId);
  if (i === -1) return no('That modal is not open.');
  const v = stack[i]!;
  const res = await s.send(
    viewSubmission({
      user,
      callback_id: String(v.view.callback_id ?? ''),
      private_metadata: String(v.view.private_metadata ?? ''),
      values: values as Record<string, Obj>,
      view_id: v.id,
      view: { ...v.view, state: { values } },
      trigger_id: s.standIn.issueTrigger(user),
    }),
    user,
  );
  if (res.status !== 200)
    return no(`The app answered ${res.status}: Slack would show "We had some trouble connecting".`);
  const body = isObj(res.json) ? res.json : {};
  const errorsFor = s.errors;
  switch (body.response_action) {
    case 'errors': {
      const errors = isObj(body.errors) ? (body.errors as Record<string, string>) : {};
      const unknown = Object.keys(errors).filter((k) => !inputBlockIds(v.view).has(k));
      if (unknown.length)
        return no(`Slack refuses errors for block_ids that are not input blocks in the view: ${unknown.join(', ')}.`);
      errorsFor.set(v.id, errors);
      ws.changed();
      return { ok: false, errors };
    }
    case 'update':
    case 'push': {
      const problems = viewProblems(body.view, 'modal');
      if (problems.length) return no(`Slack would refuse that view: ${problems.join('; ')}`);
      if (body.response_action === 'push' && stack.length >= 3)
        return no('Slack refuses a fourth modal on the stack (push_limit_reached).');
      const id = body.response_action === 'update' ? v.id : ws.nextId('V');
      const stored = {
        id,
        user,
        view: ws.stamp(body.view as Obj, id, {
          root_view_id: stack[0]!.id,
          previous_view_id: body.response_action === 'push' ? v.id : v.view.previous_view_id,
        }),
      };
      errorsFor.delete(v.id);
      if (body.response_action === 'update') stack[i] = stored;
      else stack.push(stored);
      ws.changed();
      return { ok: true };
    }
    case 'clear':
      stack.length = 0;
      break;
    default:
      stack.splice(i, 1);
  }
  errorsFor.delete(v.id);
  ws.changed();
  return { ok: true };
}

export async function close(s: Sandbox, user: string, viewId: string): Promise<Answer> {
  const stack = s.standIn.workspace.modals.get(user) ?? [];
  const i = stack.findIndex((v) => v.id === viewId);
  if (i === -1) return no('That modal is not open.');
  const [v] = stack.splice(i, 1);
  s.errors.delete(viewId);
  s.standIn.workspace.changed();
  if (v!.view.notify_on_close === true) {
    await s.send(
      viewSubmission({
        user,
        callback_id: String(v!.view.callback_id ?? ''),
        values: {},
        view_id: v!.id,
        type: 'view_closed',
        is_cleared: false,
      }),
      user,
    );
  }
  return { ok: true };
}
