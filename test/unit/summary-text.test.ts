import { describe, expect, it } from 'vitest';
import type { CoverageRow, Progress } from '../../src/growth/progress.ts';
import { clip, progressText, quote } from '../../src/outbound/views/progress.ts';
import type { RubricCompetency } from '../../src/rubrics/schema.ts';

/** Only the name is read by the summary; the rest of a competency is the rubric's. */
const competency = (id: string, name: string) => ({ id, name, level: 'mid' }) as RubricCompetency;
const alerting = competency('alerting', 'Alerting');
const slos = competency('slos', 'SLOs & <budgets>');
const row = (c: RubricCompetency, thisQuarter: number, latestRating: number | null, trend: CoverageRow['trend']) => ({
  competency: c,
  thisQuarter,
  lastAt: null,
  latestRating,
  trend,
});

const quiet: Progress = {
  answeredThisWeek: false,
  last4: { weeks: 0, of: 4 },
  last12: { weeks: 0, of: 12 },
  streak: 0,
  coverage: [],
  openHelp: [],
  readiness: null,
  topics: [],
  retired: [],
};

const busy: Progress = {
  answeredThisWeek: true,
  last4: { weeks: 3, of: 4 },
  last12: { weeks: 9, of: 11 },
  streak: 1,
  coverage: [row(alerting, 6, 4, 'up'), row(slos, 2, 2, 'down'), row(competency('toil', 'Toil'), 0, null, 'none')],
  openHelp: [
    {
      checkinId: 'c1',
      competencyId: 'slos',
      at: new Date('2026-12-03T10:00:00Z'),
      text: 'how   do I\nset <an> error budget?',
    },
  ],
  readiness: {
    nextLevel: 'senior',
    ready: 1,
    of: 2,
    competencies: [
      { competency: alerting, ready: true },
      { competency: slos, ready: false },
    ],
  },
  topics: [
    { kind: 'help', text: 'Error budgets <now>', reason: 'asked for help', competencyId: 'slos', promptId: 'p1' },
  ],
  retired: [
    { name: 'Old & <gone>', lastAt: new Date('2026-10-01T08:00:00Z') },
    { name: 'Never', lastAt: null },
  ],
};

