// The sidebar's "Try this" tour and incident channel, as node descriptions (pure). Messages in
// a channel are mrkdwn as Slack shows typed text: text nodes only, never markup.
import { h } from './dom.js';
import { mrkdwnNodes } from './mrkdwn.js';

/** The tour's steps in order, each ticked by the sandbox (what happened), never by a click here. */
export function tourNodes(tour = []) {
  const done = tour.filter((t) => t.done).length;
  return [
    h('div', { class: 'side-title' }, `Try this · ${done}/${tour.length}`),
    h(
      'ol',
      { class: 'tour' },
      tour.map((t) =>
        h(
          'li',
          { class: `step${t.done ? ' done' : ''}`, 'data-step': t.id, 'data-done': t.done ? 'true' : 'false' },
          h('span', { class: 'tick', 'aria-hidden': 'true' }),
          h('span', { class: 'step-text' }, t.text),
          t.done ? h('span', { class: 'sr-only' }, ' (done)') : null,
        ),
      ),
    ),
  ];
}

/** The channel named `name`, or undefined when it has not been made yet. */
// The name as the sandbox makes it from what was typed (incident-channel.ts channelName).
export const channelNamed = (channels, name) =>
  (channels ?? []).find(
    (c) =>
      c.name ===
      String(name ?? '')
        .trim()
        .replace(/^#/, '')
        .toLowerCase()
        .replace(/\s+/g, '-'),
  );

/** What is known of the incident channel being typed: who is in it, what was said, archived or not. */
export function channelNodes(channel, acting, names = {}) {
  if (!channel)
    return [
      h(
        'div',
        { class: 'channel-note' },
        'Not made yet: joining makes it. Channels named inc-… are incident channels.',
      ),
    ];
  const inIt = channel.members.includes(acting);
  const who = channel.members.map((id) => names[id] ?? id).join(', ');
  return [
    h(
      'div',
      { class: 'channel-note' },
      channel.archived ? 'Archived. ' : '',
      `Members: ${who || 'nobody yet'}${inIt || channel.archived ? '' : ' (not you)'}`,
    ),
    h(
      'ul',
      { class: 'channel-log', 'data-channel': channel.id },
      channel.messages.map((m) =>
        h('li', { class: 'channel-msg' }, h('b', {}, `${names[m.user] ?? m.user}: `), mrkdwnNodes(m.text, names)),
      ),
    ),
  ];
}
