// Incident channels in the demo workspace: the page makes the acting person join one, write in
// it and archive it, and the app hears each as Slack sends it (member_joined_channel; message
// with channel_type "channel", a channel_join subtype for the join; channel_archive). growthbot
// is in every channel made here, as a team that follows incident channels has invited it.
import { type Answer, no } from './interactions.ts';
import { eventCallback } from './slack-requests.ts';
import type { Sandbox } from './types.ts';

/** A channel as the page shows it: who joined, what was written (text as typed). */
export interface ChannelView {
  id: string;
  name: string;
  archived: boolean;
  members: string[];
  messages: { ts: string; user: string; text: string }[];
}

// Slack's rule for channel names: lower case letters, digits, hyphens and underscores, up to 80.
const NAME = /^[a-z0-9][a-z0-9_-]{0,79}$/;
const MAX_TEXT = 4_000;

/** A name as a person types it ("#Inc Checkout"), as Slack would make it, or why not. */
export function channelName(raw: unknown): { name: string } | { error: string } {
  const name = String(raw ?? '')
    .trim()
    .replace(/^#/, '')
    .toLowerCase()
    .replace(/\s+/g, '-');
  if (NAME.test(name)) return { name };
  return {
    error: 'A channel name is up to 80 lower case letters, digits, hyphens and underscores, e.g. inc-checkout-latency.',
  };
}

export function channelViews(s: Sandbox): ChannelView[] {
  const ws = s.standIn.workspace;
  return [...s.standIn.channels.values()].map((c) => ({
    id: c.id,
    name: c.name,
    archived: c.is_archived ?? false,
    members: s.channelMembers.get(c.id) ?? [],
    messages: (ws.conversations.get(c.id) ?? []).map((m) => ({ ts: m.ts, user: m.user, text: m.text })),
  }));
}

/** `join`, `say` (with `text`) or `archive` in the channel named `channel`, as `user`. */
export async function incidentChannel(s: Sandbox, user: string, b: Record<string, unknown>): Promise<Answer> {
  const named = channelName(b.channel);
  if ('error' in named) return no(named.error);
  const ws = s.standIn.workspace;
  const channels = s.standIn.channels;
  let ch = [...channels.values()].find((c) => c.name === named.name);
  if (ch?.is_archived) return no(`#${ch.name} is archived: name a new channel for another incident.`);
  const members = ch ? (s.channelMembers.get(ch.id) ?? []) : [];
  const event = (e: Record<string, unknown>) => s.send(eventCallback({ ...e, event_ts: ws.nextTs() }), user);
  const say = async (text: string, subtype?: string) => {
    const m = ws.post({ channel: ch!.id, from: 'user', user, text, ephemeral: false });
    return event({
      type: 'message',
      ...(subtype ? { subtype } : {}),
      channel: ch!.id,
      channel_type: 'channel',
      user,
      text,
      ts: m.ts,
      team: 'T0TEST',
    });
  };
  switch (b.do) {
    case 'join': {
      if (members.includes(user)) return no(`You are already in #${named.name}.`);
      // The app follows only channels its INCIDENT_CHANNEL_PATTERN names: say so, rather than
      // make a channel whose reflection would never come.
      const pattern = s.deps.config.incidentChannelPattern;
      if (!ch && pattern && !pattern.test(named.name))
        return no(`growthbot follows incident channels named inc-… here: try inc-${named.name}.`);
      if (!ch) {
        ch = { id: `C0INC${channels.size + 1}`, name: named.name };
        channels.set(ch.id, ch);
      }
      s.channelMembers.set(ch.id, [...members, user]);
      const res = await event({
        type: 'member_joined_channel',
        user,
        channel: ch.id,
        channel_type: 'C',
        team: 'T0TEST',
      });
      await say(`<@${user}> has joined the channel`, 'channel_join');
      return res.status === 200 ? { ok: true, channel: ch.id } : no(`The app answered ${res.status}.`);
    }
    case 'say': {
      const text = String(b.text ?? '').trim();
      if (!ch || !members.includes(user)) return no(`Join #${named.name} first.`);
      if (!text) return no('Write something to send.');
      // Counted as typed: Slack's escapes (&lt; for <) are one character each.
      if (text.replace(/&(lt|gt|amp);/g, '_').length > MAX_TEXT)
        return no(`A message here may be up to ${MAX_TEXT} characters.`);
      const res = await say(text);
      return res.status === 200 ? { ok: true } : no(`The app answered ${res.status}.`);
    }
    case 'archive': {
      if (!ch || !members.includes(user)) return no(`Join #${named.name} first.`);
      ch.is_archived = true;
      ws.changed();
      const res = await event({ type: 'channel_archive', channel: ch.id, user });
      return res.status === 200 ? { ok: true } : no(`The app answered ${res.status}.`);
    }
    default:
      return no('`do` must be join, say or archive.');
  }
}
