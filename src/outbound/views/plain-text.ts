/** A plain_text object (button labels, titles, options): Slack shows its text as typed, with emoji. */
export const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
