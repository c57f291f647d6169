import { recordCheckin } from '../../src/db/checkins.ts';
import type { Db } from '../../src/db/create-db.ts';
import type { NewCheckin } from '../../src/db/schema.ts';
import type { FormCheckin } from '../../src/services/checkins.ts';
import { TEAM } from './members.ts';
import { rubricFixture } from './rubric-fixture.ts';

/** The check-in form as Ana sends it: junior-c1, 'Wrote the runbook', rated 3, shared; `o` over it. */
export const checkinForm = (o: Partial<FormCheckin> = {}): FormCheckin => ({
  teamId: TEAM,
  userId: 'UANA',
  competency: rubricFixture.byId.get('junior-c1')!,
  text: 'Wrote the runbook',
  rating: 3,
  needsHelp: false,
  isPrivate: false,
  evidenceUrl: null,
  formId: 'V1',
  ...o,
});

/**
 * A weekly prompt stored straight into the database, as if sent to `userId` at `createdAt`:
 * by default junior-c2's first prompt, 'What did you learn?'.
 */
export const insertPrompt = (
  db: Db,
  o: { userId: string; week: string; createdAt: Date; competencyId?: string; promptId?: string; promptText?: string },
) => {
  const competencyId = o.competencyId ?? 'junior-c2';
  return db
    .insertInto('nudges')
    .values({
      team_id: TEAM,
      user_id: o.userId,
      week: o.week,
      level: 'junior',
      competency_id: competencyId,
      prompt_id: o.promptId ?? `${competencyId}-p1`,
      prompt_text: o.promptText ?? 'What did you learn?',
      created_at: o.createdAt,
      updated_at: o.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
};

/** A stored prompt's outcome (open, answered, skipped, missed). */
export const promptOutcome = async (db: Db, id: string) =>
  (await db.selectFrom('nudges').select('outcome').where('id', '=', id).executeTakeFirstOrThrow()).outcome;

/**
 * A check-in stored as the form stores one (recordCheckin): no competency, no rating, shared,
 * 'what I learnt', updated when created; `row` over it.
 */
export const storeCheckin = (
  db: Db,
  row: Partial<NewCheckin> & Pick<NewCheckin, 'user_id' | 'idempotency_key' | 'created_at'>,
) =>
  recordCheckin(db, {
    team_id: TEAM,
    competency_id: null,
    competency_name: null,
    text: 'what I learnt',
    rating: null,
    evidence_url: null,
    private: false,
    source: 'modal',
    nudge_id: null,
    updated_at: row.created_at,
    ...row,
  });
