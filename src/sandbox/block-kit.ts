// Block Kit limits as Slack enforces them (https://api.slack.com/reference/block-kit), so a view
// or message the sandbox accepts is one Slack accepts. Each problem is a line shaped like Slack's:
// `[ERROR] must be less than 3001 characters [json-pointer:/blocks/2/text/text]`.
type Obj = Record<string, unknown>;
export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
const BLOCKS = new Set([
  'section',
  'header',
  'context',
  'divider',
  'actions',
  'input',
  'image',
  'rich_text',
  'file',
  'video',
]);
const SELECTS = ['static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select'];
/** Elements that may only sit in an input block. */
const INPUT_ONLY = new Set([
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'file_input',
]);
const ELEMENTS = new Set([
  'button',
  'overflow',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'radio_buttons',
  'checkboxes',
  'image',
  ...INPUT_ONLY,
  ...SELECTS,
  ...SELECTS.map((s) => `multi_${s}`),
]);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Problems {
  readonly lines: string[] = [];
  add(path: string, what: string): void {
    this.lines.push(`[ERROR] ${what} [json-pointer:${path}]`);
  }
  /** A text object: `types` allowed, 1..max characters. */
  text(v: unknown, path: string, max: number, types: ('plain_text' | 'mrkdwn')[] = ['plain_text', 'mrkdwn']): void {
    if (!isObj(v) || !types.includes(v.type as 'plain_text'))
      return this.add(path, `must be a text object of type ${types.join(' or ')}`);
    if (typeof v.text !== 'string' || v.text.length === 0)
      return this.add(`${path}/text`, 'must be more than 0 characters');
    if (v.text.length > max) this.add(`${path}/text`, `must be less than ${max + 1} characters`);
  }
  str(v: unknown, path: string, max: number, required = false): void {
    if (v === undefined && !required) return;
    if (typeof v !== 'string') return this.add(path, 'must be a string');
    if (v.length > max) this.add(path, `must be less than ${max + 1} characters`);
  }
}

function options(p: Problems, v: unknown, path: string, max: number, textMax = 75): void {
  if (!Array.isArray(v) || v.length === 0) return p.add(path, 'must provide at least 1 option');
  if (v.length > max) p.add(path, `must provide no more than ${max} items`);
  v.forEach((o, i) => {
    p.text((o as Obj)?.text, `${path}/${i}/text`, textMax);
    p.str((o as Obj)?.value, `${path}/${i}/value`, 150, true);
  });
}

function element(p: Problems, el: unknown, path: string, inInput: boolean, ids: Set<string>): void {
  if (!isObj(el) || typeof el.type !== 'string' || !ELEMENTS.has(el.type))
    return p.add(`${path}/type`, `unknown element type ${String((el as Obj)?.type)}`);
  if (INPUT_ONLY.has(el.type) && !inInput) p.add(`${path}/type`, `${el.type} is only allowed in an input block`);
  if (el.type === 'image') return;
  p.str(el.action_id, `${path}/action_id`, 255);
  if (typeof el.action_id === 'string') {
    if (ids.has(el.action_id)) p.add(`${path}/action_id`, `action_id ${el.action_id} is already used in this block`);
    ids.add(el.action_id);
  }
  if (el.placeholder !== undefined) p.text(el.placeholder, `${path}/placeholder`, 150, ['plain_text']);
  switch (el.type) {
    case 'button':
      p.text(el.text, `${path}/text`, 75, ['plain_text']);
      p.str(el.value, `${path}/value`, 2000);
      p.str(el.url, `${path}/url`, 3000);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
        p.add(`${path}/style`, 'must be primary or danger');
      break;
    case 'static_select':
    case 'multi_static_select':
      if (el.option_groups === undefined) options(p, el.options, `${path}/options`, 100);
      break;
    case 'overflow':
      options(p, el.options, `${path}/options`, 5);
      break;
    case 'radio_buttons':
    case 'checkboxes':
      options(p, el.options, `${path}/options`, 10, 150);
      break;
    case 'plain_text_input':
      if (el.max_length !== undefined && !(Number(el.max_length) >= 1 && Number(el.max_length) <= 3000)) {
        p.add(`${path}/max_length`, 'must be between 1 and 3000');
      }
      p.str(el.initial_value, `${path}/initial_value`, 3000);
      break;
    default:
  }
}

