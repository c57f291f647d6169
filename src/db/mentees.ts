import type { Level } from '../rubrics/schema.ts';
import { type Camel, camelRows } from './camel.ts';
import type { Db } from './create-db.ts';
import type { MemberStatus } from './schema.ts';

/** A current mentee with their mentor, as it leaves this folder. */
export type MenteeRow = Camel<Row>;

interface Row {
  team_id: string;
  mentor_id: string;
  user_id: string;
  level: Level;
  tz: string;
  status: MemberStatus;
  joined_at: Date | null;
  display_name: string | null;
}

/**
 * The current mentees of these mentors (or of every mentor) who joined and have not left,
 * in one query.
 */
export async function currentMentees(
  db: Db,
  teamId: string | null,
  mentorIds: readonly string[] | null,
): Promise<MenteeRow[]> {
  let q = db
    .selectFrom('mentorships as ms')
    .innerJoin('members as m', (j) => j.onRef('m.team_id', '=', 'ms.team_id').onRef('m.user_id', '=', 'ms.mentee_id'))
    .select(['ms.team_id', 'ms.mentor_id', 'm.user_id', 'm.level', 'm.tz', 'm.status', 'm.joined_at', 'm.display_name'])
    .where('ms.ended_at', 'is', null)
    .where('m.level', 'is not', null)
    .where('m.joined_at', 'is not', null)
    .where('m.status', '!=', 'left');
  if (teamId !== null) q = q.where('ms.team_id', '=', teamId);
  if (mentorIds !== null) {
    if (!mentorIds.length) return [];
    q = q.where('ms.mentor_id', 'in', [...mentorIds]);
  }
  return camelRows((await q.orderBy('ms.mentor_id').orderBy('m.user_id').execute()) as Row[]);
}

/** Mentors with at least one current, active mentee, with the timezone their digest follows. */
export async function mentorsToDigest(db: Db) {
  const rows = await db
    .selectFrom('mentorships as ms')
    .innerJoin('members as mentee', (j) =>
      j.onRef('mentee.team_id', '=', 'ms.team_id').onRef('mentee.user_id', '=', 'ms.mentee_id'),
    )
    .innerJoin('members as mentor', (j) =>
      j.onRef('mentor.team_id', '=', 'ms.team_id').onRef('mentor.user_id', '=', 'ms.mentor_id'),
    )
    .select(['mentor.team_id', 'mentor.user_id', 'mentor.tz'])
    .distinct()
    .where('ms.ended_at', 'is', null)
    .where('mentee.status', '=', 'active')
    .where('mentee.level', 'is not', null)
    .where('mentee.joined_at', 'is not', null)
    .where('mentor.status', '!=', 'left')
    .execute();
  return camelRows(rows);
}
