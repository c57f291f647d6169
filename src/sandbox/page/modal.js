// Modals: the top of the stack as a dialog, its inputs read back in Slack's view.state.values
// shape, inline errors, and the small confirm dialog buttons with `confirm` ask first.
import { blocksNodes, textNodes } from './blocks.js';
import { build, h } from './dom.js';
import { plainNodes } from './mrkdwn.js';

/** The option objects of a view's element, by value (what Slack reports back as selected). */
function optionsOf(view, blockId, actionId) {
  const block = (view.blocks ?? []).find((b) => b.block_id === blockId);
  const el = block?.element?.action_id === actionId ? block.element : null;
  const groups = el?.option_groups ?? [{ options: el?.options ?? [] }];
  return new Map(groups.flatMap((g) => g.options).map((o) => [o.value, o]));
}

/** Every input of the rendered modal, in `view.state.values` shape. */
export function readValues(root, view) {
  const values = {};
  for (const el of root.querySelectorAll('[data-block][data-action]')) {
    const { block, action, type } = el.dataset;
    const options = optionsOf(view, block, action);
    const pick = (v) => options.get(v) ?? null;
    let state;
    if (type === 'static_select' || type === 'external_select')
      state = { type, selected_option: el.value ? pick(el.value) : null };
    else if (type === 'multi_static_select')
      state = { type, selected_options: [...el.selectedOptions].map((o) => pick(o.value)).filter(Boolean) };
    else if (type === 'radio_buttons') {
      const checked = el.querySelector('input:checked');
      state = { type, selected_option: checked ? pick(checked.value) : null };
    } else if (type === 'checkboxes') {
      state = {
        type,
        selected_options: [...el.querySelectorAll('input:checked')].map((i) => pick(i.value)).filter(Boolean),
      };
    } else if (type === 'timepicker') state = { type, selected_time: el.value || null };
    else if (type === 'datepicker') state = { type, selected_date: el.value || null };
    else state = { type, value: el.value === '' ? null : el.value };
    (values[block] ??= {})[action] = state;
  }
  return values;
}

/** Shows `errors` ({ block_id: message }) under their blocks, clearing the others. */
export function showErrors(root, errors = {}) {
  for (const slot of root.querySelectorAll('[data-error-for]')) {
    const msg = errors[slot.dataset.errorFor] ?? '';
    slot.textContent = msg;
    slot.closest('[data-input-block]')?.classList.toggle('has-error', Boolean(msg));
  }
}

/** Inputs longer than their block's max_length, as Slack reports them: { block_id: message }. */
export function tooLong(root) {
  const errors = {};
  for (const el of root.querySelectorAll('[data-block][data-max]')) {
    const max = Number(el.dataset.max);
    if (el.value.length > max)
      errors[el.dataset.block] = `Must be ${max} characters or fewer: this has ${el.value.length}.`;
  }
  return errors;
}

/**
 * Keeps the overlay in step with the stack. The top view is rebuilt only when it changes, so
 * what the visitor is typing survives unrelated refreshes.
 */
export function syncModal(doc, overlay, modals, ctx, hooks) {
  const top = modals?.[modals.length - 1];
  if (!top) {
    overlay.hidden = true;
    overlay.replaceChildren();
    overlay.dataset.key = '';
    return;
  }
  const key = `${top.id}:${modals.length}:${JSON.stringify(top.view)}`;
  if (overlay.dataset.key !== key) {
    overlay.replaceChildren(build(doc, modalNode(top, modals, ctx), hooks));
    overlay.dataset.key = key;
    wire(overlay, top, modals, hooks);
    overlay.querySelector('input, textarea, select')?.focus();
  }
  overlay.hidden = false;
  showErrors(overlay, top.errors ?? {});
}

function modalNode(top, modals, ctx) {
  const v = top.view;
  const pushed = modals.length > 1;
  return h(
    'div',
    { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'data-view-id': top.id },
    h(
      'div',
      { class: 'modal-head' },
      pushed ? h('button', { class: 'icon-btn', type: 'button', 'data-modal': 'back', title: 'Back' }, '‹') : null,
      h('h2', { class: 'modal-title' }, plainNodes(v.title?.text ?? '')),
      h('button', { class: 'icon-btn', type: 'button', 'data-modal': 'close', title: 'Close' }, '×'),
    ),
    h('form', { class: 'modal-body' }, blocksNodes(v.blocks, { ...ctx, errors: top.errors })),
    h('div', { class: 'modal-error', role: 'alert' }),
    h(
      'div',
      { class: 'modal-foot' },
      h(
        'button',
        { class: 'btn', type: 'button', 'data-modal': pushed ? 'back' : 'close' },
        pushed ? 'Back' : (v.close?.text ?? 'Cancel'),
      ),
      v.submit
        ? h('button', { class: 'btn btn-primary', type: 'button', 'data-modal': 'submit' }, v.submit.text)
        : null,
    ),
  );
}

function wire(overlay, top, modals, hooks) {
  const on = (what, fn) =>
    overlay.querySelectorAll(`[data-modal="${what}"]`).forEach((b) => b.addEventListener('click', fn));
  on('back', () => hooks.close(top.id));
  on('close', () => hooks.close(modals[0].id));
  on('submit', async (e) => {
    const button = e.currentTarget;
    // Like Slack: an input over its max_length is not sent; what was typed stays in the box.
    const over = tooLong(overlay);
    showErrors(overlay, over);
    if (Object.keys(over).length) return;
    button.disabled = true;
    try {
      const res = await hooks.submit(top.id, readValues(overlay, top.view));
      if (res.errors) showErrors(overlay, res.errors);
      // A successful submission may already have closed this modal (the state arrived first).
      const slot = overlay.querySelector('.modal-error');
      if (slot) slot.textContent = res.ok || res.errors ? '' : (res.error ?? 'Not submitted.');
    } finally {
      button.disabled = false;
    }
  });
  overlay.querySelector('form')?.addEventListener('submit', (e) => e.preventDefault());
}

/** Slack's confirmation dialog for a button with `confirm`; resolves true when confirmed. */
export function confirmDialog(doc, confirm) {
  return new Promise((resolve) => {
    const layer = build(
      doc,
      h(
        'div',
        { class: 'overlay confirm-layer' },
        h(
          'div',
          { class: 'modal confirm', role: 'alertdialog', 'aria-modal': 'true' },
          h(
            'div',
            { class: 'modal-head' },
            h('h2', { class: 'modal-title' }, plainNodes(confirm.title?.text ?? 'Are you sure?')),
          ),
          h('div', { class: 'modal-body' }, textNodes(confirm.text)),
          h(
            'div',
            { class: 'modal-foot' },
            h('button', { class: 'btn', type: 'button', 'data-answer': 'no' }, confirm.deny?.text ?? 'Cancel'),
            h(
              'button',
              { class: `btn btn-${confirm.style ?? 'primary'}`, type: 'button', 'data-answer': 'yes' },
              confirm.confirm?.text ?? 'Yes',
            ),
          ),
        ),
      ),
    );
    for (const b of layer.querySelectorAll('[data-answer]')) {
      b.addEventListener('click', () => {
        layer.remove();
        resolve(b.dataset.answer === 'yes');
      });
    }
    doc.body.appendChild(layer);
  });
}
