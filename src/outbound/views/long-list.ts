import { clip } from './progress.ts';

/**
 * A reply that lists things is kept short whatever the data: the lines that fit in
 * `REPLY_MAX_CHARS` (one section's text; Slack takes at most 3,000 there and 40,000 in a
 * message), then how many more there are and where the whole list goes (a file by DM).
 */
export const REPLY_MAX_CHARS = 3_000;

export function boundedList(
  head: string,
  lines: readonly string[],
  tail: string,
  max = REPLY_MAX_CHARS,
): { text: string; cut: boolean } {
  const all = [head, ...lines, '', tail].join('\n');
  if (all.length <= max) return { text: all, cut: false };
  const more = (n: number) => `…and ${n} more: the whole list is on its way as a file in our DM.`;
  // Room for the head, the note on the rest (its longest form) and the tail.
  let room = max - head.length - more(lines.length).length - tail.length - 4;
  const shown: string[] = [];
  for (const line of lines) {
    if (line.length + 1 > room) break;
    shown.push(line);
    room -= line.length + 1;
  }
  return { text: [head, ...shown, more(lines.length - shown.length), '', tail].join('\n'), cut: true };
}

/**
 * Lines packed into section texts of at most `REPLY_MAX_CHARS` characters each, so no line is
 * cut by one section's limit (a longer line is clipped). With `most`, at most that many sections
 * hold lines and the count of lines left out follows, in `more`'s words.
 */
export function packSections(
  lines: readonly string[],
  most = Number.POSITIVE_INFINITY,
  more: (n: number) => string = (n) => `…and ${n} more.`,
): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  for (; i < lines.length; i++) {
    const line = clip(lines[i]!, REPLY_MAX_CHARS);
    if (current && current.length + 1 + line.length > REPLY_MAX_CHARS) {
      if (out.length >= most - 2) break;
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  out.push(current);
  if (i < lines.length) out.push(more(lines.length - i));
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}
