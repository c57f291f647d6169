import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { competenciesFor } from '../../src/growth/competencies.ts';
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
import { eightWordRuns, fingerprint, fingerprints } from '../support/eight-word-runs.ts';
import { allPrompts } from '../support/rubric-prompts.ts';

/**
 * What a prompt's last sentence may name as the evidence worth linking. A prompt ending
 * "…Link the pull request." passes; one ending on a bare question does not.
 */
const ARTEFACTS = [
  'pull request',
  'dashboard',
  'panel',
  'postmortem',
  'runbook',
  'doc',
  'design doc',
  'ticket',
  'tickets',
  'script',
  'query',
  'query plan',
  'trace',
  'log',
  'log searches',
  'alert rule',
  'plan',
  'plan output',
  'notes',
  'note',
  'handoff note',
  'write-up',
  'proposal',
  'estimate',
  'spreadsheet',
  'cost report',
  'message',
  'thread',
  'slides',
  'recording',
  'timeline',
  'diagram',
  'commit',
  'branch',
  'outline',
  'checklist',
  'report',
  'postmortems',
  'metrics',
  'shift log',
  'guide',
  'list',
  'tally',
  'backlog',
  'config',
  'update',
  'severity guide',
  'deploy log',
  'change list',
  'incident channel',
  'module',
  'code',
  'record',
  'schedule',
];
const FILES = [...LEVELS, 'shared'] as const;
const STEP = { junior: 'mid', mid: 'senior', senior: 'staff', staff: 'staff' } as const;

/** Every run of eight words in `text` whose fingerprint is in `source`. */
function sharedRuns(text: string, source: Set<string>): string[] {
  return eightWordRuns(text).filter((run) => source.has(fingerprint(run)));
}

/** Every string in a parsed YAML document, with where it is. */
function* strings(node: unknown, path: string): Generator<[string, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (Array.isArray(node)) for (const [i, v] of node.entries()) yield* strings(v, `${path}[${i}]`);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) yield* strings(v, `${path}.${k}`);
  }
}

function lastSentence(text: string): string {
  const sentences = text.trim().split(/(?<=[.!?])\s+/);
  return sentences[sentences.length - 1]!.toLowerCase();
}

function namesArtefact(text: string): boolean {
  const last = lastSentence(text);
  return ARTEFACTS.some((a) => new RegExp(`\\b${a.replace(/[-]/g, '\\-')}\\b`).test(last));
}

let r: Rubrics;
beforeAll(async () => {
  r = await loadRubrics('rubrics');
});

