/**
 * A feed address as a person pastes it: Slack wraps a link as `<https://…>` or `<https://…|label>`
 * in command text; `webcal://` is https. Returns the URL or what is wrong with it. The answer
 * never repeats the address (it carries the provider's secret token).
 */
export function parseFeedUrl(text: string): { url: string } | { error: string } {
  let s = text.trim();
  const wrapped = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(s);
  if (wrapped) s = wrapped[1]!;
  s = s.replace(/&amp;/g, '&');
  if (/^webcals?:\/\//i.test(s)) s = s.replace(/^webcals?:/i, 'https:');
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return {
      error: 'That is not a web address. Paste the iCalendar (.ics or webcal://) link of your on-call schedule.',
    };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return { error: 'Only https:// (or webcal://) feed addresses are accepted.' };
  if (s.length > 2000) return { error: 'That address is longer than 2000 characters.' };
  u.hash = '';
  return { url: u.toString() };
}

/** The address as people see it: scheme and host, then `…` and the last 4 characters. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const rest = `${u.pathname}${u.search}`;
    return `${u.protocol}//${u.host}/…${rest.length > 8 ? rest.slice(-4) : ''}`;
  } catch {
    return '…';
  }
}
