import { type Db, inTransaction } from '../db/create-db.ts';
import { ensurePerson, getMember, isJoined } from '../db/members.ts';
import { currentMentorship, setMentor } from '../db/mentorships.ts';
import type { Member } from '../db/schema.ts';
import type { Deps } from '../deps.ts';

/** What Slack says of a person (`outbound/users.ts` `lookupPerson`); null when it could not say. */
export interface KnownPerson {
  displayName: string | null;
  tz: string | null;
  isBot: boolean;
  deleted: boolean;
}
/** Asks Slack about a person: passed in, so the service knows nothing of Slack. */
export type Lookup = (userId: string) => Promise<KnownPerson | null>;

export type NameMentorResult =
  | { kind: 'not-joined' }
  | { kind: 'self' }
  | { kind: 'bot' }
  | { kind: 'deactivated' }
  | { kind: 'unchanged' }
  | { kind: 'named'; level: NonNullable<Member['level']>; previousMentorId: string | null };

/**
 * A member names their own mentor (`/growth mentor @someone`): not themselves, not a bot, not a
 * deactivated account. The mentor is made known (name, timezone) and the mentorship set in one
 * transaction; the previous one is ended, so the history stays.
 */
export async function nameMentor(
  deps: Deps,
  db: Db,
  i: { teamId: string; menteeId: string; mentorId: string; lookup: Lookup },
): Promise<NameMentorResult> {
  const mentee = await getMember(db, i.teamId, i.menteeId);
  if (!isJoined(mentee)) return { kind: 'not-joined' };
  if (i.mentorId === i.menteeId) return { kind: 'self' };
  const person = await i.lookup(i.mentorId);
  if (person?.isBot) return { kind: 'bot' };
  if (person?.deleted) return { kind: 'deactivated' };
  const now = deps.now();
  const r = await inTransaction(db, async (tx) => {
    await ensurePerson(
      tx,
      { teamId: i.teamId, userId: i.mentorId, displayName: person?.displayName ?? null, tz: person?.tz ?? null },
      now,
    );
    return setMentor(tx, i.teamId, i.menteeId, i.mentorId, now);
  });
  if (r.unchanged) return { kind: 'unchanged' };
  return { kind: 'named', level: mentee.level, previousMentorId: r.previousMentorId };
}

export type AssignMentorResult =
  | { kind: 'self' }
  | { kind: 'unchanged' }
  | { kind: 'assigned'; previousMentorId: string | null; menteeJoined: boolean };

/**
 * An admin assigns a mentor (`/growth admin assign @mentee @mentor`): both are made known and
 * the mentorship set in one transaction. A mentee who has not joined yet may be assigned; there
 * is nothing to report until they join.
 */
export async function assignMentor(
  deps: Deps,
  db: Db,
  i: { teamId: string; menteeId: string; mentorId: string; lookup: Lookup },
): Promise<AssignMentorResult> {
  if (i.menteeId === i.mentorId) return { kind: 'self' };
  const [menteePerson, mentorPerson] = [await i.lookup(i.menteeId), await i.lookup(i.mentorId)];
  const now = deps.now();
  const known = (userId: string, p: KnownPerson | null) => ({
    teamId: i.teamId,
    userId,
    displayName: p?.displayName ?? null,
    tz: p?.tz ?? null, // not read: left unchecked for the timezone refresh
  });
  return inTransaction(db, async (tx): Promise<AssignMentorResult> => {
    const mentee = await ensurePerson(tx, known(i.menteeId, menteePerson), now);
    await ensurePerson(tx, known(i.mentorId, mentorPerson), now);
    const r = await setMentor(tx, i.teamId, i.menteeId, i.mentorId, now);
    if (r.unchanged) return { kind: 'unchanged' };
    return { kind: 'assigned', previousMentorId: r.previousMentorId, menteeJoined: isJoined(mentee) };
  });
}

/** Who mentors this member now; undefined when nobody does. */
export async function mentorOf(db: Db, teamId: string, menteeId: string): Promise<string | undefined> {
  return (await currentMentorship(db, teamId, menteeId))?.mentorId;
}

/** Whether `mentorId` mentors this member now. */
export async function isMentorOf(db: Db, teamId: string, menteeId: string, mentorId: string): Promise<boolean> {
  return (await mentorOf(db, teamId, menteeId)) === mentorId;
}
