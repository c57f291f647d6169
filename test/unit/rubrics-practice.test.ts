import { beforeAll, describe, expect, it } from 'vitest';
import { stretchCompetencies } from '../../src/growth/competencies.ts';
import { mentoringPrompts, oncallPrompts, stretchFor, trapPrompts } from '../../src/rubrics/extras.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { LEVELS, type Level, type Rubrics } from '../../src/rubrics/schema.ts';
import { allPrompts } from '../support/rubric-prompts.ts';

let r: Rubrics;
beforeAll(async () => {
  r = await loadRubrics('rubrics');
});

const flat = (s: string) => s.replace(/\s+/g, ' ');
/** All prompt text filed under a competency, wherever the prompt is listed. */
const filedUnder = (id: string) =>
  allPrompts(r)
    .filter((p) => p.competencyId === id)
    .map((p) => flat(p.text))
    .join(' ');
/** All prompt text a member of `level` is sent from their own level file (shared prompts left out). */
const ownLevel = (level: Level) =>
  allPrompts(r)
    .filter((p) => p.sentTo === level)
    .map((p) => flat(p.text))
    .join(' ');

const NEW = {
  'security-basics': 'junior',
  'security-in-code': 'mid',
  'deploy-safety': 'mid',
  'security-incident-response': 'senior',
  'mentoring-senior': 'senior',
  'security-policy': 'staff',
  'mentoring-staff': 'staff',
} as const;

describe('practices added in content v3', () => {
  it('adds each new competency to its level with at least six prompts of its own', () => {
    for (const [id, level] of Object.entries(NEW)) {
      const c = r.byId.get(id);
      expect(c?.level, id).toBe(level);
      expect(c?.prompts.length, id).toBeGreaterThanOrEqual(6);
    }
  });

  it('has security at every level, with the focus of each level', () => {
    for (const level of LEVELS) {
      expect(r.levels[level].competencies.filter((c) => c.id.startsWith('security-')).length, level).toBe(1);
    }
    const junior = filedUnder('security-basics');
    for (const topic of [
      /logs/,
      /incident/,
      /personal data|customer names|email addresses/,
      /break-glass/,
      /vulnerability/,
      /patch/,
    ]) {
      expect(junior).toMatch(topic);
    }
    expect(filedUnder('security-in-code')).toMatch(/infrastructure state/);
    expect(filedUnder('security-in-code')).toMatch(/role or policy|permissions/);
    expect(filedUnder('security-incident-response')).toMatch(/security incident/);
    expect(filedUnder('security-incident-response')).toMatch(/evidence/);
    expect(filedUnder('security-policy')).toMatch(/rule/);
  });

  it('teaches deploy safety at mid: canary, progressive rollout, flags, rollback', () => {
    const text = filedUnder('deploy-safety');
    for (const topic of [/canary/, /progressive rollout/, /feature flags/, /undoing a deploy/])
      expect(text).toMatch(topic);
  });

  it('has drills and shadowing at every level', () => {
    for (const level of ['junior', 'mid'] as const) {
      const text = ownLevel(level);
      expect(text, level).toMatch(/Wheel of Misfortune/);
      expect(text, level).toMatch(/Shadow a colleague|Shadow another team/);
    }
    expect(ownLevel('junior')).toMatch(/Hold the pager for part of a shift while an experienced colleague watches/);
    const senior = ownLevel('senior');
    expect(senior).toMatch(/Run a Wheel of Misfortune drill for/);
    expect(senior).toMatch(/production-readiness review/);
    expect(senior).toMatch(/Fail one service over to its standby/);
    const staff = ownLevel('staff');
    expect(staff).toMatch(/error-budget policy for the whole organisation/);
    expect(staff).toMatch(/incident commanders?/);
    expect(staff).toMatch(/pages per shift/);
  });

  it('files mentoring and hand-over prompts under the mentoring competencies, not under unrelated ones', () => {
    const filed = new Map(allPrompts(r).map((p) => [p.id, p.competencyId]));
    for (const id of [
      'trap-senior-hand-over-a-system',
      'trap-senior-protect-systemic-time',
      'oncall-senior-repeat-page',
    ]) {
      expect(filed.get(id), id).toBe('mentoring-senior');
    }
    for (const id of [
      'mentor-staff-challenged-answer',
      'mentor-staff-sponsored-opportunity',
      'mentor-staff-mentor-the-mentors',
    ]) {
      expect(filed.get(id), id).toBe('mentoring-staff');
    }
    // Mentoring prompts count toward mentoring (or writing), never toward resilience, vision or incident learning.
    for (const level of ['senior', 'staff'] as const) {
      const list = [...mentoringPrompts(r, level), ...trapPrompts(r, level), ...oncallPrompts(r, level)];
      expect(list.length).toBeGreaterThan(10);
      for (const p of mentoringPrompts(r, level)) {
        expect([`mentoring-${level}`, 'writing-clearly'], p.id).toContain(p.competency.id);
      }
    }
  });

  it('thickens the thin areas', () => {
    for (const level of ['mid', 'senior', 'staff'] as const) expect(ownLevel(level), level).toMatch(/toil/);
    expect(ownLevel('senior')).toMatch(/Restore a real backup/);
    expect(ownLevel('junior')).toMatch(/Draft the timeline and the contributing factors of a postmortem/);
    expect(ownLevel('mid')).toMatch(/first draft of the postmortem/);
    expect(filedUnder('infrastructure-as-code')).toMatch(/scaling limits/);
    expect(filedUnder('infrastructure-as-code')).toMatch(/how long it takes to add capacity/);
    expect(ownLevel('senior')).toMatch(/reliability section of a design doc/);
    const oncall = LEVELS.flatMap((l) => oncallPrompts(r, l)).map((p) => flat(p.text));
    expect(oncall.filter((t) => /too tired/.test(t) && /hand off/.test(t)).length).toBeGreaterThanOrEqual(1);
    expect(oncall.filter((t) => /out of hours/.test(t)).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps readiness reachable: every next-level competency has a stretch prompt filed under it', () => {
    for (const level of ['junior', 'mid', 'senior'] as const) {
      const stretched = new Set(stretchFor(r, level).prompts.map((p) => p.competency.id));
      const goals = stretchCompetencies(r, level).map((c) => c.id);
      expect(goals.length, level).toBeGreaterThanOrEqual(5);
      expect(
        goals.filter((id) => !stretched.has(id)),
        level,
      ).toEqual([]);
    }
  });
});
