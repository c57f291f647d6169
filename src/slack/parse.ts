import { parseTime, parseWeekday, type Weekday } from '../growth/schedule.ts';
import { parseFeedUrl } from '../oncall/feed-url.ts';
import { LEVELS, type Level } from '../rubrics/schema.ts';
import { fromSlackText, slackEntities } from './typed-text.ts';

/** A `/growth` command, parsed. Anything we cannot read becomes `help` with a reason. */
export type GrowthCommand =
  | {
      kind: 'help';
      problem?: string /** A member's command given wrongly: someone not joined is told to join first. */;
      membersOnly?: true;
    }
  | { kind: 'join'; level: Level }
  | { kind: 'level'; level: Level }
  | { kind: 'mentor'; mentorId: string }
  | { kind: 'me' }
  | { kind: 'schedule'; weekdayText: string; timeText: string }
  | { kind: 'pause'; arg: string | null }
  | { kind: 'resume' }
  | { kind: 'summary'; userId: string | null }
  | { kind: 'mentees' }
  | { kind: 'export' }
  | { kind: 'forget-me' }
  | { kind: 'privacy' }
  | { kind: 'focus' }
  | { kind: 'one-on-one'; action: 'show' | 'off'; withId: string | null }
  | { kind: 'one-on-one'; action: 'set'; withId: string | null; weekday: Weekday; minute: number; everyWeeks: 1 | 2 }
  | { kind: 'agenda'; withId: string | null; text: string }
  | { kind: 'incident'; text: string }
  | { kind: 'admin'; action: AdminAction }
  | { kind: 'oncall'; action: 'show' }
  | { kind: 'oncall'; action: 'off' }
  | { kind: 'oncall'; action: 'set'; url: string }
  | { kind: 'bad-level'; given: string | null; subcommand: 'join' | 'level' };

export type AdminAction =
  | { kind: 'assign'; menteeId: string; mentorId: string }
  | { kind: 'level'; userId: string; level: Level }
  | { kind: 'remove'; userId: string }
  | { kind: 'list' }
  | { kind: 'forget'; userId: string }
  | { kind: 'run'; job: string }
  | { kind: 'oncall-feed-add'; url: string }
  | { kind: 'oncall-feed-remove'; id: string }
  | { kind: 'oncall-feed-list' };

export const ADMIN_USAGE =
  'Admin commands: `/growth admin assign @mentee @mentor`, `/growth admin level @someone <level>`, `/growth admin remove @someone`, `/growth admin list`, `/growth admin forget @someone` (someone who left), `/growth admin run <job>`, `/growth admin oncall-feed add <link>|remove <id>|list`.';

const ONCALL_FEED_USAGE =
  'Use `/growth admin oncall-feed add <link>`, `/growth admin oncall-feed remove <id>` or `/growth admin oncall-feed list`.';

