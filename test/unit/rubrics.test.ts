import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { competenciesFor } from '../../src/growth/competencies.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { LEVELS } from '../../src/rubrics/schema.ts';
import { brokenCopy, problemsOf } from '../support/rubric-copies.ts';

describe('rubrics', () => {
  it('loads the shipped rubrics: junior four competencies, mid six, senior and staff five, three shared, at least six prompts each', async () => {
    const r = await loadRubrics('rubrics');
    for (const level of LEVELS) {
      const own = { junior: 4, mid: 6, senior: 5, staff: 5 }[level];
      expect(r.levels[level].competencies).toHaveLength(own);
      expect(r.levels[level].trap).toBeTruthy();
      const mine = competenciesFor(r, level);
      expect(mine).toHaveLength(own + 3);
      for (const c of mine) expect(c.prompts.length).toBeGreaterThanOrEqual(6);
    }
    expect(r.shared.competencies.map((c) => c.id)).toEqual(['writing-clearly', 'staying-current', 'customer-empathy']);
    expect(r.byId.get('observability')?.level).toBe('junior');
  });

  it('names the file and the path inside it for a schema error', async () => {
    const dir = await brokenCopy('mid.yaml', (y) =>
      y
        .replace('  - id: slo-thinking\n', '  - id: slo-thinking\n    extra: 1\n')
        .replace('name: SLO-driven thinking', 'name: S'),
    );
    const [first] = await problemsOf(dir);
    expect(first).toMatch(/mid\.yaml: competencies\[0\] \(slo-thinking\)\.name: /);
  });

  it('reports a YAML syntax error with its line, column and whole reason', async () => {
    const dir = await brokenCopy('staff.yaml', (y) => `${y}\n  - : : [unclosed\n`);
    expect((await problemsOf(dir))[0]).toMatch(/staff\.yaml line \d+, column \d+: not valid YAML: [A-Z][^\n]*[a-z]\.$/);
    const quote = await brokenCopy('mid.yaml', (y) => y.replace(/^level: mid$/m, "level: 'mid"));
    expect((await problemsOf(quote))[0]).toMatch(
      /mid\.yaml line \d+, column \d+: not valid YAML: Missing closing 'quote\.$/,
    );
  });

  it('a folder that is not there is one line naming RUBRICS_DIR and the path', async () => {
    const err = await loadRubrics('/nonexistent/rubrics').catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'RUBRICS_DIR is /nonexistent/rubrics, which does not exist: set it to a folder with junior.yaml, mid.yaml, senior.yaml, staff.yaml and shared.yaml, or leave it unset for ./rubrics.',
    );
  });

  it('reports a missing file, a level that does not match its file, and ids used twice', async () => {
    const dir = await brokenCopy('senior.yaml', (y) =>
      y.replace(/^level: senior$/m, 'level: staff').replace('id: resilience-testing', 'id: observability'),
    );
    await rm(join(dir, 'shared.yaml'));
    const p = (await problemsOf(dir)).join('\n');
    expect(p).toContain('shared.yaml: missing');
    expect(p).toContain('level is "staff" but the file is named senior.yaml');
    expect(p).toContain('competency id "observability"');
  });

  it('refuses a competency with fewer than six prompts and keys it does not know', async () => {
    const dir = await brokenCopy('junior.yaml', (y) => y.replace(/^level: junior$/m, 'level: junior\ncolour: blue'));
    expect((await problemsOf(dir)).join('\n')).toMatch(/junior\.yaml: .*colour/);
  });
});