function block(p: Problems, b: unknown, path: string, surface: Surface, blockIds: Set<string>): void {
  if (!isObj(b) || typeof b.type !== 'string' || !BLOCKS.has(b.type))
    return p.add(`${path}/type`, `unknown block type ${String((b as Obj)?.type)}`);
  if (b.block_id !== undefined) {
    p.str(b.block_id, `${path}/block_id`, 255);
    if (blockIds.has(String(b.block_id))) p.add(`${path}/block_id`, `block_id ${String(b.block_id)} is already used`);
    blockIds.add(String(b.block_id));
  }
  const ids = new Set<string>();
  switch (b.type) {
    case 'section':
      if (b.text === undefined && b.fields === undefined) p.add(path, 'must provide text or fields');
      if (b.text !== undefined) p.text(b.text, `${path}/text`, 3000);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length > 10)
          p.add(`${path}/fields`, 'must provide no more than 10 items');
        else b.fields.forEach((f, i) => p.text(f, `${path}/fields/${i}`, 2000));
      }
      if (b.accessory !== undefined) element(p, b.accessory, `${path}/accessory`, false, ids);
      break;
    case 'header':
      p.text(b.text, `${path}/text`, 150, ['plain_text']);
      break;
    case 'context':
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) {
        p.add(`${path}/elements`, 'must provide between 1 and 10 items');
      } else {
        b.elements.forEach((e, i) =>
          (e as Obj)?.type === 'image' ? undefined : p.text(e, `${path}/elements/${i}`, 3000),
        );
      }
      break;
    case 'actions':
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25) {
        p.add(`${path}/elements`, 'must provide between 1 and 25 items');
      } else {
        b.elements.forEach((e, i) => element(p, e, `${path}/elements/${i}`, false, ids));
      }
      break;
    case 'input':
      p.text(b.label, `${path}/label`, 2000, ['plain_text']);
      if (b.hint !== undefined) p.text(b.hint, `${path}/hint`, 2000, ['plain_text']);
      element(p, b.element, `${path}/element`, true, ids);
      if (surface === 'home') p.add(`${path}/type`, 'input blocks are not allowed in a Home tab');
      break;
    default:
  }
}

function blocks(p: Problems, v: unknown, path: string, surface: Surface): void {
  if (!Array.isArray(v)) return p.add(path, 'must be an array');
  if (v.length > MAX_BLOCKS[surface]) p.add(path, `must provide no more than ${MAX_BLOCKS[surface]} items`);
  const blockIds = new Set<string>();
  v.forEach((b, i) => block(p, b, `${path}/${i}`, surface, blockIds));
}

/** Problems with a message's blocks (empty when Slack would accept them). */
export function messageBlockProblems(v: unknown): string[] {
  const p = new Problems();
  blocks(p, v, '/blocks', 'message');
  return p.lines;
}

/** Problems with a modal or Home view, pointed at `/view/…` as Slack points them. */
export function viewProblems(view: unknown, expect?: 'modal' | 'home'): string[] {
  const p = new Problems();
  if (!isObj(view)) return ['[ERROR] must be an object [json-pointer:/view]'];
  const type = view.type;
  if (type !== 'modal' && type !== 'home') p.add('/view/type', 'must be modal or home');
  else if (expect && type !== expect) p.add('/view/type', `must be ${expect}`);
  const surface: Surface = type === 'home' ? 'home' : 'modal';
  blocks(p, view.blocks, '/view/blocks', surface);
  p.str(view.private_metadata, '/view/private_metadata', 3000);
  p.str(view.callback_id, '/view/callback_id', 255);
  p.str(view.external_id, '/view/external_id', 255);
  if (surface === 'modal') {
    p.text(view.title, '/view/title', 24, ['plain_text']);
    if (view.submit !== undefined) p.text(view.submit, '/view/submit', 24, ['plain_text']);
    if (view.close !== undefined) p.text(view.close, '/view/close', 24, ['plain_text']);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => (b as Obj)?.type === 'input');
    if (hasInput && view.submit === undefined)
      p.add('/view/submit', 'submit is required when an input block is present');
  }
  return p.lines;
}
