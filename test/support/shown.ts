// What Slack would show for a message, a view or a mrkdwn text, as plain text: the sandbox's mrkdwn
// renderer reads the mrkdwn (entities decoded, `<…>` made links or mentions), and formatting keeps
// its marks (`*b*` stays `*b*`), so what a person typed can be looked for in it character by character.
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it/index.js';
import { mrkdwnNodes } from '../../src/sandbox/page/mrkdwn.js';

const markdown = new MarkdownIt({ html: true });

type Node = string | { tag: string; attrs?: Record<string, string>; children: Node[] };

const MARKS: Record<string, string> = { b: '*', i: '_', s: '~', code: '`', pre: '```' };

function flatten(n: Node): string {
  if (typeof n === 'string') return n;
  if (n.attrs?.class === 'emoji') return n.attrs.title ?? '';
  const inner = n.children.map(flatten).join('');
  const mark = MARKS[n.tag];
  if (mark) return `${mark}${inner}${mark}`;
  if (n.tag === 'div' || n.tag === 'blockquote') return `${inner}\n`;
  return inner;
}

/** What Slack shows for one mrkdwn text. */
export function shownMrkdwn(text: string): string {
  return (mrkdwnNodes(text) as Node[]).map(flatten).join('').replace(/\n+$/, '');
}

/**
 * Every text Slack would show in a message's or view's JSON: mrkdwn rendered, plain_text as it is,
 * and what an input field starts with (its initial_value), one string each.
 */
export function shownTexts(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(shownMrkdwn(o.text));
    else if (o.type === 'plain_text' && typeof o.text === 'string') out.push(o.text);
    if (typeof o.initial_value === 'string') out.push(o.initial_value);
    for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') walk(x);
  };
  walk(value);
  return out;
}

/** A chat.postMessage's or an ephemeral reply's text and blocks, as shown (the text is mrkdwn too). */
export function shownMessage(m: { text?: unknown; blocks?: unknown }): string {
  return [...(typeof m.text === 'string' ? [shownMrkdwn(m.text)] : []), ...shownTexts(m.blocks ?? [])].join('\n');
}

/** What a Markdown viewer shows for a document (CommonMark with GitHub's strikethrough, raw HTML allowed as GitHub allows it): its text, tags gone. */
export function shownMarkdown(source: string): string {
  const lines: string[] = [];
  const text = (tokens: Token[]): string =>
    tokens
      .map((t) =>
        t.type === 'text' || t.type === 'code_inline'
          ? t.content
          : t.type === 'softbreak' || t.type === 'hardbreak'
            ? '\n'
            : t.type === 'image'
              ? text(t.children ?? [])
              : '',
      )
      .join('');
  for (const t of markdown.parse(source, {})) {
    if (t.type === 'inline') lines.push(text(t.children ?? []));
    else if (t.type === 'code_block' || t.type === 'fence') lines.push(t.content);
  }
  return lines.join('\n');
}
