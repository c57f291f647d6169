// The sandbox page: act as a person, see their DM and Home, type, click, move the clock.
// All content goes through dom.js (createElement/textContent), never innerHTML.
import { getState, post, watch } from './api.js';
import { messageText, route, slackText } from './compose.js';
import { dmNodes, homeNodes, personNode } from './conversation.js';
import { appendAll, h } from './dom.js';
import { confirmDialog, syncModal } from './modal.js';
import { channelNamed, channelNodes, tourNodes } from './side.js';
import { formatIn, inDateOrder, isoToZoned, zonedToIso } from './time.js';

const $ = (id) => document.getElementById(id);
const ui = {
  stick: true,
  as: new URLSearchParams(location.search).get('as') ?? localStorage.getItem('sandbox-as'),
  tab: 'messages',
  state: null,
  /** The clock is moving: the jump buttons wait for it (the sandbox runs one jump at a time). */
  jumping: false,
};
let live = null;

const acting = () => ui.state?.people.find((p) => p.id === ui.state.acting);
const zone = () => acting()?.tz ?? 'UTC';
const ctx = () => ({ names: ui.state?.names ?? {}, tz: zone() });

function banner(message) {
  $('banner').textContent = message ?? '';
  $('banner').hidden = !message;
}

async function load() {
  try {
    const as = ui.as;
    const state = await getState(as);
    // The visitor picked someone else while this was on its way: the load queued behind it shows them.
    if (ui.as !== as) return;
    ui.state = state;
    ui.as = ui.state.acting;
    render();
    document.documentElement.dataset.version = String((Number(document.documentElement.dataset.version) || 0) + 1);
  } catch (err) {
    banner(err.message);
  }
}

function render() {
  const s = ui.state;
  const me = acting();
  renderPeople(s);
  renderClock(s, me);
  renderSide(s);
  $('acting').textContent = me ? `You are acting as ${me.name}${me.level ? ` (${me.level})` : ''} · ${me.tz}` : '';
  for (const tab of document.querySelectorAll('.tab'))
    tab.setAttribute('aria-selected', String(tab.dataset.tab === ui.tab));
  const pane = $('conversation');
  const nodes = ui.tab === 'home' ? homeNodes(s.home, ctx()) : dmNodes(s.dm, ctx());
  const top = pane.scrollTop;
  pane.replaceChildren();
  appendAll(document, pane, nodes, { action: onAction });
  // Like Slack: the DM follows new messages unless the visitor scrolled up to read.
  if (pane.dataset.as !== s.acting || pane.dataset.shown !== ui.tab) ui.stick = ui.tab === 'messages';
  pane.scrollTop = ui.stick ? pane.scrollHeight : top;
  requestAnimationFrame(() => {
    if (ui.stick) pane.scrollTop = pane.scrollHeight;
  });
  pane.dataset.as = s.acting;
  pane.dataset.shown = ui.tab;
  $('composer').hidden = ui.tab === 'home';
  syncModal(document, $('overlay'), s.modals ?? [], ctx(), { action: onAction, submit, close });
}

function renderPeople(s) {
  const joined = s.people.filter((p) => p.joined);
  const others = s.people.filter((p) => !p.joined);
  const nodes = [...joined.map((p) => personNode(p, s.acting))];
  if (others.length)
    nodes.push(
      h('div', { class: 'people-title sub' }, 'Not joined yet'),
      ...others.map((p) => personNode(p, s.acting)),
    );
  $('people').replaceChildren();
  appendAll(document, $('people'), nodes);
}

function renderClock(s, me) {
  const tz = me?.tz ?? 'UTC';
  $('clock-local').textContent = formatIn(s.now, tz);
  $('clock-utc').textContent =
    `${tz} · ${formatIn(s.now, 'UTC', { weekday: undefined, day: undefined, month: undefined })} UTC`;
  const labels = { monday: 'Mon 10:00', thursday: 'Thu 10:00', friday: 'Fri 15:00' };
  // In the order they come: Friday's first when it is Wednesday.
  const jumps = inDateOrder(Object.keys(labels), s.jumps).map((key) =>
    h(
      'button',
      {
        class: 'btn btn-small jump',
        type: 'button',
        'data-jump': key,
        disabled: ui.jumping,
        title: s.jumps?.[key] ? `${formatIn(s.jumps[key], tz)} (${tz})` : '',
      },
      h('span', { class: 'jump-label' }, `Next ${labels[key]}`),
      s.jumps?.[key]
        ? h(
            'span',
            { class: 'jump-date' },
            formatIn(s.jumps[key], tz, { weekday: undefined, hour: undefined, minute: undefined }),
          )
        : null,
    ),
  );
  $('jumps').replaceChildren();
  appendAll(document, $('jumps'), jumps);
  if (!$('jump-at').value) $('jump-at').value = isoToZoned(s.now, tz);
}

function renderSide(s) {
  $('tour').replaceChildren();
  appendAll(document, $('tour'), tourNodes(s.tour));
  $('incident-channel').replaceChildren();
  appendAll(
    document,
    $('incident-channel'),
    channelNodes(channelNamed(s.channels, $('incident-name').value), s.acting, s.names),
  );
}

