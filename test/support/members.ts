import type { Db } from '../../src/db/create-db.ts';
import { joinMember } from '../../src/db/members.ts';
import type { Level } from '../../src/rubrics/schema.ts';

export const TEAM = 'T0TEST';
/** A second team, for showing that rows of one team stay out of another's. */
export const OTHER_TEAM = 'T0OTHER';

/** Joins members straight into the database (as `/growth join` would), many at once. */
export async function seedMembers(
  db: Db,
  count: number,
  o: { prefix?: string; level?: Level; tz?: string; joinedAt?: Date } = {},
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `U${o.prefix ?? 'M'}${String(i).padStart(5, '0')}`);
  const at = o.joinedAt ?? new Date('2026-11-01T00:00:00Z');
  for (let i = 0; i < ids.length; i += 1000) {
    await db
      .insertInto('members')
      .values(
        ids.slice(i, i + 1000).map((user_id) => ({
          team_id: TEAM,
          user_id,
          level: o.level ?? 'junior',
          tz: o.tz ?? 'Europe/Berlin',
          tz_checked_at: at,
          joined_at: at,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  }
  return ids;
}

export async function join(db: Db, userId: string, level: Level, tz: string, at = new Date('2026-11-01T00:00:00Z')) {
  return joinMember(db, { teamId: TEAM, userId, level, displayName: userId, tz }, at);
}

/** Joins each [userId, level, tz] in order, as `join` does one. */
export async function joinAll(db: Db, people: readonly (readonly [string, Level, string])[]): Promise<void> {
  for (const [userId, level, tz] of people) await join(db, userId, level, tz);
}

/** Ana and Ben, two juniors in Berlin: the pair most tests need (one acts, one is the other). */
export const ANA_AND_BEN = [
  ['UANA', 'junior', 'Europe/Berlin'],
  ['UBEN', 'junior', 'Europe/Berlin'],
] as const;

/** Joins Ana and Ben (`ANA_AND_BEN`). */
export const joinAnaAndBen = (db: Db) => joinAll(db, ANA_AND_BEN);
