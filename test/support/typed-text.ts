// Typed text for property tests of what each surface shows.
import fc from 'fast-check';

/**
 * Runs of spaces and line breaks as one space (surfaces that quote on one line fold them), and none
 * around a ``` fence (mrkdwn draws a code block on lines of its own).
 */
export const folded = (s: string) =>
  s
    .replace(/\s+/g, ' ')
    .replace(/ ?``` ?/g, '```')
    .trim();

/** Typed text made of what Slack, mrkdwn and Markdown treat specially, and plain words. */
const piece = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'aZ09 &<>;#@|!*_~`:\'"/.\n()[]\\'.split('')), minLength: 1, maxLength: 10 }),
  fc.constantFrom(
    '&amp;',
    '&lt;',
    '&gt;',
    '&#39;',
    '<@U0ANA>',
    '<@U0ANA|Ana Souza>',
    '<!here>',
    '<#C1|general>',
    '<https://x.example|y>',
    '<payments>',
    '<b>x</b>',
    '```',
    ':tada:',
    '*bold*',
    '_it_',
    '~gone~',
    '`code`',
    'é',
    '👍',
    '> quoted',
  ),
);
export const typedText = fc
  .array(piece, { minLength: 1, maxLength: 8 })
  .map((a) => a.join('').trim())
  // Blank is refused, a link alone is a link not a title, and a line opening with "- " or "1. " is a
  // list item in mrkdwn (its marker drawn as a bullet), which is Slack's formatting, not a loss.
  .filter((t) => t !== '' && !/^\s*(•|-|\d+\.)\s/m.test(t) && !/^<?https?:/i.test(t));
