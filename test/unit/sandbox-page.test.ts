import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockNode } from '../../src/sandbox/page/blocks.js';
import { messageText, route, slackText } from '../../src/sandbox/page/compose.js';
import { build } from '../../src/sandbox/page/dom.js';
import { EMOJI, mrkdwnNodes } from '../../src/sandbox/page/mrkdwn.js';
import { channelNamed, channelNodes, tourNodes } from '../../src/sandbox/page/side.js';
import { inDateOrder, zonedToIso } from '../../src/sandbox/page/time.js';

// The page's pure modules: mrkdwn and Block Kit become node descriptions ({ tag, attrs, children }).
type N = string | { tag: string; attrs?: Record<string, unknown>; children?: N[] };

const text = (nodes: N[]): string => nodes.map((n) => (typeof n === 'string' ? n : text(n.children ?? []))).join('');
function all(nodes: N[], tag: string): Exclude<N, string>[] {
  return nodes.flatMap((n) =>
    typeof n === 'string' ? [] : [...(n.tag === tag ? [n] : []), ...all(n.children ?? [], tag)],
  );
}
const md = (s: string) => mrkdwnNodes(s, { U0ANA: 'Ana Souza' }) as N[];

describe('mrkdwn', () => {
  it('nests formatting: bold around italic, strike beside', () => {
    const nodes = md('*bold _and italic_* then ~gone~');
    const [b] = all(nodes, 'b');
    expect(text([b!])).toBe('bold and italic');
    expect(text(all(b!.children!, 'i'))).toBe('and italic');
    expect(text(all(nodes, 's'))).toBe('gone');
  });

  it('keeps code spans literal, even with * inside and inside bold', () => {
    const nodes = md('`a*b*c` and *x `y*z` w*');
    expect(all(nodes, 'code').map((c) => text([c]))).toEqual(['a*b*c', 'y*z']);
    expect(all(nodes, 'b')).toHaveLength(1);
    expect(text(all(nodes, 'b'))).toBe('x y*z w');
  });

  it('does not format inside words or across a space', () => {
    const nodes = md('snake_case_name 2*3*4 * not bold *');
    expect(all(nodes, 'i')).toHaveLength(0);
    expect(all(nodes, 'b')).toHaveLength(0);
    expect(text(nodes)).toBe('snake_case_name 2*3*4 * not bold *');
  });

  it('shows escaped entities as the characters, never as markup or a link', () => {
    const nodes = md('&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt; &lt;https://x.io|y&gt;');
    expect(text(nodes)).toBe('<script>alert(1)</script> &lt;b&gt; <https://x.io|y>');
    expect(all(nodes, 'a')).toHaveLength(0);
  });

  it('links web addresses and refuses javascript:, data: and others', () => {
    const nodes = md(
      '<https://x.io/?a=1&amp;b=2|X &amp; Y> <javascript:alert(1)|click> <JaVaScRiPt:alert(1)> <data:text/html,hi|d> <mailto:a@b.c>',
    );
    const links = all(nodes, 'a');
    expect(links.map((a) => a.attrs!.href)).toEqual(['https://x.io/?a=1&b=2', 'mailto:a@b.c']);
    expect(text([links[0]!])).toBe('X & Y');
    expect(text(nodes)).toContain('click');
    expect(text(nodes)).toContain('<JaVaScRiPt:alert(1)>');
  });

  it('shows a raw tag a person typed as text', () => {
    const nodes = md('<img src=x onerror=alert(1)>');
    expect(text(nodes)).toBe('<img src=x onerror=alert(1)>');
    expect(all(nodes, 'img')).toHaveLength(0);
  });

  it('names mentions, special mentions and known emoji', () => {
    const nodes = md('<@U0ANA> <@U0BOB|bob> <@U0NOBODY> <!here> :white_check_mark: :sos: :not_an_emoji: at 10:00:');
    expect(text(nodes)).toBe('@Ana Souza @bob @U0NOBODY @here ✅ 🆘 :not_an_emoji: at 10:00:');
    expect(all(nodes, 'span').filter((s) => s.attrs?.class === 'mention')).toHaveLength(4);
  });

  it('shows every emoji growthbot sends as the emoji, not as :name: (kudos, focus, help offered)', () => {
    const sent = new Set<string>();
    for (const dir of ['src/outbound/views', 'src/slack', 'src/jobs', 'src/services'])
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts')))
        for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/:([a-z_]+):/g)) sent.add(m[1]!);
    expect(sent).toContain('clap');
    expect([...sent].filter((name) => !(name in EMOJI))).toEqual([]);
  });

  it('makes quotes, list items and code blocks; a quote needs a literal >', () => {
    const nodes = md('>quoted *b*\n>more\n&gt; not a quote\n• one\n- two\n```code *x*\n&lt;b&gt;```\nafter');
    const [quote] = all(nodes, 'blockquote');
    expect(text([quote!])).toBe('quoted bmore');
    expect(all([quote!], 'b')).toHaveLength(1);
    expect(text(nodes)).toContain('> not a quote');
    expect(nodes.filter((n) => typeof n !== 'string' && n.attrs?.class === 'md-li').map((n) => text([n]))).toEqual([
      '•one',
      '•two',
    ]);
    expect(all(nodes, 'pre').map((p) => text([p]))).toEqual(['code *x*\n<b>']);
    expect(all(nodes, 'b')).toHaveLength(1);
  });
});

