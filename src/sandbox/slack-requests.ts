// Requests INTO the app, shaped and signed the way Slack sends them, so the app's real
// signature check and body parsing are exercised rather than bypassed.
import { createHmac, randomBytes } from 'node:crypto';

export interface SlackRequest {
  body: string;
  contentType: string;
  payload: Record<string, unknown>;
}
export interface SendResult {
  status: number;
  text: string;
  json?: unknown;
}
type Overrides = Record<string, unknown>;

const TEAM_ID = 'T0TEST';
const API_APP_ID = 'A0TEST';
const VERIFICATION_TOKEN = 'legacy-verification-token';
// Slack stopped sending a usable response_url to apps that ignore it; pointing at a closed
// port makes any accidental dependency on it fail loudly.
const DEAD_RESPONSE_URL = 'http://127.0.0.1:9/commands/response';

export const randomTriggerId = (): string =>
  `${Date.now()}.${randomBytes(6).readUIntBE(0, 6)}.${randomBytes(16).toString('hex')}`;
const nowTs = (): string => (Date.now() / 1000).toFixed(6);
const form = (payload: Record<string, unknown>): SlackRequest => ({
  body: new URLSearchParams(
    Object.entries(payload)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]): [string, string] => [k, String(v)]),
  ).toString(),
  contentType: 'application/x-www-form-urlencoded',
  payload,
});
// Interactivity payloads arrive form-encoded with the JSON in a single `payload` field.
const interactive = (payload: Record<string, unknown>): SlackRequest => ({
  body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
  contentType: 'application/x-www-form-urlencoded',
  payload,
});
const userObj = (id: string, teamId: string): Record<string, unknown> => ({
  id,
  username: id.toLowerCase(),
  name: id.toLowerCase(),
  team_id: teamId,
});

export function signSlackRequest(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function slashCommand(
  o: {
    command?: string;
    text: string;
    user_id: string;
    team_id?: string;
    trigger_id?: string;
    response_url?: string;
  } & Overrides,
): SlackRequest {
  const teamId = o.team_id ?? TEAM_ID;
  return form({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: 'test',
    channel_id: `D${o.user_id.slice(1)}`,
    channel_name: 'directmessage',
    user_name: o.user_id.toLowerCase(),
    command: '/growth',
    api_app_id: API_APP_ID,
    is_enterprise_install: 'false',
    response_url: DEAD_RESPONSE_URL,
    trigger_id: randomTriggerId(),
    ...o,
  });
}

export function blockAction(
  o: {
    user: string;
    action_id: string;
    value?: string;
    block_id?: string;
    view?: Record<string, unknown>;
    message?: Record<string, unknown>;
    container?: Record<string, unknown>;
    trigger_id?: string;
    team_id?: string;
  } & Overrides,
): SlackRequest {
  const { user, action_id, value, block_id, view, message, container, trigger_id, team_id, ...rest } = o;
  const teamId = team_id ?? TEAM_ID;
  const channelId = (message?.channel as string | undefined) ?? `D${user.slice(1)}`;
  const defaultContainer = view
    ? { type: 'view', view_id: view.id }
    : message
      ? { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: false }
      : { type: 'message', message_ts: nowTs(), channel_id: channelId, is_ephemeral: false };
  return interactive({
    type: 'block_actions',
    user: userObj(user, teamId),
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    container: container ?? defaultContainer,
    trigger_id: trigger_id ?? randomTriggerId(),
    team: { id: teamId, domain: 'test' },
    enterprise: null,
    is_enterprise_install: false,
    ...(view ? { view } : { channel: { id: channelId, name: 'directmessage' }, response_url: DEAD_RESPONSE_URL }),
    ...(message ? { message } : {}),
    actions: [
      {
        type: 'button',
        action_id,
        block_id: block_id ?? 'actions',
        action_ts: nowTs(),
        text: { type: 'plain_text', text: action_id, emoji: true },
        ...(value === undefined ? {} : { value }),
      },
    ],
    ...rest,
  });
}

/** `values` is Slack's `view.state.values[block_id][action_id]` shape; see the *Value helpers. */
export function viewSubmission(
  o: {
    user: string;
    callback_id: string;
    private_metadata?: string;
    values: Record<string, Record<string, unknown>>;
    view_id?: string;
    team_id?: string;
    trigger_id?: string;
    view?: Overrides;
  } & Overrides,
): SlackRequest {
  const { user, callback_id, private_metadata, values, view_id, team_id, trigger_id, view, ...rest } = o;
  const teamId = team_id ?? TEAM_ID;
  return interactive({
    type: 'view_submission',
    team: { id: teamId, domain: 'test' },
    user: userObj(user, teamId),
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: trigger_id ?? randomTriggerId(),
    view: {
      id: view_id ?? 'V0SUBMIT',
      team_id: teamId,
      type: 'modal',
      callback_id,
      private_metadata: private_metadata ?? '',
      title: { type: 'plain_text', text: 'growthbot' },
      blocks: [],
      state: { values },
      hash: `${Date.now()}.hash`,
      app_id: API_APP_ID,
      bot_id: 'BBOT',
      root_view_id: view_id ?? 'V0SUBMIT',
      previous_view_id: null,
      ...view,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
    ...rest,
  });
}

// State-value shapes per element type, as Slack reports them in view.state.values.
export const textValue = (value: string | null): Record<string, unknown> => ({ type: 'plain_text_input', value });
export const selectValue = (value: string | null): Record<string, unknown> => ({
  type: 'static_select',
  selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value },
});
export const radioValue = (value: string | null): Record<string, unknown> => ({
  type: 'radio_buttons',
  selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value },
});
export const checkboxesValue = (values: string[]): Record<string, unknown> => ({
  type: 'checkboxes',
  selected_options: values.map((value) => ({ text: { type: 'plain_text', text: value }, value })),
});
export const timeValue = (hhmm: string | null): Record<string, unknown> => ({
  type: 'timepicker',
  selected_time: hhmm,
});

