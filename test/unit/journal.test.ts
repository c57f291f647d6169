import { describe, expect, it } from 'vitest';
import { journalMarkdown } from '../../src/growth/journal.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { shownMarkdown } from '../support/shown.ts';

describe('the growth journal', () => {
  it('writes what good looks like as sentences, never ".;" between them', async () => {
    const rubrics = await loadRubrics('rubrics');
    const md = journalMarkdown({
      name: 'Ana',
      level: 'junior',
      checkins: [],
      rubrics,
      now: new Date('2026-12-09T12:00:00Z'),
    });
    const line = md.split('\n').find((l) => l.startsWith('_What good looks like:_'))!;
    expect(line).toMatch(/\. [A-Z]/);
    expect(md).not.toContain('.;');
  });
});

describe('the journal shows what was written, as written', () => {
  it('escapes Markdown: <payments>, *stars*, [links](x), `code`, &amp; and # stay text', async () => {
    const rubrics = await loadRubrics('rubrics');
    const written = 'Moved <payments> & the *queue* to [new](x) `hosts` &amp; ~~old~~ ones, #2 \\o/ <!-- x -->';
    const md = journalMarkdown({
      name: 'Ana <ops> *lead*',
      level: 'junior',
      checkins: [
        {
          competencyId: 'observability',
          competencyName: null,
          text: written,
          rating: 3,
          needsHelp: false,
          evidenceUrl: 'https://example.com/a_(b)',
          private: false,
          at: new Date('2026-12-08T12:00:00Z'),
        },
      ],
      rubrics,
      now: new Date('2026-12-09T12:00:00Z'),
    });
    const shown = shownMarkdown(md);
    expect(shown).toContain(`: ${written} (evidence)`);
    expect(shown).toContain('Growth journal: Ana <ops> *lead*');
  });

  it("shows a retired competency's stored name as written in its heading", async () => {
    const rubrics = await loadRubrics('rubrics');
    const md = journalMarkdown({
      name: 'Ana',
      level: 'junior',
      checkins: [
        {
          competencyId: 'retired-one',
          competencyName: 'Old *queue* <work> & [pager](x)',
          text: 'kept it',
          rating: null,
          needsHelp: false,
          evidenceUrl: null,
          private: false,
          at: new Date('2026-12-08T12:00:00Z'),
        },
      ],
      rubrics,
      now: new Date('2026-12-09T12:00:00Z'),
    });
    expect(shownMarkdown(md)).toContain('Old *queue* <work> & [pager](x) (no longer in the rubrics)');
  });
});