describe('the summary as a person reads it', () => {
  it('a quiet member: the headline and an empty list of competencies, nothing else', () => {
    expect(progressText('Ana', 'junior', quiet, () => '?')).toBe(
      [
        '*Ana* · junior',
        ':hourglass_flowing_sand: no check-in yet this week · streak 0 wks · 0/4 of the last 4 weeks · 0/12 of the last 12',
        '',
        '*Competencies*',
      ].join('\n'),
    );
  });

  it('every section, in order, with what people typed escaped', () => {
    const text = progressText('Ben', 'mid', busy, (id) => (id === 'slos' ? 'SLOs' : 'no competency'), {
      trap: 'Heroics <at> 3am & after',
      focus: ['*Focus this quarter*', '• Alerting'],
      latest: [
        {
          text: 'wrote  the\trunbook <here>',
          competencyName: 'Alerting & co',
          at: new Date('2026-12-04T09:00:00Z'),
          private: true,
        },
        { text: 'no competency yet', competencyName: null, at: new Date('2026-12-02T09:00:00Z'), private: false },
      ],
      help: (id, promptId) =>
        id === 'slos' && promptId === 'p1'
          ? {
              ask: 'What <is> burn?',
              good: 'Names a window',
              redFlag: '100 %',
              reference: '43.2 min',
              safety: 'Who approved?',
            }
          : {},
    });
    expect(text).toBe(
      [
        '*Ben* · mid',
        ':white_check_mark: checked in this week · streak 1 wk · 3/4 of the last 4 weeks · 9/11 of the last 12',
        '_Watch for:_ Heroics &lt;at&gt; 3am &amp; after',
        '',
        '*Focus this quarter*',
        '• Alerting',
        '',
        '*Latest check-ins*',
        '• 2026-12-04 · Alerting &amp; co · just for you\n>wrote the runbook &lt;here&gt;',
        '• 2026-12-02 · no competency\n>no competency yet',
        '',
        '*Competencies*',
        '`▰▰▰▰` Alerting · 6 this quarter · rating 4↑',
        '`▰▰▱▱` SLOs & <budgets> · 2 this quarter · rating 2↓',
        '`▱▱▱▱` Toil · 0 this quarter · rating –',
        '',
        'Toward senior: 1/2 of its competencies practised at 3+ (Alerting)',
        '',
        '*Asked for help*',
        '• SLOs (2026-12-03) how do I set &lt;an&gt; error budget?',
        '',
        '*Next 1:1, talk about*',
        '• *Error budgets &lt;now&gt;*: asked for help' +
          '\n   _Ask:_ What &lt;is&gt; burn?\n   _A good answer:_ Names a window\n   _Red flag:_ 100 %' +
          '\n   _Check against:_ 43.2 min\n   _Safety:_ Who approved?',
        '',
        '*Earlier competencies* (no longer in the rubrics)',
        '• Old &amp; &lt;gone&gt;, last practised 2026-10-01',
        '• Never',
      ].join('\n'),
    );
  });

  it('trends read flat and new, and readiness with nothing ready names no competency', () => {
    const p: Progress = {
      ...quiet,
      streak: 2,
      coverage: [row(alerting, 1, 3, 'flat'), row(slos, 1, 2, 'new')],
      readiness: { nextLevel: 'senior', ready: 0, of: 2, competencies: [{ competency: alerting, ready: false }] },
    };
    const lines = progressText('Cy', 'mid', p, () => '?').split('\n');
    expect(lines[1]).toContain('streak 2 wks');
    expect(lines).toContain('`▰▱▱▱` Alerting · 1 this quarter · rating 3→');
    expect(lines).toContain('`▰▱▱▱` SLOs & <budgets> · 1 this quarter · rating 2');
    expect(lines.at(-1)).toBe('Toward senior: 0/2 of its competencies practised at 3+');
  });

  it('readiness names every ready competency', () => {
    const p: Progress = {
      ...quiet,
      readiness: {
        nextLevel: 'staff',
        ready: 2,
        of: 2,
        competencies: [
          { competency: alerting, ready: true },
          { competency: slos, ready: true },
        ],
      },
    };
    expect(progressText('Fa', 'senior', p, () => '?')).toContain(
      'Toward staff: 2/2 of its competencies practised at 3+ (Alerting, SLOs & <budgets>)',
    );
  });

  it('a topic without a competency gets no mentor aids, and one the help has nothing for gets none either', () => {
    const p: Progress = {
      ...quiet,
      topics: [
        { kind: 'untouched', text: 'Toil', reason: 'not practised yet' },
        { kind: 'falling', text: 'Alerting', reason: 'fewer lately', competencyId: 'alerting' },
      ],
    };
    const text = progressText('Di', 'mid', p, () => '?', { help: () => ({}) });
    expect(text.split('\n').slice(-2)).toEqual(['• *Toil*: not practised yet', '• *Alerting*: fewer lately']);
  });

  it('is cut at 3800 characters with an ellipsis', () => {
    const latest = Array.from({ length: 40 }, (_, i) => ({
      text: 'x'.repeat(300),
      competencyName: `C${i}`,
      at: new Date('2026-12-01T00:00:00Z'),
      private: false,
    }));
    const text = progressText('Ed', 'mid', quiet, () => '?', { latest });
    expect([...text]).toHaveLength(3800);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('text helpers', () => {
  it('clip keeps text of exactly n characters, cuts one more, and counts emoji as one', () => {
    expect(clip('abcd', 4)).toBe('abcd');
    expect(clip('abcde', 4)).toBe('abc…');
    expect(clip('🙂🙂🙂', 3)).toBe('🙂🙂🙂');
  });

  it('quote puts the text on one line, trimmed, escaped and cut', () => {
    expect(quote('  two\n\nlines\tand <b> & more  ')).toBe('>two lines and &lt;b&gt; &amp; more');
    expect(quote('abcdef', 4)).toBe('>abc…');
  });
});