describe('rubric content', () => {
  it('gives every competency at least two follow-ups and a good answer (shared: one for each level)', () => {
    for (const level of LEVELS) {
      for (const c of competenciesFor(r, level)) {
        expect(followUps(c).length, c.id).toBeGreaterThanOrEqual(2);
        expect(goodAnswer(c, level), `${c.id} at ${level}`).toMatch(/\w{3,}/);
      }
    }
    for (const c of r.shared.competencies) expect(typeof c.good_answer, c.id).toBe('object');
  });

  it('has at least four trap prompts and four on-call prompts per level, and a one-sentence trap', () => {
    for (const level of LEVELS) {
      expect(trapPrompts(r, level).length, level).toBeGreaterThanOrEqual(4);
      expect(oncallPrompts(r, level).length, level).toBeGreaterThanOrEqual(4);
      expect(trapSentence(r, level)).toMatch(/^[A-Z].{20,200}\.$/);
      const mine = new Set(competenciesFor(r, level).map((c) => c.id));
      for (const p of [...trapPrompts(r, level), ...oncallPrompts(r, level)]) {
        expect(mine, p.id).toContain(p.competency.id);
      }
    }
  });

  it('has at least six stretch prompts per step, each from the next level (staff: beyond the organisation)', () => {
    for (const level of LEVELS) {
      const { label, prompts } = stretchFor(r, level);
      expect(label).toBe(level === 'staff' ? 'Stretch beyond your organisation' : `Stretch toward ${STEP[level]}`);
      expect(prompts.length, level).toBeGreaterThanOrEqual(6);
      for (const p of prompts) expect(p.competency.level, p.id).toBe(STEP[level]);
    }
  });

  it('asks senior and staff members about their own mentoring, and nobody below', () => {
    expect(mentoringPrompts(r, 'junior')).toEqual([]);
    expect(mentoringPrompts(r, 'mid')).toEqual([]);
    expect(mentoringPrompts(r, 'senior').length).toBeGreaterThanOrEqual(3);
    expect(mentoringPrompts(r, 'staff').length).toBeGreaterThanOrEqual(3);
  });

  it('gives mid-level members an on-call ownership competency with at least six prompts', () => {
    const c = r.byId.get('oncall-ownership');
    expect(c?.level).toBe('mid');
    expect(c?.prompts.length).toBeGreaterThanOrEqual(6);
    const all = c?.prompts.map((p) => p.text).join(' ');
    for (const duty of ['severity', 'roll back', 'lead the next incident', 'handoff', 'noisiest alert']) {
      expect(all).toContain(duty);
    }
  });

  it('ends every prompt by naming the artefact worth linking', () => {
    const bare = allPrompts(r)
      .filter((p) => !namesArtefact(p.text))
      .map((p) => `${p.id}: ${lastSentence(p.text)}`);
    expect(bare).toEqual([]);
    expect(namesArtefact('Which part did you not understand?')).toBe(false);
    expect(namesArtefact('What did you find? Link the pull request.')).toBe(true);
  });

  it('shares no run of eight words with the career path', async () => {
    const source = new Set((await readFile('test/support/career-path-runs.txt', 'utf8')).split('\n').filter(Boolean));
    expect(source.size).toBeGreaterThan(1000);
    const copied: string[] = [];
    for (const file of FILES) {
      const doc: unknown = parse(await readFile(join('rubrics', `${file}.yaml`), 'utf8'));
      for (const [path, text] of strings(doc, file)) {
        copied.push(...sharedRuns(text, source).map((run) => `${path}: "${run}"`));
      }
    }
    expect(copied).toEqual([]);
    // Where the career path itself is at hand (next to the repository), the fingerprints must be current.
    const seed = await readFile('../shared/seed/sre-career-path.txt', 'utf8').catch(() => undefined);
    if (seed !== undefined) expect(fingerprints(seed)).toEqual([...source]);
  });

  it('the eight-word check sees through changed case and punctuation', () => {
    const sentence = 'Every prompt ends by naming the artefact worth linking, such as a runbook.';
    const source = new Set(fingerprints(sentence));
    expect(sharedRuns(`Say it plainly: ${sentence.toUpperCase().replace(/[,.]/g, ' ;')} Then stop.`, source)).toEqual([
      'every prompt ends by naming the artefact worth',
      'prompt ends by naming the artefact worth linking',
      'ends by naming the artefact worth linking such',
      'by naming the artefact worth linking such as',
      'naming the artefact worth linking such as a',
      'the artefact worth linking such as a runbook',
    ]);
    expect(sharedRuns('Every prompt ends by naming an artefact worth linking.', source)).toEqual([]);
  });

  it('keeps the content fixes: one status-update limit, incident details inside the company, safe captures', () => {
    const texts = new Map(allPrompts(r).map((p) => [p.id, p.text]));
    expect(texts.has('ir-practice-status-update')).toBe(false);
    const updates = [...texts.values()].filter((t) => /status update/i.test(t));
    const limits = new Set(updates.flatMap((t) => [...t.matchAll(/under (\d+) words/g)].map((m) => m[1])));
    expect([...limits]).toEqual(['60']);
    expect([...texts.values()].filter((t) => /\bfriend\b/i.test(t))).toEqual([]);
    expect(texts.get('dbg-unfamiliar-layer')).toMatch(/non-production system, or in production only with approval/);
    expect(texts.get('xti-facilitate-postmortem')).toMatch(/If there was no incident/);
  });

  it('keeps the facts straight: headroom, budget in requests, alert pruning order, p95/p99, contributing factors', async () => {
    const everything: string[] = [];
    for (const file of FILES) {
      const doc: unknown = parse(await readFile(join('rubrics', `${file}.yaml`), 'utf8'));
      for (const [path, text] of strings(doc, file)) everything.push(`${path}: ${text.replace(/\s+/g, ' ')}`);
    }
    expect(everything.length).toBeGreaterThan(500);
    expect(
      everything.filter((t) => /root cause|slowest-percentile|times today's (load|traffic)|tripled/i.test(t)),
    ).toEqual([]);
    const capacity = r.byId.get('capacity-and-cost')!;
    for (const words of [/lead time|how long it takes to add/, /grow/, /losing a zone|loss of a zone/]) {
      expect(capacity.why).toMatch(words);
    }
    const text = new Map(allPrompts(r).map((p) => [p.id, p.text.replace(/\s+/g, ' ')]));
    expect(text.get('oncall-junior-note-normal')).toMatch(/p95 or p99 latency/);
    expect(text.get('dbg-revisit-old-incident')).toMatch(/contributing factors/);
    const budget = text.get('stretch-junior-budget-in-minutes')!;
    expect(budget).toMatch(/rolling 28 or 30 days/);
    expect(budget.indexOf('failed requests')).toBeLessThan(budget.indexOf('minutes'));
    const prune = text.get('own-prune-one-alert')!;
    const at = (phrase: string) => prune.indexOf(phrase);
    expect(at('fix what makes it fire')).toBeGreaterThan(-1);
    expect(at('fix what makes it fire')).toBeLessThan(at('demote it to a ticket'));
    expect(at('demote it to a ticket')).toBeLessThan(at('how fast the error budget burns'));
    expect(at('how fast the error budget burns')).toBeLessThan(at('Raising the threshold comes last'));
    expect(prune).toMatch(/would the change have hidden any of them/);
  });

  it('the counts table in rubrics/README.md matches the files', async () => {
    const readme = await readFile('rubrics/README.md', 'utf8');
    const table = readme.slice(readme.indexOf('## Counts'));
    for (const file of FILES) {
      const f = file === 'shared' ? r.shared : r.levels[file];
      const counts = [
        f.competencies.length,
        f.competencies.reduce((n, c) => n + c.prompts.length, 0),
        f.trap_prompts?.length ?? 0,
        f.stretch?.prompts.length ?? 0,
        f.mentoring_prompts?.length ?? 0,
        f.oncall_prompts?.length ?? 0,
      ];
      const all = counts.slice(1).reduce((a, b) => a + b, 0);
      expect(table, file).toContain(`| \`${file}.yaml\` | ${[...counts, all].join(' | ')} |`);
    }
    expect(table).toContain(`| **${allPrompts(r).length}** |`);
  });
});
