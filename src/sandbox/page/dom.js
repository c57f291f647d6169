// Node descriptions (from mrkdwn.js and blocks.js) → DOM, with createElement and text nodes only.
// Attributes pass a short allow-list: no event-handler attributes, no style, links re-checked.
import { safeUrl } from './mrkdwn.js';

const ATTRS = new Set([
  'class',
  'title',
  'type',
  'name',
  'value',
  'placeholder',
  'checked',
  'selected',
  'multiple',
  'disabled',
  'rows',
  'role',
  'for',
  'id',
  'target',
  'rel',
  'download',
  'min',
  'max',
  'step',
  'href',
  'tabindex',
]);

export function allowedAttr(name) {
  return ATTRS.has(name) || /^(data|aria)-[a-z-]+$/.test(name);
}

/** A local file URL the sandbox serves (an uploaded export). */
export function fileUrl(url) {
  return /^\/sandbox\/files\/[A-Za-z0-9_.-]+$/.test(url) ? url : null;
}

/**
 * Builds one node. `hooks.action(action, element)` is called when an element described with
 * `action` is clicked (buttons) or changed (selects, pickers).
 */
export function build(doc, node, hooks = {}) {
  if (node === null || node === undefined || node === false) return doc.createTextNode('');
  if (typeof node === 'string' || typeof node === 'number') return doc.createTextNode(String(node));
  const el = doc.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs ?? {})) {
    if (value === undefined || value === null || value === false || !allowedAttr(name)) continue;
    if (name === 'href') {
      const href = safeUrl(String(value)) ?? fileUrl(String(value));
      if (href) el.setAttribute('href', href);
      continue;
    }
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of node.children ?? []) el.appendChild(build(doc, child, hooks));
  if (node.action && hooks.action) {
    const event = node.action.event ?? 'click';
    el.addEventListener(event, (e) => {
      if (event === 'click') e.preventDefault();
      hooks.action(node.action, el);
    });
  }
  return el;
}

/** Several nodes into a fragment-like list of elements appended to `parent`. */
export function appendAll(doc, parent, nodes, hooks) {
  for (const n of nodes) parent.appendChild(build(doc, n, hooks));
  return parent;
}

/** Shorthand for building descriptions: h('div', { class: 'x' }, 'text', child). */
export function h(tag, attrs, ...children) {
  return {
    tag,
    attrs: attrs ?? {},
    children: children.flat().filter((c) => c !== null && c !== undefined && c !== false),
  };
}
