import { type RawBuilder, sql } from 'kysely';

/**
 * Who is reading: the author of the check-ins, or anyone else (their mentor, an admin).
 * Nothing of a private check-in reaches anyone but its author, not even that it exists: every
 * query that others read filters on the check-in's own `private` flag, the one privacy fact
 * (an on-call retro or an incident reflection is private when its check-in is).
 */
export type Audience = 'author' | 'others';

/** `and not <alias>.private` for others; nothing for the author. */
export function visibleTo(audience: Audience, alias = 'c'): RawBuilder<unknown> {
  return audience === 'author' ? sql`` : sql`and not ${sql.ref(`${alias}.private`)}`;
}
