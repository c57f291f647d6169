import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  followUps,
  goodAnswer,
  mentoringPrompts,
  oncallPrompts,
  stretchFor,
  trapPrompts,
  trapSentence,
} from '../../src/rubrics/extras.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { LEVELS, type Rubrics } from '../../src/rubrics/schema.ts';
import { editedCopy, problemsOf as problemList } from '../support/rubric-copies.ts';
import { buildRubricFixture } from '../support/rubric-fixture.ts';

const problemsOf = async (dir: string) => (await problemList(dir)).join('\n');

const six = ['a', 'b', 'c', 'd', 'e', 'f'];
const stretchOf = (label: string, competency: string) => ({
  label,
  prompts: six.map((x) => extra(`t-st-${x}`, competency)),
});
const extra = (id: string, competency: string) => ({
  id,
  competency,
  text: 'Try one concrete thing this week and link the pull request you made.',
});

describe('rubric extras: accessors', () => {
  const r = buildRubricFixture();

  it('resolves trap, on-call and mentoring prompts to the competency their check-in is filed under', () => {
    const traps = trapPrompts(r, 'mid');
    expect(traps.map((p) => p.id)).toEqual(['trap-mid-p1', 'trap-mid-p2', 'trap-mid-p3', 'trap-mid-p4']);
    expect(traps[1]?.competency).toMatchObject({ id: 'mid-c2', level: 'mid', name: 'mid competency 2' });
    expect(oncallPrompts(r, 'junior')).toHaveLength(4);
    expect(mentoringPrompts(r, 'senior').map((p) => p.competency.level)).toEqual(['senior', 'senior', 'senior']);
    expect(mentoringPrompts(r, 'junior')).toEqual([]);
  });

  it('gives stretch prompts from the next level, and staff its own under its own label', () => {
    const junior = stretchFor(r, 'junior');
    expect(junior.label).toBe('Stretch toward mid');
    expect(junior.prompts).toHaveLength(6);
    expect(new Set(junior.prompts.map((p) => p.competency.level))).toEqual(new Set(['mid']));
    const staff = stretchFor(r, 'staff');
    expect(staff.label).toBe('Stretch beyond your organisation');
    expect(new Set(staff.prompts.map((p) => p.competency.level))).toEqual(new Set(['staff']));
  });

  it('reads a good answer per level from shared competencies and the one line of a level competency', () => {
    const shared = r.byId.get('shared-c1')!;
    expect(goodAnswer(shared, 'junior')).toBe('A good junior answer for shared-c1.');
    expect(goodAnswer(shared, 'staff')).toBe('A good staff answer for shared-c1.');
    expect(goodAnswer(r.byId.get('mid-c2')!, 'mid')).toBe('A good mid answer for mid-c2.');
    expect(followUps(r.byId.get('mid-c2')!)).toHaveLength(2);
  });

  it('gives the trap in its first sentence only', () => {
    expect(trapSentence(r, 'senior')).toBe('A senior engineer gets stuck this way, in a fixture.');
  });

  it('answers empty lists, not undefined, where a level has no such list', () => {
    const bare: Rubrics = structuredClone(r);
    for (const file of Object.values(bare.levels)) {
      delete file.trap_prompts;
      delete file.stretch;
      delete file.oncall_prompts;
      delete file.mentoring_prompts;
      delete file.trap;
    }
    expect(trapPrompts(bare, 'mid')).toEqual([]);
    expect(stretchFor(bare, 'mid')).toEqual({ label: '', prompts: [] });
    expect(oncallPrompts(bare, 'staff')).toEqual([]);
    expect(trapSentence(bare, 'junior')).toBe('');
  });
});

