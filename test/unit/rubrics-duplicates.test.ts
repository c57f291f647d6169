import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { isOncallPrompt } from '../../src/jobs/oncall-week.ts';
import { promptInput } from '../../src/jobs/weekly-prompts.ts';
import { promptMessage, reminderMessage } from '../../src/outbound/views/prompt-message.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { LEVELS, type Rubrics } from '../../src/rubrics/schema.ts';
import { NEAR_DUPLICATE, nearDuplicates, overlap, poolFor } from '../support/near-duplicates.ts';
import { allPrompts } from '../support/rubric-prompts.ts';

/** Ids removed as duplicates: never shipped again, referenced nowhere. */
const DROPPED = ['obs-normal-baseline', 'trap-staff-rewrite-a-self-review-line'];

let r: Rubrics;
beforeAll(async () => {
  r = await loadRubrics('rubrics');
});

describe('near-duplicate prompts', () => {
  it('no member is sent two prompts that are too alike, at any level', () => {
    for (const level of LEVELS) {
      expect(poolFor(r, level).length, level).toBeGreaterThan(50);
      expect(nearDuplicates(r, level, NEAR_DUPLICATE), level).toEqual([]);
    }
  });

  it('catches a prompt reworded a little, and passes two different exercises', () => {
    const a = 'Pick the noisiest alert of your rotation and fix what makes it fire. Link the pull request.';
    const b = 'Choose the noisiest alert in your rotation, then fix what makes it fire. Link the alert rule.';
    const c = 'Write the status update you would post fifteen minutes into an outage. Link the update.';
    expect(overlap(a, b)).toBeGreaterThanOrEqual(NEAR_DUPLICATE);
    expect(overlap(a, c)).toBeLessThan(NEAR_DUPLICATE);
  });

  it('keeps the pairs issue 21 named apart: two runbook prompts for a junior, one alert picked on call and fixed after', () => {
    const text = new Map(allPrompts(r).map((p) => [p.id, p.text.replace(/\s+/g, ' ')]));
    const runbook = ['ir-walk-a-runbook', 'trap-junior-fix-what-exists', 'oncall-junior-read-the-hard-runbook'];
    const juniorRunbooks = [...runbook, 'wr-runbook-for-stranger'].filter((id) => /runbook/i.test(text.get(id) ?? ''));
    expect(juniorRunbooks).toEqual(['ir-walk-a-runbook', 'wr-runbook-for-stranger']);
    expect(text.get('oncall-mid-pick-the-alert')).toMatch(/File a ticket/);
    expect(text.get('oncall-mid-pick-the-alert')).not.toMatch(/threshold|delete|pull request/);
    expect(text.get('trap-mid-review-outside-your-team')).not.toMatch(/pull request/);
    expect(text.get('auto-toil-diary')).not.toMatch(/for the whole week/i);
    expect(text.get('cx-sit-with-support')).not.toMatch(/tickets/);
    expect(text.get('ir-notes-while-debugging')).toMatch(/ruled out/);
    const pairs = [
      ['ir-notes-while-debugging', 'oncall-junior-shift-log'],
      ['auto-toil-diary', 'oncall-junior-toil-count'],
      ['own-prune-one-alert', 'oncall-mid-pick-the-alert'],
      ['trap-mid-review-outside-your-team', 'iac-review-one-pr'],
      ['mentor-senior-what-you-handed-over', 'trap-senior-hand-over-a-system'],
      ['cx-read-support-tickets', 'cx-sit-with-support'],
      ['stretch-junior-budget-in-minutes', 'slo-budget-in-minutes'],
    ];
    for (const [a, b] of pairs) expect(overlap(text.get(a!)!, text.get(b!)!), `${a} / ${b}`).toBeLessThan(0.15);
  });
});

describe('dropped duplicates', () => {
  it('are gone from the rubrics and named nowhere else in the repository', () => {
    const ids = new Set(allPrompts(r).map((p) => p.id));
    expect(ids.size).toBeGreaterThan(150);
    for (const id of DROPPED) expect(ids.has(id), id).toBe(false);
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && f !== 'test/unit/rubrics-duplicates.test.ts' && !/\.(png|ico|lock)$/.test(f));
    expect(files).toContain('src/sandbox/seed.ts');
    const naming = files.filter((f) => {
      const text = (() => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return '';
        }
      })();
      return DROPPED.some((id) => text.includes(id));
    });
    expect(naming).toEqual([]);
  });

  it('an old prompt whose id was dropped still renders from its stored text, with no label', () => {
    const deps = { rubrics: r } as Deps;
    const row = {
      nudgeId: 'n1',
      memberLevel: 'junior' as const,
      competencyId: 'observability',
      promptId: DROPPED[0]!,
      promptText: 'For one service, note what normal looks like this week. Link the dashboard.',
    };
    const input = promptInput(deps, row)!;
    expect(input.label).toBeNull();
    expect(isOncallPrompt(deps, 'junior', DROPPED[0]!)).toBe(false);
    for (const message of [promptMessage(input), reminderMessage(input)]) {
      expect(JSON.stringify(message.blocks)).toContain('note what normal looks like this week');
    }
  });
});
