// The digest's on-call and reflection lines show typed words (a retro's alert to fix and handover,
// a reflection) as typed: escaped once, whatever they hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { menteeOncall } from '../../src/growth/oncall.ts';
import { oncallLines, reflectionLines } from '../../src/outbound/views/digest-oncall.ts';
import { shownMrkdwn } from '../support/shown.ts';
import { folded, typedText } from '../support/typed-text.ts';

const short = typedText.filter((t) => [...t].length <= 140);

describe('property: the digest shows retro and reflection words as typed', () => {
  it('alert to fix, handover and a shared reflection', () => {
    fc.assert(
      fc.property(short, short, short, (alert, handover, reflection) => {
        const endsAt = new Date('2026-12-07T09:00:00Z');
        const o = menteeOncall(
          [{ startsAt: new Date('2026-12-06T09:00:00Z'), endsAt }],
          [{ endsAt, pages: 3, actionable: 1, toilHours: 2, alertToFix: alert, handover }],
        );
        const shown = folded(shownMrkdwn(oncallLines(o!, 'UTC').join('\n')));
        expect(shown).toContain(folded(alert));
        expect(shown).toContain(folded(handover));
        const lines = reflectionLines([{ name: '*DB failover*', text: reflection }]);
        expect(folded(shownMrkdwn(lines.join('\n')))).toContain(folded(reflection));
      }),
      { numRuns: 300 },
    );
  });
});
