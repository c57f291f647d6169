import { beforeEach, describe, expect, it } from 'vitest';
import { recordCheckin } from '../../src/db/checkins.ts';
import { digestsFor } from '../../src/jobs/digests.ts';
import { mentorAid } from '../../src/rubrics/extras.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x));
const NOW = new Date('2026-12-10T12:00:00Z');
beforeEach(() => h.setNow(NOW));

const say = async (user: string, text: string) =>
  ((await h.send(slashCommand({ command: '/growth', text, user_id: user }))).json as { text: string }).text;

/** A check-in on incident-response answering the prompt `promptId` sent in `week`. */
async function answer(week: string, promptId: string, day: number, rating: number, isPrivate: boolean) {
  const at = new Date(Date.UTC(2026, 11, day, 9));
  const [nudge] = await h.deps.db
    .insertInto('nudges')
    .values({
      team_id: 'T0TEST',
      user_id: 'U0ALICE',
      week,
      level: 'junior',
      competency_id: 'incident-response',
      prompt_id: promptId,
      prompt_text: `The prompt ${promptId}.`,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .execute();
  await recordCheckin(h.deps.db, {
    team_id: 'T0TEST',
    user_id: 'U0ALICE',
    competency_id: 'incident-response',
    competency_name: 'Incident response fundamentals',
    text: `Answered ${promptId}`,
    rating,
    evidence_url: null,
    private: isPrivate,
    source: 'command',
    nudge_id: nudge!.id,
    idempotency_key: `k-${promptId}-${day}`,
    created_at: at,
    updated_at: at,
  });
}

describe('mentor aids beside the follow-up', () => {
  it('ask about the prompt last answered in a shared check-in, never one answered privately, in summary and digest', async () => {
    await say('U0ALICE', 'join junior');
    await say('U0MO', 'join senior');
    await say('U0ALICE', 'mentor <@U0MO>');
    await answer('2026-W48', 'ir-walk-a-runbook', 1, 4, false);
    await answer('2026-W49', 'ir-wheel-of-misfortune', 3, 2, false);
    // The latest check-in is private and answers a prompt with its own follow-up: the mentor must not learn of it.
    await answer('2026-W50', 'ir-draft-a-postmortem', 8, 1, true);
    const shared = mentorAid(h.deps.rubrics, 'incident-response', 'junior', 'ir-wheel-of-misfortune');
    const hidden = mentorAid(h.deps.rubrics, 'incident-response', 'junior', 'ir-draft-a-postmortem');
    expect(shared.ask).toMatch(/drill/);
    expect(hidden.ask).not.toBe(shared.ask);

    const summary = await say('U0MO', 'summary <@U0ALICE>');
    expect(summary).toContain('*Incident response fundamentals*');
    expect(summary).toContain(`_Ask:_ ${shared.ask}`);
    expect(summary).toContain(`_Red flag:_ ${shared.redFlag}`);
    expect(summary).toContain(`_Check against:_ ${shared.reference}`);
    expect(summary).toContain(`_Safety:_ ${shared.safety}`);
    expect(summary).not.toContain(hidden.ask);

    const digest = (await digestsFor(h.deps, [{ teamId: 'T0TEST', mentorId: 'U0MO' }], NOW, (id) => id ?? '')).get(
      'T0TEST|U0MO',
    );
    const text = JSON.stringify(digest?.blocks);
    expect(text).toContain(`_Ask:_ ${shared.ask}`);
    expect(text).toContain(`_Red flag:_ ${shared.redFlag}`);
    expect(text).toContain('_Safety:_');
    expect(text).not.toContain(hidden.ask);
  });
});
