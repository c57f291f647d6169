import { beforeAll, describe, expect, it } from 'vitest';
import { checkinCompetencies } from '../../src/growth/competencies.ts';
import { type CompetencyStat, progressOf } from '../../src/growth/progress.ts';
import { type DigestMentee, digestMessage } from '../../src/outbound/views/digest.ts';
import { progressText } from '../../src/outbound/views/progress.ts';
import { mentorAid } from '../../src/rubrics/extras.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { LEVELS, type Rubrics } from '../../src/rubrics/schema.ts';
import { editedCopy, problemsOf } from '../support/rubric-copies.ts';

let r: Rubrics;
beforeAll(async () => {
  r = await loadRubrics('rubrics');
});

const NOW = new Date('2026-12-10T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const nameOf = (id: string | null) => (id ? (r.byId.get(id)?.name ?? id) : 'no competency');

/** A falling rating on each competency, so each is a 1:1 topic; `prompt` is the last shared answer's prompt. */
function falling(ids: string[], prompt: Record<string, string> = {}): CompetencyStat[] {
  return ids.map((competencyId) => ({
    competencyId,
    thisQuarter: 2,
    lastAt: daysAgo(2),
    latestRating: 1,
    latestRatedAt: daysAgo(2),
    previousRating: 4,
    latestSharedPromptId: prompt[competencyId] ?? null,
  }));
}
const progress = (level: 'junior' | 'mid' | 'senior' | 'staff', stats: CompetencyStat[]) =>
  progressOf(
    {
      level,
      now: NOW,
      currentWeek: '2026-W50',
      joinedWeek: null,
      checkinWeeks: [],
      pausedWeeks: [],
      competencies: stats,
      helpRequests: [],
    },
    r,
  );

describe('mentor aids in the rubrics', () => {
  it('gives every competency a red flag, a reference and a safety question at every level it is seen', () => {
    let checked = 0;
    for (const level of LEVELS) {
      for (const c of checkinCompetencies(r, level)) {
        const aid = mentorAid(r, c.id, level);
        for (const key of ['ask', 'good', 'redFlag', 'reference', 'safety'] as const) {
          expect(aid[key], `${c.id} at ${level}: ${key}`).toMatch(/\w{3,}.{7,}/);
        }
        expect(aid.safety, c.id).toMatch(/\?$/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
    expect(mentorAid(r, 'slo-thinking', 'mid').reference).toMatch(/43\.2 minutes/);
    // shared.yaml's aids differ by level.
    expect(mentorAid(r, 'writing-clearly', 'junior').redFlag).not.toBe(
      mentorAid(r, 'writing-clearly', 'staff').redFlag,
    );
  });

  it("asks the answered prompt's own follow-up where it has one, else the competency's first", () => {
    const ir = r.byId.get('incident-response')!;
    expect(mentorAid(r, 'incident-response', 'junior', 'ir-draft-a-postmortem').ask).toMatch(/contributing factor/);
    // An on-call prompt filed under the competency has its own too.
    expect(mentorAid(r, 'incident-response', 'junior', 'oncall-junior-hand-off-tired').ask).toMatch(/handing off/);
    expect(mentorAid(r, 'incident-response', 'junior', 'ir-walk-a-runbook').ask).toBe(ir.follow_ups[0]);
    // A prompt filed elsewhere, or an id no longer in the rubrics, falls back: nothing crashes.
    expect(mentorAid(r, 'incident-response', 'junior', 'own-toil-share').ask).toBe(ir.follow_ups[0]);
    expect(mentorAid(r, 'incident-response', 'junior', 'a-prompt-since-removed').ask).toBe(ir.follow_ups[0]);
    expect(mentorAid(r, 'no-such-competency', 'junior', 'ir-draft-a-postmortem')).toEqual({});
  });

  it('refuses a competency without its aids, and a shared one with one line for all levels', async () => {
    const level = await editedCopy('mid.yaml', (d) => {
      delete d.competencies[0]!.red_flag;
      d.competencies[1]!.safety_question = { junior: 'What did you check first?' };
    });
    const p = (await problemsOf(level)).join('\n');
    expect(p).toMatch(/mid\.yaml: competencies\[0\] \(slo-thinking\)\.red_flag: is required: one line in a level file/);
    expect(p).toMatch(/mid\.yaml: competencies\[1\] \(infrastructure-as-code\)\.safety_question: /);
    const shared = await editedCopy('shared.yaml', (d) => {
      d.competencies[2]!.reference = 'One fact for every level is not enough.';
    });
    expect((await problemsOf(shared)).join('\n')).toMatch(
      /shared\.yaml: competencies\[2\] \(customer-empathy\)\.reference: in shared\.yaml is one line per level/,
    );
    const prompt = await editedCopy('junior.yaml', (d) => {
      (d.competencies[0]!.prompts as { follow_up?: string }[])[0]!.follow_up = 'Why?';
    });
    expect((await problemsOf(prompt)).join('\n')).toMatch(
      /junior\.yaml: competencies\[0\] \(incident-response\)\.prompts\[0\] \(ir-walk-a-runbook\)\.follow_up: /,
    );
  });
});

describe('mentor aids where a mentor reads them', () => {
  it('/growth summary shows the follow-up, a good answer, the red flag, the reference and the safety question', () => {
    const p = progress('junior', falling(['incident-response'], { 'incident-response': 'ir-draft-a-postmortem' }));
    const text = progressText('<@U1>', 'junior', p, nameOf, {
      help: (id, promptId) => mentorAid(r, id, 'junior', promptId),
    });
    const aid = mentorAid(r, 'incident-response', 'junior', 'ir-draft-a-postmortem');
    expect(text).toContain('*Next 1:1, talk about*');
    for (const [label, value] of [
      ['Ask', aid.ask],
      ['A good answer', aid.good],
      ['Red flag', aid.redFlag],
      ['Check against', aid.reference],
      ['Safety', aid.safety],
    ]) {
      expect(text).toContain(
        `_${label}:_ ${value!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`,
      );
    }
  });

  it('the digest shows them per topic at the mentee\u2019s level, each section within 3000 characters', () => {
    const mentees: DigestMentee[] = LEVELS.map((level, i) => {
      const own = checkinCompetencies(r, level).slice(0, 3);
      // The longest follow-up prompt of each competency, where it has one.
      const prompts = Object.fromEntries(own.map((c) => [c.id, c.prompts.find((p) => p.follow_up)?.id ?? '']));
      return {
        userId: `U00000${i}`,
        level,
        paused: false,
        progress: progress(
          level,
          falling(
            own.map((c) => c.id),
            prompts,
          ),
        ),
        latest: { id: `c${i}`, text: 'x'.repeat(3000), competencyName: own[0]!.name, at: daysAgo(1) },
        help: (id, promptId) => ({ ...mentorAid(r, id, level, promptId), good: undefined }),
      };
    });
    const message = digestMessage(mentees, nameOf);
    const sections = (message.blocks as { type: string; text?: { text: string } }[])
      .filter((b) => b.type === 'section')
      .map((b) => b.text!.text);
    expect(sections).toHaveLength(4);
    for (const [i, s] of sections.entries()) {
      expect([...s].length).toBeLessThanOrEqual(3000);
      const level = mentees[i]!.level as (typeof LEVELS)[number];
      const first = mentees[i]!.progress.topics[0]!;
      const aid = mentorAid(r, first.competencyId!, level, first.promptId);
      expect(s, level).toContain(`_Red flag:_ ${aid.redFlag!.replace(/&/g, '&amp;')}`);
      expect(s, level).toContain('_Check against:_');
      expect(s, level).toContain('_Safety:_');
      expect(s, level).not.toContain('_A good answer:_');
    }
  });
});