describe('rubric extras: validation', () => {
  it('loads stretch, trap and on-call prompts that name the right competencies', async () => {
    const dir = await editedCopy('junior.yaml', (d) => {
      d.stretch = stretchOf('Stretch toward mid', 'slo-thinking');
      d.trap_prompts = ['a', 'b', 'c', 'd'].map((x) =>
        extra(`t-trap-${x}`, x === 'a' ? 'writing-clearly' : 'observability'),
      );
    });
    const r = await loadRubrics(dir);
    expect(
      stretchFor(r, 'junior')
        .prompts.filter((p) => p.id.startsWith('t-st-'))
        .map((p) => p.competency.id),
    ).toEqual(Array(6).fill('slo-thinking'));
    expect(trapPrompts(r, 'junior').find((p) => p.id === 't-trap-a')?.competency.level).toBe('shared');
  });

  it('refuses a stretch prompt naming a competency that is not in the next level, naming file and path', async () => {
    const dir = await editedCopy('junior.yaml', (d) => {
      d.stretch = stretchOf('Stretch toward mid', 'slo-thinking');
      (d.stretch as { prompts: { competency: string }[] }).prompts[2]!.competency = 'observability';
    });
    expect(await problemsOf(dir)).toContain(
      `${join(dir, 'junior.yaml')}: stretch.prompts[2] (t-st-c).competency: ` +
        '"observability" is not a competency of mid.yaml',
    );
  });

  it('refuses a staff stretch prompt reaching outside staff.yaml, and a trap prompt from another level', async () => {
    const dir = await editedCopy('staff.yaml', (d) => {
      d.stretch = stretchOf('Stretch beyond your organisation', 'slo-thinking');
      d.trap_prompts = ['a', 'b', 'c', 'd'].map((x) => extra(`t-trap-${x}`, 'observability'));
    });
    const p = await problemsOf(dir);
    expect(p).toContain('stretch.prompts[0] (t-st-a).competency: "slo-thinking" is not a competency of staff.yaml');
    expect(p).toContain(
      'trap_prompts[3] (t-trap-d).competency: "observability" is not a competency of staff.yaml or shared.yaml',
    );
  });

  it('requires the extras of every level file, and mentoring prompts of senior and staff only', async () => {
    const dir = await editedCopy('senior.yaml', (d) => {
      delete d.stretch;
      delete d.mentoring_prompts;
    });
    const p = await problemsOf(dir);
    expect(p).toContain(`${join(dir, 'senior.yaml')}: stretch: is required in senior.yaml`);
    expect(p).toContain(`${join(dir, 'senior.yaml')}: mentoring_prompts: is required in senior.yaml`);
  });

  it('requires follow-up questions and a good answer of every competency', async () => {
    const dir = await editedCopy('shared.yaml', (d) => {
      delete d.competencies[1]!.follow_ups;
      delete d.competencies[2]!.good_answer;
    });
    const p = await problemsOf(dir);
    expect(p).toMatch(/shared\.yaml: competencies\[1\] \(staying-current\)\.follow_ups: /);
    expect(p).toMatch(/shared\.yaml: competencies\[2\] \(customer-empathy\)\.good_answer: /);
  });

  it('refuses a file with fewer than four on-call prompts', async () => {
    const dir = await editedCopy('mid.yaml', (d) => {
      d.oncall_prompts = [extra('slo-budget-in-minutes', 'slo-thinking')];
    });
    const p = await problemsOf(dir);
    expect(p).toMatch(/mid\.yaml: oncall_prompts: needs at least 4 on-call prompts/);
  });

  it('refuses a duplicate id across a regular and an extra prompt', async () => {
    const dir = await editedCopy('mid.yaml', (d) => {
      d.oncall_prompts = ['slo-budget-in-minutes', 'x2', 'x3', 'x4'].map((id) => extra(id, 'slo-thinking'));
    });
    expect(await problemsOf(dir)).toContain(
      'mid.yaml: prompt id "slo-budget-in-minutes" in oncall_prompts is also used in mid.yaml slo-thinking',
    );
  });

  it('keeps level-only keys out of shared.yaml and asks shared for a good answer per level', async () => {
    const dir = await editedCopy('shared.yaml', (d) => {
      d.trap_prompts = ['a', 'b', 'c', 'd'].map((x) => extra(`t-trap-${x}`, 'writing-clearly'));
      d.competencies[0]!.good_answer = 'One line is not enough for shared.';
    });
    const p = await problemsOf(dir);
    expect(p).toMatch(/shared\.yaml: trap_prompts: belongs in a level file/);
    expect(p).toMatch(/shared\.yaml: competencies\[0\] \(writing-clearly\)\.good_answer: in shared\.yaml is one line/);
  });

  it('keeps mentoring prompts to senior and staff, and a level good answer to one line', async () => {
    const dir = await editedCopy('mid.yaml', (d) => {
      d.mentoring_prompts = ['a', 'b', 'c'].map((x) => extra(`t-m-${x}`, 'slo-thinking'));
      d.competencies[0]!.good_answer = Object.fromEntries(LEVELS.map((l) => [l, `what a good ${l} answer says`]));
    });
    const p = await problemsOf(dir);
    expect(p).toMatch(/mid\.yaml: mentoring_prompts: only senior\.yaml and staff\.yaml/);
    expect(p).toMatch(/mid\.yaml: competencies\[0\] \(slo-thinking\)\.good_answer: in a level file is one line/);
  });
});
