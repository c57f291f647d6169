import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slackText } from '../../src/sandbox/page/compose.js';
import { parseGrowthCommand } from '../../src/slack/parse.ts';
import { bareMentions, fromSlackText, slackEntities } from '../../src/slack/typed-text.ts';
import { typedText } from '../support/typed-text.ts';

// What Slack sends for typed text, read back as the person typed it (free text: check-ins, DM
// replies, notes). https://docs.slack.dev/messaging/formatting-message-text/
describe('fromSlackText', () => {
  it('gives back &, < and > once', () => {
    expect(fromSlackText('a &lt;b&gt; &amp;lt; c')).toBe('a <b> &lt; c');
    expect(fromSlackText('&lt;@U0MARTA&gt; typed literally')).toBe('<@U0MARTA> typed literally');
  });

  it('a mention with a name reads as @name, the way it was typed', () => {
    expect(fromSlackText('paired with <@U0MARTA|Marta Kowalski> on the runbook')).toBe(
      'paired with @Marta Kowalski on the runbook',
    );
    expect(fromSlackText('<@U0BEN|ben &amp; co>')).toBe('@ben & co');
  });

  it('a mention without a name (a DM message) takes the name growthbot knows, else the id', () => {
    const names = new Map([['U0MARTA', 'Marta Kowalski']]);
    const nameOf = (id: string) => names.get(id);
    expect(fromSlackText('thanks <@U0MARTA> and <@U0BEN>', nameOf)).toBe('thanks @Marta Kowalski and @U0BEN');
    expect(fromSlackText('thanks <@U0MARTA>')).toBe('thanks @U0MARTA');
    expect(fromSlackText('<@W0GRID>', () => null)).toBe('@W0GRID');
  });

  it('channels, special mentions and user groups read as typed', () => {
    expect(fromSlackText('in <#C0SRE|sre-oncall>')).toBe('in #sre-oncall');
    expect(fromSlackText('in <#C0SRE>')).toBe('in #C0SRE');
    expect(fromSlackText('<!here> <!channel> <!everyone> <!here|@here>')).toBe('@here @channel @everyone @here');
    expect(fromSlackText('<!subteam^S0SRE|@sre-team> <!subteam^S0X|sre> <!subteam^S0Y>')).toBe('@sre-team @sre @team');
    expect(fromSlackText('on <!date^1392734382^{date}|Feb 18, 2014>')).toBe('on Feb 18, 2014');
  });

  it('a link keeps its address: the label and the link, or the link as typed', () => {
    expect(fromSlackText('see <https://x.example/a?b=1&amp;c=2|the runbook>')).toBe(
      'see the runbook (https://x.example/a?b=1&c=2)',
    );
    expect(fromSlackText('<https://x.example/a>')).toBe('https://x.example/a');
    expect(fromSlackText('<http://x.example|x.example>')).toBe('x.example');
    expect(fromSlackText('<https://x.example|https://x.example>')).toBe('https://x.example');
    expect(fromSlackText('<mailto:m@x.example|m@x.example>')).toBe('m@x.example');
    expect(fromSlackText('<mailto:m@x.example>')).toBe('m@x.example');
  });

  it('slackEntities reads back only the entities, leaving Slack’s <…> for a parser', () => {
    expect(slackEntities('<https://x.example/?a=1&amp;b=2|INC &lt;1&gt;>')).toBe(
      '<https://x.example/?a=1&b=2|INC <1>>',
    );
  });

  it('bareMentions names each mention Slack sent without a name, once', () => {
    expect(bareMentions('<@U0A> <@U0B|Bea> <@U0A> <@W0C> &lt;@U0D&gt;')).toEqual(['U0A', 'W0C']);
  });
});

describe('the command parser: people stay people, notes and titles read as typed', () => {
  it('/growth agenda: the 1:1 it is for is a person, the note reads as typed', () => {
    expect(
      parseGrowthCommand('agenda <@U0JONAS|Jonas Weber> ask <@U0MARTA|Marta Kowalski> about <!here> in <#C0SRE|sre>'),
    ).toEqual({ kind: 'agenda', withId: 'U0JONAS', text: 'ask @Marta Kowalski about @here in #sre' });
  });

  it('/growth incident: a title reads as typed, a link alone stays Slack’s link for the incident parser', () => {
    const title = parseGrowthCommand('incident paged with <@U0MARTA|Marta Kowalski> &amp; co');
    expect(title.kind === 'incident' && title.text.trim()).toBe('paged with @Marta Kowalski & co');
    const link = parseGrowthCommand('incident <https://status.example.com/i/42?a=1&amp;b=2|INC-42>');
    expect(link.kind === 'incident' && link.text.trim()).toBe('<https://status.example.com/i/42?a=1&b=2|INC-42>');
  });

  it('mentor, summary and admin still read a mention as the person', () => {
    expect(parseGrowthCommand('summary <@U0MARTA|Marta Kowalski>')).toEqual({ kind: 'summary', userId: 'U0MARTA' });
    expect(parseGrowthCommand('mentor <@U0MARTA|Marta Kowalski>')).toMatchObject({
      kind: 'mentor',
      mentorId: 'U0MARTA',
    });
  });
});

describe('property: typed text with mentions, sent as Slack sends it, reads back as typed', () => {
  const people = [{ id: 'U0MARTA', name: 'Marta Kowalski' }];
  it('any typed text around "@Marta Kowalski"', () => {
    const typed = fc
      .array(fc.oneof(typedText, fc.constant(' @Marta Kowalski ')), { minLength: 1, maxLength: 6 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(typed, (t) => {
        const sent = slackText(t, people);
        if (t.includes(' @Marta Kowalski ')) expect(sent).toContain('<@U0MARTA|Marta Kowalski>');
        expect(fromSlackText(sent)).toBe(t);
      }),
      { numRuns: 300 },
    );
  });
});