describe('Block Kit', () => {
  it('renders a section with fields and a button accessory that carries its action', () => {
    const node = blockNode({
      type: 'section',
      block_id: 'b1',
      text: { type: 'mrkdwn', text: '*Hi*' },
      fields: [{ type: 'plain_text', text: 'one :sos:' }],
      accessory: { type: 'button', action_id: 'go', value: 'v', text: { type: 'plain_text', text: 'Go' } },
    }) as N;
    const [button] = all([node], 'button') as (Exclude<N, string> & { action?: Record<string, unknown> })[];
    expect(button!.action).toMatchObject({ type: 'button', action_id: 'go', block_id: 'b1', value: 'v' });
    expect(text([node])).toBe('Hione 🆘Go');
  });

  it('shows an input block error under its block', () => {
    const block = {
      type: 'input',
      block_id: 'text',
      label: { type: 'plain_text', text: 'What?' },
      element: { type: 'plain_text_input', action_id: 't', multiline: true },
    };
    const node = blockNode(block, { errors: { text: 'Write a few words.' } }) as N;
    expect(all([node], 'textarea')[0]!.attrs).toMatchObject({
      'data-block': 'text',
      'data-action': 't',
      'data-type': 'plain_text_input',
    });
    expect(text([node])).toContain('Write a few words.');
  });

  it("renders Slack's number_input (the on-call retro's counts) as a number box read back as its value", () => {
    const node = blockNode({
      type: 'input',
      block_id: 'pages',
      label: { type: 'plain_text', text: 'Pages' },
      element: { type: 'number_input', action_id: 'n', is_decimal_allowed: false, min_value: '0' },
    }) as N;
    expect(all([node], 'input')[0]!.attrs).toMatchObject({
      type: 'number',
      min: '0',
      step: '1',
      'data-block': 'pages',
      'data-action': 'n',
      'data-type': 'number_input',
    });
    expect(text([node])).not.toContain('[number_input]');
  });
});

describe('dom.build', () => {
  // A document stand-in that records what build asks of it.
  function fakeDoc() {
    type El = {
      tag: string;
      attrs: Record<string, string>;
      children: unknown[];
      appendChild(c: unknown): unknown;
      setAttribute(n: string, v: string): void;
      addEventListener(): void;
    };
    return {
      createTextNode: (t: string) => ({ text: t }),
      createElement: (tag: string): El => ({
        tag,
        attrs: {},
        children: [],
        appendChild(c) {
          this.children.push(c);
          return c;
        },
        setAttribute(n, v) {
          this.attrs[n] = v;
        },
        addEventListener() {},
      }),
    };
  }

  it('lets a multi-select (the focus form) take several choices', () => {
    const node = blockNode({
      type: 'input',
      block_id: 'focus',
      label: { type: 'plain_text', text: 'Competencies' },
      element: {
        type: 'multi_static_select',
        action_id: 'f',
        options: ['a', 'b'].map((v) => ({ text: { type: 'plain_text', text: v }, value: v })),
      },
    }) as N;
    const select = all([node], 'select')[0]!;
    const el = build(fakeDoc() as never, select as never) as unknown as { attrs: Record<string, string> };
    expect(el.attrs.multiple).toBe('');
  });

  it('drops event-handler and style attributes and re-checks links', () => {
    const el = build(fakeDoc() as never, {
      tag: 'a',
      attrs: { href: 'javascript:alert(1)', onclick: 'alert(1)', onerror: 'x', style: 'color:red', class: 'ok' },
      children: ['<b>text</b>'],
    }) as unknown as { attrs: Record<string, string>; children: { text: string }[] };
    expect(el.attrs).toEqual({ class: 'ok' });
    expect(el.children[0]!.text).toBe('<b>text</b>');
  });

  it('keeps a sandbox file link', () => {
    const el = build(fakeDoc() as never, {
      tag: 'a',
      attrs: { href: '/sandbox/files/F1', download: 'x.json' },
    }) as unknown as { attrs: Record<string, string> };
    expect(el.attrs).toEqual({ href: '/sandbox/files/F1', download: 'x.json' });
  });
});

