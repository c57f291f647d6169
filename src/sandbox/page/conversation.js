// The DM with growthbot and the Home tab, as node descriptions (pure; app.js builds them).
import { blocksNodes } from './blocks.js';
import { h } from './dom.js';
import { mrkdwnNodes } from './mrkdwn.js';
import { tsDay, tsTime } from './time.js';

const COLORS = ['#2bac76', '#e8912d', '#1264a3', '#cd2553', '#8f4cce', '#0b7a75', '#b07d0a'];

/** A square avatar with initials, coloured by id; the bot's is growthbot.svg (style.css), no emoji font needed. */
export function avatar(id, name, bot = false) {
  const initials = bot
    ? ''
    : (name ?? id)
        .split(/\s+/)
        .map((w) => w[0] ?? '')
        .join('')
        .slice(0, 2)
        .toUpperCase();
  let hash = 0;
  for (const ch of id ?? '') hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const color = bot ? 'bot' : `c${hash % COLORS.length}`;
  return h('div', { class: `avatar ${color}`, 'aria-hidden': 'true' }, initials);
}

function fileNodes(files) {
  if (!files?.length) return null;
  return h(
    'div',
    { class: 'files' },
    files.map((f) =>
      h(
        'a',
        { class: 'file', href: f.url ?? `/sandbox/files/${f.id}`, download: f.name ?? '' },
        h('span', { class: 'file-icon' }, '📄'),
        h('span', {}, f.name ?? 'file'),
      ),
    ),
  );
}

/** One message as Slack shows it: avatar, name, time, (edited), body, files, "Only visible to you". */
export function messageNode(msg, ctx) {
  const bot = msg.from === 'bot';
  const name = bot ? 'growthbot' : (ctx.names[msg.user] ?? msg.user);
  const body = msg.blocks?.length ? blocksNodes(msg.blocks, ctx) : mrkdwnNodes(msg.text ?? '', ctx.names);
  return h(
    'div',
    { class: `msg${msg.ephemeral ? ' ephemeral' : ''}`, 'data-ts': msg.ts, 'data-from': msg.from },
    avatar(msg.user, name, bot),
    h(
      'div',
      { class: 'msg-main' },
      msg.ephemeral ? h('div', { class: 'ephemeral-note' }, '👁 Only visible to you') : null,
      h(
        'div',
        { class: 'msg-head' },
        h('span', { class: 'msg-name' }, name),
        bot ? h('span', { class: 'app-badge' }, 'APP') : null,
        h('span', { class: 'msg-time', title: msg.ts }, tsTime(msg.ts, ctx.tz)),
        msg.edited ? h('span', { class: 'edited' }, '(edited)') : null,
      ),
      h('div', { class: 'msg-body' }, body),
      fileNodes(msg.files),
    ),
  );
}

/** The whole DM, with a divider for each day. */
export function dmNodes(dm, ctx) {
  if (!dm?.length) {
    return [
      h(
        'div',
        { class: 'empty' },
        'No messages yet. Jump the clock to Monday 10:00 for a weekly prompt, or type ',
        h('code', {}, '/growth help'),
        '.',
      ),
    ];
  }
  const out = [];
  let day = '';
  for (const msg of dm) {
    const d = tsDay(msg.ts, ctx.tz);
    if (d && d !== day) out.push(h('div', { class: 'day' }, h('span', {}, d)));
    day = d;
    out.push(messageNode(msg, ctx));
  }
  return out;
}

/** The published Home tab, or a note that there is none yet. */
export function homeNodes(home, ctx) {
  if (!home?.view?.blocks?.length)
    return [h('div', { class: 'empty' }, 'growthbot has not published a Home tab for this person yet.')];
  return [h('div', { class: 'home-view' }, blocksNodes(home.view.blocks, ctx))];
}

/** One person in the sidebar: name, level, zone, admin/mentor badges. */
export function personNode(p, acting) {
  const badges = [
    p.admin ? h('span', { class: 'badge admin' }, 'admin') : null,
    p.mentorOf?.length ? h('span', { class: 'badge mentor', title: `mentor of ${p.mentorOf.length}` }, 'mentor') : null,
    p.joined ? null : h('span', { class: 'badge new' }, 'not joined'),
  ];
  const meta = [p.level ?? 'no level', p.tz].filter(Boolean).join(' · ');
  return h(
    'button',
    {
      class: `person${p.id === acting ? ' active' : ''}`,
      type: 'button',
      'data-person': p.id,
      'aria-pressed': p.id === acting ? 'true' : 'false',
    },
    avatar(p.id, p.name),
    h(
      'span',
      { class: 'person-text' },
      h('span', { class: 'person-name' }, p.name, badges),
      h('span', { class: 'person-meta' }, meta),
    ),
  );
}
