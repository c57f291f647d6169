import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { guardEvent } from './guard.ts';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { noteChannelArchived, noteChannelMessage, recordParticipation } from '../db/incidents.ts';
import { channelIncidentKey } from '../growth/incidents.ts';

type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;

const ID = /^[A-Z0-9]{2,40}$/;
const joinedSchema = z.object({ user: z.string().regex(ID), channel: z.string().regex(ID), team: z.string().regex(ID).optional() });
const archiveSchema = z.object({ channel: z.string().regex(ID) });
const messageSchema = z.object({
  user: z.string().regex(ID),
  channel: z.string().regex(ID),
  channel_type: z.literal('channel'),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});

/**
 * Incident channels (INCIDENT_CHANNEL_PATTERN): a member who joins one the bot is in has taken
 * part; their last message there and the channel's archiving set when the reflection comes.
 * Nothing is registered when the pattern is unset. Of a message only the time is kept.
 */
export function registerIncidentEvents(app: App, deps: Deps): void {
  const pattern = deps.config.incidentChannelPattern;
  if (!pattern) return;
  // The guard logs a failure with its context; Bolt has acked the event already.
  const on = (name: string, run: (args: EventArgs) => Promise<void>) =>
    guardEvent(deps, { name, input: envelope, run: (args) => run(args as unknown as EventArgs) }) as unknown as (args: EventArgs) => Promise<void>;
  app.event('member_joined_channel', on('member_joined_channel', (args) => onJoined(deps, pattern, args)));
  app.event('channel_archive', on('channel_archive', (args) => onArchived(deps, args)));
  app.event('message', on('message', (args) => onMessage(deps, args)));
}

/** The envelope every event arrives in; each handler parses its own event. */
const envelope = z.object({ team_id: z.string().regex(ID).optional(), event: z.object({ type: z.string() }) });

const teamOf = (args: EventArgs, fallback?: string) => args.context.teamId ?? args.body.team_id ?? fallback ?? '';

async function onJoined(deps: Deps, pattern: RegExp, args: EventArgs): Promise<void> {
  const e = joinedSchema.safeParse(args.event);
  if (!e.success) return;
  // The bot itself joining, or any other bot: no reflection for either.
  if (e.data.user === args.context.botUserId) return;
  const info = await args.client.conversations.info({ channel: e.data.channel });
  const name = info.channel?.name;
  if (!name || !pattern.test(name) || info.channel?.is_archived) return;
  const saved = await recordParticipation(deps.db, {
    teamId: teamOf(args, e.data.team),
    userId: e.data.user,
    key: channelIncidentKey(e.data.channel),
    source: 'channel',
    channelId: e.data.channel,
    title: `#${name}`,
    at: deps.now(),
  });
  if (saved?.created) deps.logger.info({ userId: e.data.user, channel: e.data.channel }, 'incident participation recorded');
}

async function onArchived(deps: Deps, args: EventArgs): Promise<void> {
  const e = archiveSchema.safeParse(args.event);
  if (e.success) await noteChannelArchived(deps.db, teamOf(args), e.data.channel, deps.now());
}

async function onMessage(deps: Deps, args: EventArgs): Promise<void> {
  const e = messageSchema.safeParse(args.event);
  // Edits, joins and bots' messages are not the member speaking.
  if (!e.success || e.data.bot_id || (e.data.subtype && e.data.subtype !== 'thread_broadcast')) return;
  await noteChannelMessage(deps.db, teamOf(args), e.data.channel, e.data.user, deps.now());
}
