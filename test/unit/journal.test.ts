import { describe, expect, it } from 'vitest';
import { journalMarkdown } from '../../src/growth/journal.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';

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