describe('message box', () => {
  const people = [
    { id: 'U0ANA', name: 'Ana Souza' },
    { id: 'U0BOB', name: 'Bob Ng' },
  ];

  it('escapes as Slack does and turns @names into mentions', () => {
    expect(slackText('/growth summary @Ana Souza', people)).toBe('/growth summary <@U0ANA|Ana Souza>');
    expect(slackText('@bob & <script>', people)).toBe('<@U0BOB|Bob Ng> &amp; &lt;script&gt;');
    expect(slackText('mail me @nobody', people)).toBe('mail me @nobody');
  });

  it('sends a message’s mention as Slack does in a DM or channel: the id alone, no name', () => {
    expect(messageText('Thanks @Ana Souza & @bob.', people)).toBe('Thanks <@U0ANA> &amp; <@U0BOB>.');
    expect(messageText('typed <@U0ANA|Ana Souza>', people)).toBe('typed &lt;@U0ANA|Ana Souza&gt;');
  });

  it('ends a mention at punctuation, full name or first name, and keeps the punctuation', () => {
    expect(slackText('Thanks @Ana Souza.', people)).toBe('Thanks <@U0ANA|Ana Souza>.');
    expect(slackText('with @Ana Souza, @Bob Ng.', people)).toBe('with <@U0ANA|Ana Souza>, <@U0BOB|Bob Ng>.');
    expect(slackText('ask @Ana Souza-san', people)).toBe('ask <@U0ANA|Ana Souza>-san');
    expect(slackText('cc @Ana.', people)).toBe('cc <@U0ANA|Ana Souza>.');
    expect(slackText('@Ana Souzas', people)).toBe('<@U0ANA|Ana Souza> Souzas');
  });

  it('keeps a mention typed out by hand as text, as Slack does', () => {
    expect(slackText('<@U0ANA> and <@Ana Souza>', people)).toBe('&lt;@U0ANA&gt; and &lt;@Ana Souza&gt;');
    expect(slackText('ask @U0ANA', people)).toBe('ask <@U0ANA|Ana Souza>');
  });

  it('sends /checkin and /growth as commands, other text as a DM, and refuses other commands', () => {
    expect(route(' /checkin did a thing')).toEqual({ path: 'command', text: '/checkin did a thing' });
    expect(route('/GROWTH help')).toMatchObject({ path: 'command' });
    expect(route('hello')).toEqual({ path: 'message', text: 'hello' });
    expect(route('/giphy cat')).toHaveProperty('error');
    expect(route('   ')).toBeNull();
  });
});

describe('clock jumps', () => {
  it('are offered in the order they come, not by weekday', () => {
    // Wednesday: Friday comes first, then Monday, then Thursday of next week.
    const jumps = {
      monday: '2026-12-14T09:00:00.000Z',
      thursday: '2026-12-17T09:00:00.000Z',
      friday: '2026-12-11T14:00:00.000Z',
    };
    expect(inDateOrder(['monday', 'thursday', 'friday'], jumps)).toEqual(['friday', 'monday', 'thursday']);
    expect(inDateOrder(['monday', 'thursday', 'friday'], {})).toEqual(['monday', 'thursday', 'friday']);
  });
});

describe('clock input', () => {
  it('reads a wall time in the acting person’s zone, across offsets and DST', () => {
    expect(zonedToIso('2026-12-07T10:00', 'Europe/Berlin')).toBe('2026-12-07T09:00:00.000Z');
    expect(zonedToIso('2026-07-06T10:00', 'Europe/Berlin')).toBe('2026-07-06T08:00:00.000Z');
    expect(zonedToIso('2026-12-07T10:00', 'Asia/Kolkata')).toBe('2026-12-07T04:30:00.000Z');
    expect(zonedToIso('2026-12-07T10:00', 'America/Los_Angeles')).toBe('2026-12-07T18:00:00.000Z');
    expect(zonedToIso('nonsense', 'UTC')).toBeNull();
  });
});

describe('sidebar: tour and incident channel', () => {
  it('ticks the steps the sandbox says are done, and counts them', () => {
    const nodes = tourNodes([
      { id: 'monday', text: 'Jump to Monday', done: true },
      { id: 'answer', text: 'Answer it', done: false },
    ]) as N[];
    expect(text(nodes)).toMatch(/^Try this · 1\/2/);
    expect(all(nodes, 'li').map((li) => [li.attrs?.['data-step'], li.attrs?.['data-done']])).toEqual([
      ['monday', 'true'],
      ['answer', 'false'],
    ]);
  });

  it('shows what was written in a channel as text, mentions and channels by name', () => {
    const channel = {
      id: 'C0INC1',
      name: 'inc-db',
      archived: true,
      members: ['U0ANA'],
      messages: [{ ts: '1.1', user: 'U0ANA', text: '&lt;img src=x onerror=alert(1)&gt; in <#C0INC1> with <@U0BOB>' }],
    };
    const names = { U0ANA: 'Ana Souza', U0BOB: 'Bob Ng', C0INC1: 'inc-db' };
    const nodes = channelNodes(channel, 'U0ANA', names) as N[];
    expect(text(nodes)).toContain('Archived. Members: Ana Souza');
    expect(text(nodes)).toContain('Ana Souza: <img src=x onerror=alert(1)> in #inc-db with @Bob Ng');
    expect(all(nodes, 'img')).toEqual([]);
    expect(channelNamed([channel], ' #INC-DB ')).toBe(channel);
    // Typed with a space, as the sandbox makes it: the channel joined is the one shown.
    expect(channelNamed([channel], '#Inc DB')).toBe(channel);
    expect(text(channelNodes(undefined, 'U0ANA', names) as N[])).toMatch(/Not made yet/);
  });
});
