import type { App } from '@slack/bolt';
import { z } from 'zod';
import { noteChannelArchived, noteChannelMessage, recordParticipation } from '../db/incidents.ts';
import type { Deps } from '../deps.ts';
import { channelIncidentKey } from '../growth/incidents.ts';
import { type Guarded, guardEvent } from './guard.ts';

const ID = /^[A-Z0-9]{2,40}$/;
const joinedSchema = z.object({
  user: z.string().regex(ID),
  channel: z.string().regex(ID),
  team: z.string().regex(ID).optional(),
});
const archiveSchema = z.object({ channel: z.string().regex(ID) });
const messageSchema = z.object({
  user: z.string().regex(ID),
  channel: z.string().regex(ID),
  channel_type: z.literal('channel'),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});

/** The envelope every event arrives in, around the event a handler reads. */
const envelope = <S extends z.ZodType>(event: S) => z.object({ team_id: z.string().regex(ID).optional(), event });
const joinedInput = envelope(joinedSchema);
const archiveInput = envelope(archiveSchema);
// Every message in every channel the bot is in arrives here: most are not a member speaking in
// an incident channel, and that is no malformed payload, so they parse to undefined.
const messageInput = envelope(z.unknown().transform((e) => messageSchema.safeParse(e).data));

/**
 * Incident channels (INCIDENT_CHANNEL_PATTERN): a member who joins one the bot is in has taken
 * part; their last message there and the channel's archiving set when the reflection comes.
 * Nothing is registered when the pattern is unset. Of a message only the time is kept.
 */
export function registerIncidentEvents(app: App, deps: Deps): void {
  const pattern = deps.config.incidentChannelPattern;
  if (!pattern) return;
  app.event(
    'member_joined_channel',
    guardEvent(deps, {
      name: 'member_joined_channel',
      input: joinedInput,
      run: (g) => onJoined(pattern, g),
    }),
  );
  app.event('channel_archive', guardEvent(deps, { name: 'channel_archive', input: archiveInput, run: onArchived }));
  app.event('message', guardEvent(deps, { name: 'channel message', input: messageInput, run: onMessage }));
}

async function onJoined(pattern: RegExp, g: Guarded<z.infer<typeof joinedInput>>): Promise<void> {
  const e = g.input.event;
  // The bot itself joining, or any other bot: no reflection for either.
  if (e.user === g.botUserId) return;
  const info = await g.slack.conversations.info({ channel: e.channel });
  const name = info.channel?.name;
  if (!name || !pattern.test(name) || info.channel?.is_archived) return;
  const saved = await g.db(
    recordParticipation(g.deps.db, {
      teamId: g.teamId || e.team || '',
      userId: e.user,
      key: channelIncidentKey(e.channel),
      source: 'channel',
      channelId: e.channel,
      title: `#${name}`,
      at: g.deps.now(),
    }),
    'recording an incident participation',
  );
  if (saved?.created) g.deps.logger.info({ userId: e.user, channel: e.channel }, 'incident participation recorded');
}

async function onArchived(g: Guarded<z.infer<typeof archiveInput>>): Promise<void> {
  await g.db(
    noteChannelArchived(g.deps.db, g.teamId, g.input.event.channel, g.deps.now()),
    'noting an archived channel',
  );
}

async function onMessage(g: Guarded<z.infer<typeof messageInput>>): Promise<void> {
  const e = g.input.event;
  // Edits, joins and bots' messages are not the member speaking.
  if (!e || e.bot_id || (e.subtype && e.subtype !== 'thread_broadcast')) return;
  await g.db(noteChannelMessage(g.deps.db, g.teamId, e.channel, e.user, g.deps.now()), 'noting a channel message');
}