function parseOncallFeed(rest: string[]): GrowthCommand {
  const [verb = '', arg] = rest;
  const bad = (problem: string): GrowthCommand => ({ kind: 'help', problem: `${problem} ${ONCALL_FEED_USAGE}` });
  switch (verb.toLowerCase()) {
    case 'add': {
      if (rest.length !== 2) return bad('Add needs one link.');
      const u = parseFeedUrl(arg!);
      return 'error' in u ? bad(u.error) : { kind: 'admin', action: { kind: 'oncall-feed-add', url: u.url } };
    }
    case 'remove': {
      const id = (arg ?? '').replace(/^#/, '');
      return rest.length === 2 && /^\d{1,18}$/.test(id)
        ? { kind: 'admin', action: { kind: 'oncall-feed-remove', id } }
        : bad('Remove needs a feed number from the list.');
    }
    case 'list':
      return rest.length === 1
        ? { kind: 'admin', action: { kind: 'oncall-feed-list' } }
        : bad('List takes nothing after it.');
    default:
      return bad('');
  }
}

function parseAdmin(args: string[]): GrowthCommand {
  const [sub = '', ...rest] = args;
  const bad = (problem: string): GrowthCommand => ({ kind: 'help', problem: `${problem} ${ADMIN_USAGE}` });
  switch (sub.toLowerCase()) {
    case 'assign': {
      const [menteeId, mentorId] = rest.map(parseMention);
      return rest.length === 2 && menteeId && mentorId
        ? { kind: 'admin', action: { kind: 'assign', menteeId, mentorId } }
        : bad('Assign needs two mentions: the mentee, then the mentor.');
    }
    case 'level': {
      const userId = parseMention(rest[0]);
      const level = parseLevel(rest[1]);
      return rest.length === 2 && userId && level
        ? { kind: 'admin', action: { kind: 'level', userId, level } }
        : bad(`Level needs a mention and a level (${LEVELS.join(', ')}).`);
    }
    case 'remove': {
      const userId = parseMention(rest[0]);
      return rest.length === 1 && userId
        ? { kind: 'admin', action: { kind: 'remove', userId } }
        : bad('Remove needs one mention.');
    }
    case 'list':
      return rest.length === 0 ? { kind: 'admin', action: { kind: 'list' } } : bad('List takes nothing after it.');
    case 'forget': {
      const userId = parseMention(rest[0]);
      return rest.length === 1 && userId
        ? { kind: 'admin', action: { kind: 'forget', userId } }
        : bad('Forget needs one mention.');
    }
    case 'oncall-feed':
      return parseOncallFeed(rest);
    case 'run':
      return rest.length === 1
        ? { kind: 'admin', action: { kind: 'run', job: rest[0]! } }
        : bad('Run needs a job name.');
    default:
      return bad(sub ? `I don't know \`admin ${sub.slice(0, 30)}\`.` : '');
  }
}

export const ONE_ON_ONE_USAGE =
  'Give a weekday, a 24-hour time in your mentor’s timezone, and weekly or fortnightly: `/growth one-on-one tuesday 10:00 fortnightly`; `/growth one-on-one off` clears it.';

function parseOneOnOne(args: string[]): GrowthCommand {
  const withId = parseMention(args[0]);
  const rest = withId ? args.slice(1) : args;
  if (!rest.length) return { kind: 'one-on-one', action: 'show', withId };
  if (rest.length === 1 && rest[0]!.toLowerCase() === 'off') return { kind: 'one-on-one', action: 'off', withId };
  const weekday = parseWeekday(rest[0] ?? '');
  const minute = parseTime(rest[1] ?? '');
  const every = (rest[2] ?? 'weekly').toLowerCase();
  if (weekday === null || minute === null || rest.length > 3 || (every !== 'weekly' && every !== 'fortnightly'))
    return { kind: 'help', problem: ONE_ON_ONE_USAGE };
  return { kind: 'one-on-one', action: 'set', withId, weekday, minute, everyWeeks: every === 'weekly' ? 1 : 2 };
}

/** `<@U123|name>` or `<@U123>` (escaped mentions, as `should_escape: true` sends them). */
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export function parseMention(token: string | undefined): string | null {
  const m = token ? MENTION.exec(token) : null;
  return m ? m[1]! : null;
}

function parseLevel(token: string | undefined): Level | null {
  const t = (token ?? '').toLowerCase();
  return (LEVELS as readonly string[]).includes(t) ? (t as Level) : null;
}

/**
 * The words of a command: a `<…>` token Slack made (a mention `<@U123|Jonas Weber>`, a link, a
 * channel) is one word wherever it stands, spaces inside it and all; anything else splits on spaces.
 */
function commandWords(text: string): string[] {
  return text.match(/<[^<>]*>|[^\s<]+|</g) ?? [];
}

export function parseGrowthCommand(text: string): GrowthCommand {
  const [sub = '', ...args] = commandWords(text);
  switch (sub.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'join':
    case 'level': {
      const subcommand = sub.toLowerCase() as 'join' | 'level';
      const level = parseLevel(args[0]);
      if (!level || args.length > 1) return { kind: 'bad-level', given: args.join(' ') || null, subcommand };
      return subcommand === 'join' ? { kind: 'join', level } : { kind: 'level', level };
    }
    case 'mentor': {
      const mentorId = args.length === 1 ? parseMention(args[0]) : null;
      if (!mentorId) return { kind: 'help', problem: 'To name your mentor, mention them: `/growth mentor @alex`.' };
      return { kind: 'mentor', mentorId };
    }
    case 'me':
      return args.length
        ? { kind: 'help', problem: '`/growth me` takes nothing after it.', membersOnly: true }
        : { kind: 'me' };
    case 'schedule':
      if (args.length !== 2)
        return { kind: 'help', problem: 'Give a weekday and a 24-hour time: `/growth schedule tuesday 09:30`.' };
      return { kind: 'schedule', weekdayText: args[0]!, timeText: args[1]! };
    case 'pause':
      return args.length > 1
        ? {
            kind: 'help',
            problem: 'Pause for some weeks or until a date: `/growth pause 2` or `/growth pause 2027-01-10`.',
            membersOnly: true,
          }
        : { kind: 'pause', arg: args[0] ?? null };
    case 'resume':
      return { kind: 'resume' };
    case 'summary': {
      if (!args.length) return { kind: 'summary', userId: null };
      const userId = args.length === 1 ? parseMention(args[0]) : null;
      return userId
        ? { kind: 'summary', userId }
        : {
            kind: 'help',
            problem: 'Mention whose summary you want: `/growth summary @alex`, or nothing for your own.',
          };
    }
    case 'mentees':
      return { kind: 'mentees' };
    case 'export':
      return { kind: 'export' };
    case 'forget-me':
      return { kind: 'forget-me' };
    case 'privacy':
      return { kind: 'privacy' };
    case 'one-on-one':
      return parseOneOnOne(args);
    case 'agenda': {
      // Stored as typed (Slack's entities read back once), escaped once where shown.
      const rest = text.trim().slice(sub.length).trim();
      const withId = parseMention(args[0]);
      const what = fromSlackText(withId ? rest.slice(args[0]!.length) : rest).trim();
      return what
        ? { kind: 'agenda', withId, text: what }
        : { kind: 'help', problem: 'Say what to raise: `/growth agenda how to prepare for on-call`.' };
    }
    case 'focus':
      return args.length
        ? { kind: 'help', problem: '`/growth focus` takes nothing after it: it opens a form.' }
        : { kind: 'focus' };
    case 'incident': {
      // A link alone stays as Slack sent it (`<https://…|label>`), which parseIncident reads; a title
      // is stored as typed (Slack's entities and mentions read back once here), escaped once where shown.
      const rest = text.trim().slice(sub.length);
      return {
        kind: 'incident',
        text: /^\s*<https?:[^<>]*>\s*$/i.test(rest) ? slackEntities(rest) : fromSlackText(rest),
      };
    }
    case 'admin':
      return parseAdmin(args);
    case 'oncall': {
      if (!args.length) return { kind: 'oncall', action: 'show' };
      if (args.length === 1 && args[0]!.toLowerCase() === 'off') return { kind: 'oncall', action: 'off' };
      const u = args.length === 1 ? parseFeedUrl(args[0]!) : { error: 'Give one link and nothing else.' };
      return 'error' in u
        ? { kind: 'help', problem: `${u.error} Example: \`/growth oncall webcal://…/schedule.ics\`` }
        : { kind: 'oncall', action: 'set', url: u.url };
    }
    default:
      return { kind: 'help', problem: `I don't know \`${sub.slice(0, 40)}\`.` };
  }
}
