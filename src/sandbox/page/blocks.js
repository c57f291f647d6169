// Block Kit → node descriptions (pure, like mrkdwn.js). Interactive elements carry an `action`
// ({ event, type, action_id, block_id, value?, confirm? }) that dom.js wires to a handler.
// Inputs in modals carry data-block / data-action / data-type so modal.js can read their state.
import { h } from './dom.js';
import { mrkdwnNodes, plainNodes } from './mrkdwn.js';

/** A text object (mrkdwn or plain_text) as nodes. */
export function textNodes(obj, names) {
  if (!obj) return [];
  return obj.type === 'mrkdwn' ? mrkdwnNodes(obj.text, names) : plainNodes(obj.text);
}

const plainText = (obj) => plainNodes(obj?.text ?? '');

function optionNodes(element, selectedValues) {
  const groups = element.option_groups ?? [{ options: element.options ?? [] }];
  const options = (list) =>
    list.map((o) =>
      h('option', { value: o.value, selected: selectedValues.includes(o.value) }, o.text?.text ?? o.value),
    );
  return groups
    .map((g) => (g.label ? h('optgroup', { label: g.label.text }, options(g.options)) : options(g.options)))
    .flat();
}

function select(element, attrs, action, multiple = false) {
  const initial = [element.initial_option, ...(element.initial_options ?? [])].filter(Boolean).map((o) => o.value);
  const placeholder = element.placeholder
    ? element.placeholder.text
    : element.type === 'overflow'
      ? '⋯'
      : 'Select an item';
  const node = h(
    'select',
    { class: 'select', multiple, ...attrs },
    multiple
      ? null
      : h('option', { value: '', selected: !initial.length, disabled: element.type !== 'overflow' }, placeholder),
    optionNodes(element, initial),
  );
  if (action) node.action = { ...action, event: 'change' };
  return node;
}

function choices(element, kind, name) {
  const initial = [element.initial_option, ...(element.initial_options ?? [])].filter(Boolean).map((o) => o.value);
  return (element.options ?? []).map((o) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: kind, name, value: o.value, checked: initial.includes(o.value) }),
      h(
        'span',
        { class: 'choice-text' },
        textNodes(o.text),
        o.description ? h('span', { class: 'choice-desc' }, textNodes(o.description)) : null,
      ),
    ),
  );
}

/**
 * One element. In an input block `field` = { block_id } marks it as a form field; elsewhere
 * `action` = { block_id } makes it send a block action.
 */
export function elementNode(element, ctx, where) {
  const base = where.field
    ? { 'data-block': where.field.block_id, 'data-action': element.action_id, 'data-type': element.type }
    : {};
  const action = where.field ? null : { type: element.type, action_id: element.action_id, block_id: where.block_id };
  switch (element.type) {
    case 'button': {
      const style = element.style ? ` btn-${element.style}` : '';
      const node = h(
        'button',
        { class: `btn${style}`, type: 'button', 'data-action-id': element.action_id },
        plainText(element.text),
      );
      node.action = { ...action, event: 'click', value: element.value, confirm: element.confirm, url: element.url };
      return node;
    }
    case 'static_select':
    case 'overflow':
    case 'external_select':
      return select(element, base, action);
    case 'multi_static_select':
      return select(element, base, action, true);
    case 'plain_text_input':
    case 'url_text_input':
    case 'email_text_input':
    case 'number_input': {
      const type = { url_text_input: 'url', email_text_input: 'email', number_input: 'number' }[element.type] ?? 'text';
      const attrs = {
        ...base,
        class: 'text-input',
        placeholder: element.placeholder?.text,
        // Slack lets a person type past max_length and says so on submit (modal.js), never cutting it short.
        'data-max': element.max_length,
        ...(element.type === 'number_input'
          ? { min: element.min_value, max: element.max_value, step: element.is_decimal_allowed ? 'any' : '1' }
          : {}),
      };
      if (element.multiline) return h('textarea', { ...attrs, rows: 4 }, element.initial_value ?? '');
      return h('input', { ...attrs, type, value: element.initial_value });
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const kind = element.type === 'radio_buttons' ? 'radio' : 'checkbox';
      const name = `${where.field?.block_id ?? where.block_id}/${element.action_id}`;
      return h('div', { ...base, class: 'choices', role: 'group' }, choices(element, kind, name));
    }
    case 'timepicker':
    case 'datepicker': {
      const type = element.type === 'timepicker' ? 'time' : 'date';
      const node = h('input', {
        ...base,
        class: 'text-input picker',
        type,
        value: element.initial_time ?? element.initial_date,
      });
      if (action) node.action = { ...action, event: 'change' };
      return node;
    }
    case 'image':
      return h('span', { class: 'image-alt', title: 'image' }, `🖼 ${element.alt_text ?? ''}`);
    default:
      return h('span', { class: 'unsupported' }, `[${element.type}]`);
  }
}

function section(block, ctx) {
  const body = h('div', { class: 'section-body' });
  if (block.text) body.children.push(h('div', { class: 'section-text' }, textNodes(block.text, ctx.names)));
  if (block.fields?.length)
    body.children.push(
      h(
        'div',
        { class: 'fields' },
        block.fields.map((f) => h('div', { class: 'field' }, textNodes(f, ctx.names))),
      ),
    );
  const accessory = block.accessory
    ? h('div', { class: 'accessory' }, elementNode(block.accessory, ctx, { block_id: block.block_id }))
    : null;
  return h('div', { class: 'block section' }, body, accessory);
}

function input(block, ctx) {
  const error = ctx.errors?.[block.block_id];
  return h(
    'div',
    { class: `block input${error ? ' has-error' : ''}`, 'data-input-block': block.block_id },
    h(
      'label',
      { class: 'input-label' },
      plainText(block.label),
      block.optional ? h('span', { class: 'optional' }, ' (optional)') : null,
    ),
    elementNode(block.element, ctx, { field: { block_id: block.block_id } }),
    block.hint ? h('div', { class: 'hint' }, plainText(block.hint)) : null,
    h('div', { class: 'input-error', role: 'alert', 'data-error-for': block.block_id }, error ?? ''),
  );
}

/** One block as a node. `ctx` = { names, errors? }. */
export function blockNode(block, ctx = {}) {
  switch (block.type) {
    case 'header':
      return h('div', { class: 'block header' }, plainText(block.text));
    case 'section':
      return section(block, ctx);
    case 'context':
      return h(
        'div',
        { class: 'block context' },
        (block.elements ?? []).map((e) =>
          e.type === 'image' ? elementNode(e, ctx, {}) : h('span', { class: 'context-item' }, textNodes(e, ctx.names)),
        ),
      );
    case 'divider':
      return h('hr', { class: 'block divider' });
    case 'actions':
      return h(
        'div',
        { class: 'block actions' },
        (block.elements ?? []).map((e) => elementNode(e, ctx, { block_id: block.block_id })),
      );
    case 'input':
      return input(block, ctx);
    case 'image':
      return h('div', { class: 'block' }, elementNode(block, ctx, {}));
    default:
      return h('div', { class: 'block unsupported' }, `[${block.type} block]`);
  }
}

export function blocksNodes(blocks, ctx) {
  return (blocks ?? []).map((b) => blockNode(b, ctx));
}
