// What the message box sends, shaped as Slack delivers typed text to apps (pure).

/**
 * &, < and > escaped as Slack escapes them; `@Name` of a known person as `<@U…|name>`. A mention
 * typed out by hand (`<@U0ANA>`) stays text, as in Slack: only an `@` not right after `<` names someone.
 */
export function slackText(text, people = []) {
  let out = String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const byLength = [...people].filter((p) => p.name).sort((a, b) => b.name.length - a.name.length);
  const firsts = new Map();
  for (const p of people) {
    const first = (p.name ?? '').split(/\s+/)[0].toLowerCase();
    if (first) firsts.set(first, firsts.has(first) ? null : p);
  }
  out = out.replace(/(?<!&lt;)@([\p{L}\p{N}._-]+(?:[ ][\p{L}\p{N}._-]+)*)/gu, (match, words) => {
    const lower = words.toLowerCase();
    for (const p of byLength) {
      const name = p.name.toLowerCase();
      // The whole name, then anything that is not more of a word: a space, `.`, `-`, `_`.
      if (lower.startsWith(name) && !/[\p{L}\p{N}]/u.test(lower.charAt(name.length)))
        return `<@${p.id}|${p.name}>${words.slice(p.name.length)}`;
    }
    const [word, ...rest] = words.split(' ');
    // A first name (or an id) before punctuation: `@Marta.` names Marta and keeps the full stop.
    const first = word.replace(/[._-]+$/u, '');
    const p = firsts.get(first.toLowerCase()) ?? people.find((x) => x.id.toLowerCase() === first.toLowerCase());
    return p ? `<@${p.id}|${p.name}>${word.slice(first.length)}${rest.length ? ` ${rest.join(' ')}` : ''}` : match;
  });
  return out;
}

/**
 * A message (a DM, a channel message) as Slack delivers it: a mention is `<@U…>` alone there, the
 * name only in slash commands, so the app finds the name itself.
 */
export function messageText(text, people = []) {
  return slackText(text, people).replace(/<@([A-Z0-9]+)\|[^>]*>/g, '<@$1>');
}

/** `/checkin …` and `/growth …` are slash commands; anything else is a DM to the bot. */
export function route(text) {
  const t = String(text).trim();
  if (!t) return null;
  if (/^\/(checkin|growth)(\s|$)/i.test(t)) return { path: 'command', text: t };
  if (t.startsWith('/'))
    return { error: `Only /checkin and /growth exist here; ${t.split(/\s/)[0]} is not a command growthbot knows.` };
  return { path: 'message', text: t };
}
