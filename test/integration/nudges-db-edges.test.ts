// A prompt's id as a button carries it, however long the id has grown (up to 18 digits), and a
// second Skip of a skipped prompt changes nothing: a skip replaces only an open or missed prompt.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getNudge, setNudgeOutcome } from '../../src/db/nudges.ts';
import { useTestDatabase } from '../support/db.ts';
import { join, TEAM } from '../support/members.ts';

const now = new Date('2026-12-08T10:00:00Z');
const later = new Date('2026-12-08T11:00:00Z');

describe('prompts in the database: edges', () => {
  const d = useTestDatabase((db) => join(db, 'UANA', 'junior', 'UTC'));
  const nudgeWithId = async (id: string, week: string) => {
    await sql`
      insert into nudges (id, team_id, user_id, week, level, competency_id, prompt_id, prompt_text, updated_at)
      values (${id}, ${TEAM}, 'UANA', ${week}, 'junior', 'c1', 'p1', 'Tell us', ${now})`.execute(d.db);
    return id;
  };

  it('finds a prompt by an id of two digits, and of eighteen', async () => {
    for (const [id, week] of [
      ['42', '2026-W48'],
      ['123456789012345678', '2026-W49'],
    ] as const) {
      await nudgeWithId(id, week);
      expect(await getNudge(d.db, id)).toMatchObject({ id, week, userId: 'UANA' });
    }
  });

  it('a second Skip leaves the prompt as the first left it', async () => {
    const id = await nudgeWithId('7', '2026-W50');
    expect(await setNudgeOutcome(d.db, id, 'UANA', 'skipped', now)).toMatchObject({
      outcome: 'skipped',
      updatedAt: now,
    });
    expect(await setNudgeOutcome(d.db, id, 'UANA', 'skipped', later)).toMatchObject({
      outcome: 'skipped',
      updatedAt: now,
    });
  });
});
