import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { closeIncidentChannel, joinIncidentChannel, noteIncidentMessage } from '../services/incidents.ts';
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
  if (!deps.config.incidentChannelPattern) return;
  app.event(
    'member_joined_channel',
    guardEvent(deps, { name: 'member_joined_channel', input: joinedInput, run: onJoined }),
  );
  app.event('channel_archive', guardEvent(deps, { name: 'channel_archive', input: archiveInput, run: onArchived }));
  app.event('message', guardEvent(deps, { name: 'channel message', input: messageInput, run: onMessage }));
}

async function onJoined(g: Guarded<z.infer<typeof joinedInput>>): Promise<void> {
  const e = g.input.event;
  // The bot itself joining, or any other bot: no reflection for either.
  if (e.user === g.botUserId) return;
  const info = await g.slack.conversations.info({ channel: e.channel });
  const r = await g.db(
    joinIncidentChannel(g.deps, g.deps.db, {
      teamId: g.teamId || e.team || '',
      userId: e.user,
      channel: { id: e.channel, name: info.channel?.name, isArchived: Boolean(info.channel?.is_archived) },
    }),
    'recording an incident participation',
  );
  if (r.kind === 'recorded')
    g.deps.logger.info({ userId: e.user, channel: e.channel }, 'incident participation recorded');
}

async function onArchived(g: Guarded<z.infer<typeof archiveInput>>): Promise<void> {
  await g.db(
    closeIncidentChannel(g.deps, g.deps.db, { teamId: g.teamId, channelId: g.input.event.channel }),
    'noting an archived channel',
  );
}

async function onMessage(g: Guarded<z.infer<typeof messageInput>>): Promise<void> {
  const e = g.input.event;
  // Edits, joins and bots' messages are not the member speaking.
  if (!e || e.bot_id || (e.subtype && e.subtype !== 'thread_broadcast')) return;
  await g.db(
    noteIncidentMessage(g.deps, g.deps.db, { teamId: g.teamId, userId: e.user, channelId: e.channel }),
    'noting a channel message',
  );
}
