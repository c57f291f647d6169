import type { Deps } from '../deps.ts';

/** A bot scope or event subscription, and the feature that needs it. */
export interface Need {
  name: string;
  kind: 'scope' | 'event';
  for: string;
  /** Without it growthbot runs, with that feature off. */
  optional?: boolean;
}

/** Incident channels (INCIDENT_CHANNEL_PATTERN) are the one optional feature: these are what it needs. */
export const INCIDENT_CHANNEL_SCOPES = ['channels:history', 'channels:read'] as const;

/** Every scope and event in slack-app-manifest.yml, with why (the README's table is this one). */
export const NEEDS: readonly Need[] = [
  { name: 'chat:write', kind: 'scope', for: 'prompts, reminders, digests, replies and confirmations in DMs' },
  { name: 'commands', kind: 'scope', for: '`/growth` and `/checkin`' },
  { name: 'files:write', kind: 'scope', for: '`/growth export`: the two files in your DM' },
  {
    name: 'im:history',
    kind: 'scope',
    for: 'a reply typed in the DM becomes a check-in; before resending a lost prompt, look whether it arrived',
  },
  { name: 'im:write', kind: 'scope', for: 'open the DM to look in for a lost prompt' },
  { name: 'users:read', kind: 'scope', for: 'names and time zones (prompts arrive at 10:00 local time)' },
  {
    name: 'users:read.email',
    kind: 'scope',
    for: 'roster import by e-mail; matching team on-call schedules to people',
  },
  {
    name: 'channels:read',
    kind: 'scope',
    for: 'incident channels: a channel’s name, who joined, when it is archived',
    optional: true,
  },
  {
    name: 'channels:history',
    kind: 'scope',
    for: 'incident channels: when a member last wrote there (the time only, never the text)',
    optional: true,
  },
  { name: 'app_home_opened', kind: 'event', for: 'the Home tab' },
  { name: 'message.im', kind: 'event', for: 'a reply typed in the DM becomes a check-in (needs `im:history`)' },
  { name: 'user_change', kind: 'event', for: 'a member deactivated in Slack gets nothing more (needs `users:read`)' },
  {
    name: 'member_joined_channel',
    kind: 'event',
    for: 'incident channels: who took part (needs `channels:read`)',
    optional: true,
  },
  {
    name: 'message.channels',
    kind: 'event',
    for: 'incident channels: the time of a member’s last message (needs `channels:history`)',
    optional: true,
  },
  {
    name: 'channel_archive',
    kind: 'event',
    for: 'incident channels: the incident is over (needs `channels:read`)',
    optional: true,
  },
];

/**
 * Turns off what the granted scopes do not allow, saying so in one log line. `granted` comes from
 * auth.test's `x-oauth-scopes` header; undefined (a proxy dropped it) means it cannot be known, and
 * everything stays on.
 */
export function withGrantedScopes(deps: Deps, granted: readonly string[] | undefined): Deps {
  if (!granted) return deps;
  const missing = NEEDS.filter((n) => n.kind === 'scope' && !granted.includes(n.name));
  if (!missing.length) return deps;
  const required = missing.filter((n) => !n.optional).map((n) => n.name);
  const optional = missing.filter((n) => n.optional).map((n) => n.name);
  const incidentsOff = INCIDENT_CHANNEL_SCOPES.some((s) => optional.includes(s));
  const wanted = Boolean(deps.config.incidentChannelPattern);
  const parts = [
    ...(required.length
      ? [`missing required scopes ${required.join(', ')}: add them in the app's settings and reinstall`]
      : []),
    ...(incidentsOff
      ? [
          `without ${optional.join(', ')} incident channels are off${wanted ? ' although INCIDENT_CHANNEL_PATTERN is set' : ''}`,
        ]
      : []),
  ];
  const level = required.length || (incidentsOff && wanted) ? 'warn' : 'info';
  deps.logger[level]({ missingScopes: [...required, ...optional] }, `Slack scopes: ${parts.join('; ')}`);
  return incidentsOff ? { ...deps, config: { ...deps.config, incidentChannelPattern: undefined } } : deps;
}