/** Join, write in or archive the incident channel named in the box, as the acting person. */
async function incident(what) {
  const body = { as: ui.as, do: what, channel: $('incident-name').value };
  if (what === 'say') body.text = messageText($('incident-text').value, ui.state?.people ?? []);
  const res = await post('incident', body);
  if (!res.ok) banner(res.error ?? 'That did not reach growthbot.');
  else {
    banner('');
    if (what === 'say') $('incident-text').value = '';
  }
  await live.refresh();
}

/** What the jump's ticks sent, one line per tick and kind, at the acting person's time. */
function showRan(res) {
  const status = $('clock-status');
  status.replaceChildren();
  if (!res.ok) return;
  const lines = (Array.isArray(res.ran) ? res.ran : []).map((r) =>
    h(
      'li',
      { class: 'ran' },
      h('span', { class: 'ran-at' }, formatIn(r.at, zone(), { month: undefined })),
      ` ${r.kind} → ${(r.to ?? []).join(', ')}`,
    ),
  );
  const ticks = `${res.ticks ?? 0} scheduler tick${res.ticks === 1 ? '' : 's'} ran`;
  appendAll(document, status, [
    h('div', {}, lines.length ? `${ticks}; sent:` : `${ticks}; nothing was due to be sent.`),
    lines.length ? h('ul', { class: 'ran-list' }, lines) : null,
  ]);
}

function showJumping(on) {
  ui.jumping = on;
  for (const b of $('jumps').querySelectorAll('button')) b.disabled = on;
  $('jump-go').disabled = on;
}

async function jump(to) {
  if (ui.jumping) return;
  const field = $('jump-at').value;
  $('clock-status').textContent = 'Moving the clock…';
  showJumping(true);
  let res;
  try {
    res = await post('clock', { as: ui.as, to });
  } finally {
    showJumping(false);
  }
  // The field shows the new now, unless the person typed an instant while the clock was moving.
  if ($('jump-at').value === field) $('jump-at').value = '';
  // Home shows the new week as Slack would when the tab is opened again.
  if (ui.tab === 'home') await openHome();
  // The jump's changes come in one notice at its end: the page shows the new state, then what ran.
  await live.refresh();
  showRan(res);
  // Refused (too far ahead, a jump from another tab still running): say why; done: clear what a refusal said.
  banner(res.ok ? '' : res.error);
}

async function send(text) {
  const r = route(text);
  if (!r) return true;
  if (r.error) {
    banner(r.error);
    return false;
  }
  const people = ui.state?.people ?? [];
  const res = await post(r.path, {
    as: ui.as,
    text: r.path === 'command' ? slackText(r.text, people) : messageText(r.text, people),
  });
  if (!res.ok) banner(res.error ?? 'Not sent.');
  else banner('');
  await live.refresh();
  return res.ok;
}

/** A click or change on an interactive element in a message, the Home tab or a modal. */
async function onAction(action, el) {
  if (action.confirm && !(await confirmDialog(document, action.confirm))) return;
  if (action.url && !action.action_id) return;
  const view = el.closest('[data-view-id]');
  const msg = el.closest('[data-ts]');
  const container = view
    ? { type: 'view', view_id: view.dataset.viewId }
    : msg
      ? { type: 'message', ts: msg.dataset.ts }
      : { type: 'home' };
  const body = { as: ui.as, container, action_id: action.action_id, block_id: action.block_id };
  if (action.type === 'button') body.value = action.value;
  else if (action.type === 'datepicker') body.selected_date = el.value;
  else if (action.type === 'timepicker') body.selected_time = el.value;
  else if (el.tagName === 'SELECT')
    body.selected_option = {
      value: el.value,
      text: { type: 'plain_text', text: el.selectedOptions[0]?.textContent ?? '' },
    };
  if (el.tagName === 'BUTTON') el.disabled = true;
  const res = await post('action', body);
  if (!res.ok) banner(res.error ?? 'That click did not reach growthbot.');
  await live.refresh();
  if (el.isConnected && el.tagName === 'BUTTON') el.disabled = false;
}

async function submit(viewId, values) {
  const res = await post('submit', { as: ui.as, view_id: viewId, values });
  if (res.ok || !res.errors) await live.refresh();
  return res;
}

async function close(viewId) {
  const res = await post('close', { as: ui.as, view_id: viewId });
  if (!res.ok) banner(res.error);
  await live.refresh();
}

async function openHome() {
  const res = await post('home', { as: ui.as });
  if (res.ok) await live.refresh();
}

/**
 * Tells the sandbox whom the visitor acts as (in Slack, they open the app: its Home is
 * published). Only a choice does this, and the page's first load: a reload for a change notice
 * only reads, so two pages acting as two people never switch each other back.
 */
