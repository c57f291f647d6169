/**
 * What a person typed, read back from the text Slack sends for it (slash commands, messages).
 *
 * Slack sends typed text with &, < and > as `&amp;` `&lt;` `&gt;`, and what it formats itself
 * between real angle brackets: a mention `<@U123|Marta Kowalski>` (in a DM's text just `<@U123>`),
 * a channel `<#C123|general>`, `<!here>`, a link `<https://x|label>`. Free text (check-ins, DM
 * replies, notes) is stored as the person typed it — `@Marta Kowalski`, `#general`, `@here` — and
 * escaped once where shown, so a mention never shows as raw markup nor pings anyone again. The
 * command parser reads mentions as people and does not go through this.
 * https://docs.slack.dev/messaging/formatting-message-text/
 */
import type { Db } from '../db/create-db.ts';
import { membersByIds } from '../db/members.ts';

/** A display name growthbot knows for a user id, if any. */
export type NameOf = (userId: string) => string | null | undefined;

const TOKEN = /<([^<>\n]*)>|&(lt|gt|amp);/g;
const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&' };
/** Only Slack's `&amp;` `&lt;` `&gt;` read back, its `<…>` left as they are. */
export const slackEntities = (s: string): string => s.replace(/&(lt|gt|amp);/g, (_, e: string) => ENTITY[e]!);
const SCHEME = /^(https?:\/\/|mailto:|tel:)/i;

/** The user ids of mentions that carry no name (`<@U123>`), whose names a caller may look up. */
export function bareMentions(s: string): string[] {
  return [...new Set([...s.matchAll(/<@([UW][A-Z0-9]+)>/g)].map((m) => m[1]!))];
}

/** One `<…>` of Slack's, as a person reads it. */
function token(inner: string, nameOf: NameOf): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : slackEntities(inner.slice(bar + 1)).trim();
  switch (target[0]) {
    case '@':
      return `@${label || nameOf(target.slice(1)) || target.slice(1)}`;
    case '#':
      return `#${label || target.slice(1)}`;
    case '!': {
      // <!here>, <!channel>, <!everyone> (perhaps with a label); a user group <!subteam^S1|@sre>; a date <!date^…|fallback>.
      const word = target.slice(1).split('^')[0]!;
      if (word === 'subteam') return label.startsWith('@') ? label : `@${label || 'team'}`;
      if (word === 'date') return label;
      return `@${word}`;
    }
    default: {
      const url = slackEntities(target);
      if (!label || label === url || label === url.replace(SCHEME, '')) return label || url.replace(/^mailto:/i, '');
      return `${label} (${url})`;
    }
  }
}

/**
 * Gives back what the person typed from Slack's text: entities read back once, Slack's mentions,
 * channels, special mentions and links as words. `nameOf` names a mention Slack sent without one.
 */
export function fromSlackText(s: string, nameOf: NameOf = () => null): string {
  return s.replace(TOKEN, (_, inner: string | undefined, e: string | undefined) =>
    inner === undefined ? ENTITY[e!]! : token(inner, nameOf),
  );
}

/** `fromSlackText`, naming a mention Slack sent without a name by the name growthbot keeps for them. */
export async function readTyped(db: Db, teamId: string, s: string): Promise<string> {
  const ids = bareMentions(s);
  if (!ids.length) return fromSlackText(s);
  const names = new Map((await membersByIds(db, teamId, ids)).map((m) => [m.userId, m.displayName]));
  return fromSlackText(s, (id) => names.get(id));
}
