// Slack mrkdwn → a tree of plain node descriptions ({ tag, attrs, children } or a string).
// Pure: no DOM here, so it runs under vitest too. dom.js turns the tree into elements with
// createElement/textContent, so nothing a person wrote can ever become markup.

/** The emoji growthbot sends, and a few common ones; anything else stays as `:name:`. */
export const EMOJI = {
  white_check_mark: '✅',
  hourglass_flowing_sand: '⏳',
  sos: '🆘',
  clap: '👏',
  raised_hands: '🙌',
  dart: '🎯',
  fast_forward: '⏩',
  wave: '👋',
  tada: '🎉',
  warning: '⚠️',
  x: '❌',
  heavy_check_mark: '✔️',
  calendar: '📅',
  pager: '📟',
  rotating_light: '🚨',
  memo: '📝',
  bulb: '💡',
  seedling: '🌱',
  chart_with_upwards_trend: '📈',
  star: '⭐',
  fire: '🔥',
  rocket: '🚀',
  eyes: '👀',
  thumbsup: '👍',
  '+1': '👍',
  clock10: '🕙',
  mag: '🔍',
  books: '📚',
  mortar_board: '🎓',
  sparkles: '✨',
  pray: '🙏',
  spiral_calendar_pad: '🗓️',
  arrow_up: '⬆️',
  ladder: '🪜',
  muscle: '💪',
  thinking_face: '🤔',
  information_source: 'ℹ️',
};

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Slack escapes &, < and > in text; shown as the characters they stand for. */
export function decodeEntities(s) {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]);
}

/** Only web and mail links become links: `javascript:`, `data:` and the like stay text. */
export function safeUrl(url) {
  const u = url.trim();
  return /^(https?:\/\/|mailto:)[^\s"'<>\\]+$/i.test(u) ? u : null;
}

/** Replaces known `:emoji:` codes in plain text (Slack's plain_text with emoji: true). */
export function plainNodes(text) {
  const out = [];
  const rest = String(text ?? '');
  const re = /:([a-z0-9_+-]+):/g;
  let last = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    const emoji = EMOJI[m[1]];
    if (!emoji) {
      re.lastIndex = m.index + 1;
      continue;
    }
    if (m.index > last) out.push(rest.slice(last, m.index));
    out.push({ tag: 'span', attrs: { class: 'emoji', title: m[0] }, children: [emoji] });
    last = re.lastIndex;
  }
  if (last < rest.length) out.push(rest.slice(last));
  return out;
}

/** `<…>` tokens: links, mentions, channels and special mentions. */
function angle(inner, names) {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return mention(`@${label ?? names[id] ?? id}`);
  }
  // A channel by id, as Slack shows it: by its name (`names` holds channels' names too).
  if (target.startsWith('#')) return mention(`#${label ?? names[target.slice(1)] ?? target.slice(1)}`);
  if (target.startsWith('!')) {
    const word = target.slice(1);
    if (['here', 'channel', 'everyone'].includes(word)) return mention(`@${word}`);
    if (word.startsWith('date^') || word.startsWith('subteam^')) return decodeEntities(label ?? word);
    return null;
  }
  const url = safeUrl(decodeEntities(target));
  if (!url)
    return label === undefined
      ? null
      : { tag: 'span', attrs: { class: 'refused-link', title: 'link refused' }, children: [decodeEntities(label)] };
  const text = label === undefined ? url : decodeEntities(label);
  return { tag: 'a', attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' }, children: [text] };
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

const mention = (text) => ({ tag: 'span', attrs: { class: 'mention' }, children: [text] });

const MARKS = { '*': 'b', _: 'i', '~': 's' };
const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c) => c === undefined || /\s/.test(c);

/** Where a `*`/`_`/`~` run opened at `start` closes on the same line, skipping code and `<…>`. */
function closing(s, start, mark) {
  for (let i = start + 2; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') return -1;
    if (c === '`' || c === '<') {
      const end = s.indexOf(c === '`' ? '`' : '>', i + 1);
      if (end > 0 && !s.slice(i, end).includes('\n')) i = end;
      continue;
    }
    if (c === mark && !isSpace(s[i - 1]) && !isWordChar(s[i + 1])) return i;
  }
  return -1;
}

/** One line's (or one quote's) inline formatting, nested formatting included. */
export function inlineNodes(s, names = {}) {
  const out = [];
  let text = '';
  const flush = () => {
    if (text) out.push(...plainNodes(decodeEntities(text)));
    text = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ tag: 'code', children: [decodeEntities(s.slice(i + 1, end))] });
        i = end;
        continue;
      }
    } else if (c === '<') {
      const end = s.indexOf('>', i + 1);
      const node = end > i + 1 ? angle(s.slice(i + 1, end), names) : null;
      if (node) {
        flush();
        out.push(node);
        i = end;
        continue;
      }
    } else if (MARKS[c] && !isWordChar(s[i - 1]) && !isSpace(s[i + 1])) {
      const end = closing(s, i, c);
      if (end > 0) {
        flush();
        out.push({ tag: MARKS[c], children: inlineNodes(s.slice(i + 1, end), names) });
        i = end;
        continue;
      }
    }
    text += c;
  }
  flush();
  return out;
}

/** Lines → paragraphs, quotes (`>` / `>>>`) and list items (`•`, `-`, `1.`). */
function lineBlocks(text, names) {
  const out = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('>>>')) {
      const rest = [line.slice(3).replace(/^ /, ''), ...lines.slice(i + 1)].join('\n');
      out.push({ tag: 'blockquote', children: lineBlocks(rest, names) });
      break;
    }
    if (line.startsWith('>')) {
      const quoted = [];
      while (i < lines.length && lines[i].startsWith('>') && !lines[i].startsWith('>>>'))
        quoted.push(lines[i++].slice(1).replace(/^ /, ''));
      i--;
      out.push({ tag: 'blockquote', children: lineBlocks(quoted.join('\n'), names) });
      continue;
    }
    const item = /^(\s*)(•|-|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const bullet = item[2] === '-' ? '•' : item[2];
      const attrs = { class: 'md-li' };
      out.push({
        tag: 'div',
        attrs,
        children: [{ tag: 'span', attrs: { class: 'md-bullet' }, children: [bullet] }, ...inlineNodes(item[3], names)],
      });
      continue;
    }
    out.push({ tag: 'div', attrs: { class: 'md-line' }, children: line ? inlineNodes(line, names) : ['\u00a0'] });
  }
  return out;
}

/**
 * Slack mrkdwn as nodes: ```code blocks``` first (their insides are literal), then lines.
 * `names` maps user ids to display names for `<@U…>` mentions.
 */
export function mrkdwnNodes(source, names = {}) {
  const s = String(source ?? '');
  const out = [];
  const fence = /```([\s\S]*?)```/g;
  let last = 0;
  for (let m = fence.exec(s); m; m = fence.exec(s)) {
    const before = s.slice(last, m.index).replace(/\n$/, '');
    if (before) out.push(...lineBlocks(before, names));
    out.push({ tag: 'pre', children: [decodeEntities(m[1].replace(/^\n/, ''))] });
    last = fence.lastIndex;
  }
  const after = s.slice(last).replace(/^\n/, '');
  if (after || !out.length) out.push(...lineBlocks(after, names));
  return out;
}