export function eventCallback(
  event: Record<string, unknown>,
  o: { team_id?: string; bot_user_id?: string } & Overrides = {},
): SlackRequest {
  const { team_id, bot_user_id, ...rest } = o;
  const teamId = team_id ?? TEAM_ID;
  const payload = {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: API_APP_ID,
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: bot_user_id ?? 'UBOT',
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(8).toString('hex')}`,
    ...rest,
  };
  return { body: JSON.stringify(payload), contentType: 'application/json', payload };
}

export function appHomeOpened(
  o: { user: string; tab?: 'home' | 'messages'; view?: Record<string, unknown> } & Overrides,
): SlackRequest {
  const { user, tab, view, ...rest } = o;
  return eventCallback(
    {
      type: 'app_home_opened',
      user,
      channel: `D${user.slice(1)}`,
      tab: tab ?? 'home',
      event_ts: nowTs(),
      ...(view ? { view } : {}),
    },
    rest,
  );
}

/** A person's message in the bot's DM (`message.im`), as Slack sends it. */
export function dmMessage(o: { user: string; text: string; ts?: string; channel?: string } & Overrides): SlackRequest {
  const { user, text, ts, channel, ...rest } = o;
  const at = ts ?? nowTs();
  return eventCallback({
    type: 'message',
    channel: channel ?? `D${user.slice(1)}`,
    user,
    text,
    ts: at,
    event_ts: at,
    team: TEAM_ID,
    client_msg_id: randomBytes(16).toString('hex'),
    channel_type: 'im',
    blocks: [
      {
        type: 'rich_text',
        block_id: 'b1',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
      },
    ],
    ...rest,
  });
}

/** The person edited their DM message `ts` (`message_changed`). */
export function dmEdited(o: {
  user: string;
  ts: string;
  text: string;
  before: string;
  channel?: string;
}): SlackRequest {
  const at = nowTs();
  return eventCallback({
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: o.channel ?? `D${o.user.slice(1)}`,
    channel_type: 'im',
    ts: at,
    event_ts: at,
    message: { type: 'message', user: o.user, text: o.text, ts: o.ts, edited: { user: o.user, ts: at }, team: TEAM_ID },
    previous_message: { type: 'message', user: o.user, text: o.before, ts: o.ts, team: TEAM_ID },
  });
}

/** The person deleted their DM message `ts` (`message_deleted`). */
export function dmDeleted(o: { user: string; ts: string; before: string; channel?: string }): SlackRequest {
  const at = nowTs();
  return eventCallback({
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: o.channel ?? `D${o.user.slice(1)}`,
    channel_type: 'im',
    ts: at,
    event_ts: at,
    deleted_ts: o.ts,
    previous_message: { type: 'message', user: o.user, text: o.before, ts: o.ts, team: TEAM_ID },
  });
}

export async function send(
  baseUrl: string,
  req: { body: string; contentType: string },
  opts: { secret: string; timestamp?: number; signature?: string | null; headers?: Record<string, string> },
): Promise<SendResult> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'Content-Type': req.contentType, ...opts.headers };
  if (opts.signature !== null) {
    headers['X-Slack-Request-Timestamp'] = String(timestamp);
    headers['X-Slack-Signature'] = opts.signature ?? signSlackRequest(opts.secret, timestamp, req.body);
  }
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/slack/events`, { method: 'POST', headers, body: req.body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return json === undefined ? { status: res.status, text } : { status: res.status, text, json };
}
