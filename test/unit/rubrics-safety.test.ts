import { beforeAll, describe, expect, it } from 'vitest';
import { loadRubrics } from '../../src/rubrics/load.ts';
import type { Rubrics } from '../../src/rubrics/schema.ts';
import { allPrompts } from '../support/rubric-prompts.ts';

/**
 * Things a prompt can ask someone to do that run against, load or change a live system. Reading
 * a dashboard or a postmortem is not on the list; running a query plan, a rerun test, a fault,
 * a load test, a failover, a restore, a drift check or an import is.
 */
const ACTIONS: [string, RegExp][] = [
  ['query plan', /\bEXPLAIN\b|\bquery plan\b/],
  ['rerun test', /\b(run|ran|rerun)\b[^.]{0,40}\btwice\b|\bstopped halfway\b|\bkill(ed)? (it )?halfway\b/i],
  ['fault', /\binject\w*\b|\bfault injection\b|\badd(ing)? latency\b/i],
  ['load test', /\bload test\b/i],
  ['failover', /\bfail(ing)? ?over\b|\bfailover\b/i],
  ['restore', /\brestor(e|es|ing)\b/i],
  ['drift check', /\bdrift\b/i],
  ['import', /\bimport\b/i],
  ['packet capture', /\bpacket capture\b/i],
  ['game day or drill run', /\b(run|running|hold|holding) (a |the |one |your )?(game.day|failure drill|dr drill)\b/i],
];

/** The guards the issue names: approval, read-only, replica, dry run, outside (non-)production. */
const GUARD = /\b(approv(e|es|ed|al)|read-only|replica|dry run|outside production|non-production)\b/i;

function unguarded(prompts: readonly { id: string; text: string }[]): string[] {
  return prompts.flatMap((p) => {
    const named = ACTIONS.filter(([, re]) => re.test(p.text)).map(([what]) => what);
    return named.length && !GUARD.test(p.text) ? [`${p.id}: ${named.join(', ')}`] : [];
  });
}

let r: Rubrics;
beforeAll(async () => {
  r = await loadRubrics('rubrics');
});

describe('rubric safety', () => {
  it('every prompt that names a production action also names its guard', () => {
    const acting = allPrompts(r).filter((p) => ACTIONS.some(([, re]) => re.test(p.text)));
    // The check has something to check: the prompts the issue named are among them.
    expect(acting.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'auto-make-it-rerunnable',
        'dbg-query-plan',
        'stretch-junior-two-layers-down',
        'res-run-small-experiment',
        'iac-find-drift',
        'iac-import-click-ops',
      ]),
    );
    expect(unguarded(allPrompts(r))).toEqual([]);
  });

  it('flags an action without a guard, and passes it once a guard is named', () => {
    expect(unguarded([{ id: 'x', text: 'Run the script twice in a row. Link the script.' }])).toEqual([
      'x: rerun test',
    ]);
    expect(unguarded([{ id: 'x', text: 'Run the script twice in a row as a dry run. Link the script.' }])).toEqual([]);
    expect(unguarded([{ id: 'x', text: 'Explain a counter to a teammate. Link the dashboard.' }])).toEqual([]);
  });

  it('says how each named prompt is made safe', () => {
    const text = new Map(allPrompts(r).map((p) => [p.id, p.text.replace(/\s+/g, ' ')]));
    expect(text.get('auto-make-it-rerunnable')).toMatch(/dry run or on a copy outside production/);
    for (const id of ['dbg-query-plan', 'stretch-junior-two-layers-down']) {
      expect(text.get(id), id).toMatch(/plain EXPLAIN/);
      expect(text.get(id), id).toMatch(/EXPLAIN ANALYZE (\w+ it|runs the query), so .*replica or outside production/);
    }
    expect(text.get('stretch-junior-two-layers-down')).toMatch(/read-only, next to a teammate who has the access/);
    expect(text.get('res-run-small-experiment')).toMatch(/approval, a stop condition .*and an announcement/);
    expect(text.get('res-run-small-experiment')).not.toMatch(/low-risk environment/);
    expect(text.get('iac-find-drift')).toMatch(/read-only plan from CI/);
    expect(text.get('iac-find-drift')).toMatch(/find out why it is there before any code overwrites it/);
    expect(text.get('iac-import-click-ops')).toMatch(/first plan after the import must show no changes/);
    for (const id of ['stretch-staff-joint-learning-review', 'stretch-staff-roadmaps-side-by-side']) {
      expect(text.get(id), id).toMatch(/another organisation inside the company|organisation inside the company/);
      expect(text.get(id), id).toMatch(/stay inside the company/);
    }
  });
});

/** Prompts that can only be done when something happens: an incident or a page this week. */
const NEEDS_AN_INCIDENT = /\bnext (incident|page)\b|\bnext time you are paged\b|\bduring your next\b/i;
/** What to do instead in a quiet week: a past incident or a drill. */
const FALLBACK =
  /\b(if (this week stays quiet|no incident|nothing happens|there (is|was) no incident)|in a quiet week)\b[^.]*\b(past|older) incident|\bdrill\b/i;

describe('quiet weeks', () => {
  it('every prompt that needs an incident this week says what to do in a quiet one', () => {
    const needing = allPrompts(r).filter((p) => NEEDS_AN_INCIDENT.test(p.text));
    expect(needing.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'own-declare-severity',
        'own-lead-an-incident',
        'own-updates-unasked',
        'trap-senior-shadow-silently',
      ]),
    );
    expect(needing.filter((p) => !FALLBACK.test(p.text.replace(/\s+/g, ' '))).map((p) => p.id)).toEqual([]);
  });

  it('a prompt that needs an incident and names no fallback is caught', () => {
    expect(NEEDS_AN_INCIDENT.test('During your next incident, post updates. Link the update thread.')).toBe(true);
    expect(FALLBACK.test('During your next incident, post updates. Link the update thread.')).toBe(false);
    expect(FALLBACK.test('In a quiet week, rewrite the updates of a past incident. Link the thread.')).toBe(true);
  });
});
