import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordCheckin } from '../../src/db/checkins.ts';
import { type DbHandle } from '../../src/db/create-db.ts';
import { joinMember } from '../../src/db/members.ts';
import { progressRows } from '../../src/db/progress.ts';
import { BACKENDS, truncateAll } from '../support/db.ts';

const T = 'T0TEST';
const NOW = new Date('2026-12-10T12:00:00Z');

// The prompt behind a mentor's follow-up question, on both backends the app supports.
describe.each(BACKENDS)('latest shared prompt per competency on %s', (_name, open) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await open();
  }, 60_000);
  afterAll(async () => h?.close());
  beforeEach(async () => truncateAll(h.db));

  async function answer(week: string, promptId: string | null, day: number, isPrivate: boolean) {
    const at = new Date(Date.UTC(2026, 11, day, 9));
    const nudge = promptId
      ? await h.db
          .insertInto('nudges')
          .values({
            team_id: T,
            user_id: 'U1',
            week,
            level: 'junior',
            competency_id: 'incident-response',
            prompt_id: promptId,
            prompt_text: `The prompt ${promptId}.`,
            created_at: at,
            updated_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      : null;
    await recordCheckin(h.db, {
      team_id: T,
      user_id: 'U1',
      competency_id: 'incident-response',
      competency_name: 'Incident response fundamentals',
      text: `answer ${day}`,
      rating: 3,
      evidence_url: null,
      private: isPrivate,
      source: 'command',
      nudge_id: nudge?.id ?? null,
      idempotency_key: `k-${day}`,
      created_at: at,
      updated_at: at,
    });
  }
  const latest = async (audience: 'author' | 'others') =>
    (await progressRows(h.db, [{ teamId: T, userId: 'U1', tz: 'UTC' }], NOW, audience)).competencies.map(
      (c) => c.latestSharedPromptId,
    );

  it('is the prompt of the latest shared check-in that answered one, never a private one', async () => {
    await joinMember(h.db, { teamId: T, userId: 'U1', level: 'junior', displayName: null, tz: 'UTC' }, NOW);
    expect(await latest('others')).toEqual([]);
    await answer('2026-W48', 'ir-walk-a-runbook', 1, false);
    await answer('2026-W49', 'ir-wheel-of-misfortune', 3, false);
    // Later: a typed check-in answering no prompt, and a private answer to another prompt.
    await answer('2026-W50', null, 7, false);
    await answer('2026-W51', 'ir-draft-a-postmortem', 8, true);
    expect(await latest('others')).toEqual(['ir-wheel-of-misfortune']);
    expect(await latest('author')).toEqual(['ir-wheel-of-misfortune']);
  });
});