async function choose(id) {
  const res = await post('act', id ? { as: id } : {});
  if (!res.ok) return banner(res.error);
  // Someone remembered from a link or an earlier sandbox may not be in this one: the sandbox
  // answers with its default person, and the page shows them (and says so), unless the visitor
  // chose someone else meanwhile.
  if (typeof res.acting === 'string' && ui.as === id && res.acting !== id) {
    ui.as = res.acting;
    localStorage.setItem('sandbox-as', res.acting);
    history.replaceState(null, '', `?as=${encodeURIComponent(res.acting)}${ui.tab === 'home' ? '#home' : ''}`);
  }
  if (res.note) banner(res.note);
}

function actAs(id) {
  ui.as = id;
  localStorage.setItem('sandbox-as', id);
  history.replaceState(null, '', `?as=${encodeURIComponent(id)}${ui.tab === 'home' ? '#home' : ''}`);
  $('jump-at').value = '';
  banner('');
  void choose(id)
    .then(() => live.refresh())
    .then(() => (ui.tab === 'home' ? openHome() : undefined));
}

/** `@` and what follows it up to the caret (one space allowed: "@Priya R"), or null. */
function mentionAt(box) {
  const before = box.value.slice(0, box.selectionStart);
  const m = /(^|\s)@([^\s@<>]*(?: [^\s@<>]*)?)$/u.exec(before);
  return m ? { start: before.length - m[2].length - 1, query: m[2].toLowerCase() } : null;
}

/** The @ picker: people whose name (or a word of it) starts with what follows the @. */
function showMentions() {
  const picker = $('mention-picker');
  const at = mentionAt($('message'));
  const all = ui.state?.people ?? [];
  // A whole name typed out needs no picking: Enter sends it.
  const done = at && all.some((p) => p.name.toLowerCase() === at.query);
  const people =
    at && !done
      ? all.filter((p) => [p.name, ...p.name.split(' ')].some((w) => w.toLowerCase().startsWith(at.query)))
      : [];
  picker.replaceChildren();
  picker.hidden = people.length === 0;
  appendAll(
    document,
    picker,
    people.map((p) => h('button', { type: 'button', class: 'mention', role: 'option', 'data-mention': p.id }, p.name)),
  );
}

/** Writes `@Full Name ` in place of the @ being typed; sent, it becomes `<@U…|name>` (compose.js). */
function pickMention(id) {
  const box = $('message');
  const at = mentionAt(box);
  const p = ui.state?.people.find((x) => x.id === id);
  if (!at || !p) return;
  const rest = box.value.slice(box.selectionStart);
  box.value = `${box.value.slice(0, at.start)}@${p.name} ${rest}`;
  box.selectionStart = box.selectionEnd = at.start + p.name.length + 2;
  $('mention-picker').hidden = true;
  box.focus();
}

function setup() {
  ui.tab = location.hash === '#home' ? 'home' : 'messages';
  const pane = $('conversation');
  pane.addEventListener('scroll', () => {
    ui.stick = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
  });
  // A window that changes size keeps a stuck pane at the bottom.
  new ResizeObserver(() => {
    if (ui.stick) pane.scrollTop = pane.scrollHeight;
  }).observe(pane);
  $('people').addEventListener('click', (e) => {
    const b = e.target.closest('[data-person]');
    if (b) actAs(b.dataset.person);
  });
  document.querySelector('.tabs').addEventListener('click', (e) => {
    const tab = e.target.closest('[data-tab]')?.dataset.tab;
    if (!tab || !ui.state) return;
    ui.tab = tab;
    history.replaceState(null, '', `?as=${encodeURIComponent(ui.as)}${tab === 'home' ? '#home' : ''}`);
    render();
    if (tab === 'home') void openHome();
  });
  $('jumps').addEventListener('click', (e) => {
    const b = e.target.closest('[data-jump]');
    if (b) void jump(b.dataset.jump);
  });
  $('jump-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const iso = zonedToIso($('jump-at').value, zone());
    if (iso) void jump(iso);
    else banner('Pick a date and time to jump to.');
  });
  const box = $('message');
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('send').disabled = true;
    try {
      const text = box.value;
      // Clear only what was sent: the person may have typed the next message meanwhile.
      if ((await send(text)) && box.value === text) box.value = '';
    } finally {
      $('send').disabled = false;
      box.focus();
    }
  });
  box.addEventListener('input', showMentions);
  $('mention-picker').addEventListener('click', (e) => {
    const b = e.target.closest('[data-mention]');
    if (b) pickMention(b.dataset.mention);
  });
  box.addEventListener('keydown', (e) => {
    const first = $('mention-picker').hidden ? null : $('mention-picker').querySelector('[data-mention]');
    if (first && (e.key === 'Enter' || e.key === 'Tab')) {
      e.preventDefault();
      pickMention(first.dataset.mention);
      return;
    }
    if (e.key === 'Escape') $('mention-picker').hidden = true;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  $('incident-form').addEventListener('click', (e) => {
    const what = e.target.closest('button[type="button"][data-incident]')?.dataset.incident;
    if (what) void incident(what);
  });
  $('incident-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void incident('say');
  });
  $('incident-name').addEventListener('input', () => ui.state && renderSide(ui.state));
  void choose(ui.as)
    .then(() => {
      live = watch(load);
      return live.refresh();
    })
    .then(() => (ui.tab === 'home' ? openHome() : undefined));
}

setup();
