// Property-based fuzzing of every surface a person (or a confused client) can reach, through
// the real HTTP app with signed requests against the fake Slack. One harness for the file; the
// database is emptied between properties, not between runs, so runs also meet each other's rows.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getMember, isJoined } from '../../src/db/members.ts';
import { JOBS } from '../../src/jobs/index.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { FeedFormatError } from '../../src/oncall/ical.ts';
import { parseFeedBudgeted } from '../../src/oncall/parse-budget.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { helpText } from '../../src/outbound/views/messages.ts';
import { escapeText } from '../../src/outbound/views/progress.ts';
import { ADMIN_USAGE } from '../../src/slack/parse.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { ICAL_ATTACKS, MALFORMED_RULES, ODD_JSON, withRule } from '../support/odd-inputs.ts';
import {
  blockAction,
  checkboxesValue,
  dmDeleted,
  dmEdited,
  dmMessage,
  eventCallback,
  radioValue,
  type SendResult,
  type SlackRequest,
  selectValue,
  slashCommand,
  textValue,
  timeValue,
  viewSubmission,
} from '../support/slack-requests.ts';

const TEAM = 'T0TEST';
const JOINED = ['U0FZJOIN1', 'U0FZJOIN2'] as const;
const ADMIN = 'U0FZADMIN'; // joined too, and in ADMIN_USER_IDS, so `/growth admin …` goes past the gate
const NOT_JOINED = ['U0FZNEW1', 'U0FZNEW2'] as const;
/** Never joins and stores nothing: the only user who may press "Delete everything". */
const NOBODY = 'U0FZNOBODY';
const USERS = [...JOINED, ADMIN, ...NOT_JOINED] as const;

/** Every word the help and the admin usage teach after `/growth` (and after `/growth admin`): a new subcommand is fuzzed as soon as it is documented. */
const wordsAfter = (prefix: string, text: string) => [
  ...new Set([...text.matchAll(new RegExp(`${prefix} ([a-z][a-z-]*)`, 'g'))].map((m) => m[1]!)),
];
const SUBCOMMANDS = wordsAfter('/growth', `${helpText()}\n${ADMIN_USAGE}`);
const ADMIN_WORDS = [...wordsAfter('/growth admin', ADMIN_USAGE), 'add', 'list', ...Object.keys(JOBS)];
/**
 * Feed links the tests may send: private targets are refused before any connection, and loopback
 * ones (allowed in this harness) are saved and read from a port where nothing listens, so the
 * work after the reply runs and fails the way a dead feed does. Nothing leaves this machine.
 */
const SAFE_FEEDS = [
  'https://127.0.0.1:9/feed.ics',
  '<https://10.0.0.1/oncall.ics|my shifts>',
  'webcal://192.168.1.1/x.ics',
  'http://127.0.0.1:9/x',
  'ftp://x',
  'off',
];
const COMPETENCIES = [
  'observability',
  'incident-response',
  'automation-basics',
  'slo-thinking',
  'production-debugging',
  'writing-clearly',
  'no-such-competency',
];

// A cap on shrinking: a run whose handler throws is cut short (see sendChecked), but a server
// that stops answering would otherwise cost seconds per shrink step.
const SHRINK_BUDGET_MS = 30_000;
const PROPERTY_TIMEOUT_MS = 120_000;

const unhandled: { kind: string; error: unknown }[] = [];
const onRejection = (error: unknown) => unhandled.push({ kind: 'unhandledRejection', error });
const onException = (error: unknown) => unhandled.push({ kind: 'uncaughtException', error });

let h: Harness;
beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  h = await startHarness({ ADMIN_USER_IDS: ADMIN, INCIDENT_CHANNEL_PATTERN: '^inc-' }, { loopbackFeeds: true });
  for (const id of [...USERS, NOBODY])
    h.fake.addUser({ id, tz: id === 'U0FZJOIN2' ? 'Asia/Kolkata' : 'Europe/Berlin', real_name: id });
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
  await h?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What the app receives for `text`: the form encoding turns lone surrogates into U+FFFD, as Slack's would. */
const received = (text: string): string =>
  new URLSearchParams(new URLSearchParams({ t: text }).toString()).get('t') ?? '';
const replyText = (r: SendResult): unknown => (r.json as { text?: unknown } | undefined)?.text;
const chars = (s: string) => [...s].length;
/** What `giveBack` quotes: the text itself, with code fences defused. */
const quoted = (s: string) => escapeText(s.replace(/```/g, "'''"));
/** Slack sends typed text with &, < and > as entities; the app stores what was typed. */
const asSlackSends = (typed: string) => typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const joinedNow = async (user: string) => isJoined(await getMember(h.deps.db, TEAM, user));

/** What went wrong since log line `from` and unhandled event `u`: error-level lines (a handler's failure, after its ack too) and anything unhandled. */
function failuresSince(from: number, u: number): string[] {
  const errors = h.logs.slice(from).filter((l) => typeof l.level === 'number' && l.level >= 50);
  return [
    ...errors.map((l) => `${String(l.msg)}: ${(l.err as { message?: string } | undefined)?.message ?? ''}`),
    ...unhandled.slice(u).map((x) => `${x.kind}: ${String((x.error as Error)?.stack ?? x.error)}`),
  ];
}

/**
 * Sends a request and waits until the handler it reached has finished (a guarded handler logs
 * `<name> done`, after any work that follows its ack), then fails on anything it logged as an
 * error or left unhandled, so fast-check shrinks to the input that did it.
 */
async function sendClean(req: SlackRequest, waitForDoneMs = 3_000): Promise<SendResult> {
  const from = h.logs.length;
  const u = unhandled.length;
  const r = await sendChecked(req);
  for (const until = Date.now() + waitForDoneMs; Date.now() < until; await sleep(5)) {
    if (h.logs.slice(from).some((l) => typeof l.msg === 'string' && l.msg.endsWith(' done'))) break;
  }
  await sleep(5); // a second listener of the same event (a channel message) ends about now; the test's own check catches any later
  expect(failuresSince(from, u)).toEqual([]);
  return r;
}

// Every test, run alone or not, fails on a handler's error or an unhandled rejection during it,
// including work that ends after its last request (Home refreshes, DMs after an ack).
let logMark = 0;
let unhandledMark = 0;
beforeEach(() => {
  logMark = h.logs.length;
  unhandledMark = unhandled.length;
});
afterEach(async () => {
  await Promise.all(dangling.splice(0));
  await sleep(300);
  expect(failuresSince(logMark, unhandledMark)).toEqual([]);
});

const CRASH = 'unhandled error in a Slack handler';
const dangling: Promise<unknown>[] = [];
/**
 * Sends a request; when the handler throws before acknowledging (app.error logs it at once, but
 * Bolt only answers 404 after its 3 s timeout) it says so right away, so shrinking stays quick.
 */
async function sendChecked(req: SlackRequest): Promise<SendResult> {
  const before = h.logs.length;
  const pending = h.send(req);
  let done: SendResult | undefined;
  void pending.then(
    (r) => {
      done = r;
    },
    () => undefined,
  );
  for (let crashedAt = 0; ; await sleep(20)) {
    if (done) return done;
    if (!crashedAt && h.logs.slice(before).some((l) => l.msg === CRASH)) crashedAt = Date.now();
    if (crashedAt && Date.now() - crashedAt > 250) {
      dangling.push(pending.catch(() => undefined));
      const err = h.logs.slice(before).find((l) => l.msg === CRASH)?.err as { message?: string } | undefined;
      throw new Error(
        `the handler threw before acknowledging (Slack would get no answer, then a 404 after 3 s): ${err?.message ?? '?'}`,
      );
    }
  }
}

/** Empties the database and joins the joined users the way a person would. */
/**
 * Slack tells of a message only once it has it. A generated event that reads as a person's DM
 * message ('D…' channel, a person's id, a message ts) is written into the stand-in's DM first and
 * sent with the ts the stand-in gave it; otherwise the bot's answer in that message's thread meets
 * `thread_not_found`, as it would in Slack for a message that never existed (the fuzz test once
 * failed that way, blaming the DM handler for a message the test made up).
 */
function asSlackHasIt(e: Record<string, unknown>): Record<string, unknown> {
  const { type, channel, user, ts } = e;
  const dmMessage =
    type === 'message' &&
    typeof channel === 'string' &&
    /^D[A-Z0-9]+$/.test(channel) &&
    typeof user === 'string' &&
    /^[UW][A-Z0-9]+$/.test(user) &&
    typeof ts === 'string' &&
    /^\d+\.\d+$/.test(ts);
  if (!dmMessage) return e;
  const m = h.fake.workspace.post({ channel, from: 'user', user, text: String(e.text ?? ''), ephemeral: false });
  return { ...e, ts: m.ts };
}

async function freshState(): Promise<void> {
  await Promise.all(dangling.splice(0)); // requests whose handler threw get their late 404
  await sleep(300); // post-ack work from the previous property finishes before its rows go
  await h.database.truncate();
  h.fake.reset();
  for (const u of [...JOINED, ADMIN]) {
    const r = await h.send(slashCommand({ command: '/growth', text: 'join junior', user_id: u }));
    expect(replyText(r)).toContain('Welcome');
  }
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const oddities = fc.constantFrom(
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u200B',
  '\u202E',
  '\uFEFF',
  '\u00A0',
  '\u3000',
  '👩‍💻',
  '🏳️‍🌈',
  'مرحبا بالعالم',
  'שלום',
  'e\u0301',
  '```',
  '`',
  '*bold*',
  '<!channel>',
  '<!here|here>',
  '&amp;',
  '&',
  '<',
  '>',
  '%',
  '%00',
  '+',
  '=',
  '?',
  '#',
  '\\',
  '"',
  "'",
  '{}',
  '[]',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
);
const shortText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  oddities,
);
/** A name as Slack puts it in a mention: words with spaces between them, &, < and > escaped. */
const mentionName = fc
  .array(
    fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('Jonas', 'van der', 'Weber', 'O&apos;Neil')),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((words) => asSlackSends(words.join(' ').replace(/[\s]+/g, ' ')));
/** The forms a mention of `id` arrives in: `<@U123>`, `<@U123|jonas>`, `<@U123|Jonas Weber>`. */
const wellFormedMention = (id: string) =>
  fc.option(mentionName, { freq: 4 }).map((name) => (name === null ? `<@${id}>` : `<@${id}|${name}>`));
const mention = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('U', 'W', 'B', 'u', 'C'),
      fc.stringMatching(/^[A-Z0-9]{1,12}$/),
      fc.option(fc.string({ maxLength: 12 })),
    )
    .map(([p, id, label]) => (label === null ? `<@${p}${id}>` : `<@${p}${id}|${label}>`)),
  fc.constantFrom(...USERS, NOBODY, 'UBOT').map((id) => `<@${id}>`),
  fc.constantFrom('<@>', '<@U0FZJOIN1', '@alex', '<#C0123|general>', '<!here>', '<@U0FZJOIN1|a|b>', '<@U0FZJOIN1>>'),
  fc.constantFrom(...USERS).chain((id) => wellFormedMention(id)),
);
const token = fc.oneof(
  { weight: 3, arbitrary: shortText },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ...SUBCOMMANDS,
      ...ADMIN_WORDS,
      ...SAFE_FEEDS,
      'junior',
      'mid',
      'senior',
      'staff',
      'JUNIOR',
      'Mid',
      'wizard',
      'mon',
      'tuesday',
      'Fridays',
      'sun.',
      'funday',
      '09:30',
      '9:05',
      '25:00',
      '23:60',
      '0',
      '1',
      '2',
      '12',
      '13',
      '999',
      '2027-01-10',
      '2020-02-30',
      '2099-01-01',
      'oncall-feed',
      'https://status.example.com/incidents/42',
      '<https://status.example.com/incidents/42|INC-42>',
      'db failover',
    ),
  },
  { weight: 2, arbitrary: mention },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
const separator = fc.constantFrom(' ', '  ', '\t', '\n', ' \u00A0 ', '\u3000');
const casing = (s: string) => fc.constantFrom(s, s.toUpperCase(), s[0]!.toUpperCase() + s.slice(1));
const nearValidGrowth = fc
  .tuple(
    fc.constantFrom(...SUBCOMMANDS).chain(casing),
    fc.array(fc.tuple(separator, token), { maxLength: 4 }),
    separator,
  )
  .map(([sub, rest, end]) => `${sub}${rest.map(([s, t]) => `${s}${t}`).join('')}${end}`);
const huge = (prefixes: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...prefixes),
      fc.integer({ min: 1_000, max: 5_000 }),
      fc.constantFrom('a', 'é', '👍', ' ', '<@U0FZJOIN1>', '\u0000', 'ab '),
    )
    .map(([p, n, c]) => `${p}${c.repeat(Math.ceil(n / c.length))}`.slice(0, 5_000));

const growthText = fc.oneof(
  { weight: 2, arbitrary: shortText },
  { weight: 5, arbitrary: nearValidGrowth },
  {
    weight: 1,
    arbitrary: huge([
      '',
      'join ',
      'mentor ',
      'schedule mon ',
      'admin assign ',
      'incident ',
      'oncall ',
      'admin oncall-feed add ',
      'x',
    ]),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 200, maxLength: 5_000 }) },
  // Commands that take a link, with one: what follows the reply (reading a new feed) runs too.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('oncall', 'incident', 'admin oncall-feed add'), fc.constantFrom(...SAFE_FEEDS))
      .map(([command, link]) => `${command} ${link}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(' ', '\t', '\n', '\u00A0', '\u3000', '\uFEFF'), { maxLength: 10 })
      .map((a) => a.join('')),
  },
);

const blank = fc
  .array(fc.constantFrom(' ', '\t', '\n', '\r', '\u00A0', '\u3000', '\uFEFF', '\u2028'), { maxLength: 8 })
  .map((a) => a.join(''));
const checkinText = fc.oneof(
  { weight: 3, arbitrary: shortText },
  { weight: 2, arbitrary: blank },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...COMPETENCIES).chain(casing), fc.constantFrom(':', ' : ', ':   '), shortText)
      .map(([c, s, t]) => `${c}${s}${t}`),
  },
  // Around the 3,000-character limit, counted in characters a person sees, not UTF-16 units.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 2_990, max: 3_010 }), fc.constantFrom('a', '👍', 'é', '字'))
      .map(([n, c]) => c.repeat(n)),
  },
  { weight: 1, arbitrary: huge(['', 'observability: ', '  ']) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('the same words again', 'observability: the same words again', '  padded  '),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 100, maxLength: 4_000 }) },
);

const jsonish = fc.jsonValue({ maxDepth: 2 });
const anyText = fc.oneof(
  { weight: 4, arbitrary: shortText },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 2_995, max: 6_000 }), fc.constantFrom('x', '😀', ' '))
      .map(([n, c]) => c.repeat(n)),
  },
);
const OPTION_VALUES = [
  ...COMPETENCIES,
  '1',
  '2',
  '3',
  '4',
  '0',
  '5',
  '-1',
  '2.5',
  '1e1',
  IDS.options.needsHelp,
  IDS.options.private,
  '12',
  '13',
  '7',
  '8',
];
/** A value of the wrong type where Slack sends a string. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.constantFrom(1.5, -0.25, 1e21),
  fc.boolean(),
  fc.constant(null),
  fc.array(jsonish, { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), jsonish, { maxKeys: 2 }),
);
const valueish = fc.oneof(fc.constantFrom(...OPTION_VALUES), anyText, wrongType);
const option = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: wrongType },
  {
    weight: 4,
    arbitrary: fc.record(
      { value: valueish, text: fc.constant({ type: 'plain_text', text: 'x' }) },
      { requiredKeys: ['value'] },
    ),
  },
);
const element = fc.oneof(
  { weight: 2, arbitrary: jsonish },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constantFrom('plain_text_input', 'url_text_input'),
      value: fc.oneof(
        anyText,
        wrongType,
        fc.constantFrom('https://example.com/doc', 'http://x', 'javascript:alert(1)', 'https://a b'),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constantFrom('static_select', 'radio_buttons'), selected_option: option }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('checkboxes'),
      selected_options: fc.oneof(fc.array(option, { maxLength: 3 }), wrongType),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('datepicker'),
      selected_date: fc.oneof(
        shortText,
        wrongType,
        fc.constantFrom('2027-01-10', '2020-01-01', '2027-02-30', '2099-12-31'),
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('timepicker'),
      selected_time: fc.oneof(shortText, wrongType, fc.constantFrom('09:30', '00:00', '23:59', '24:00', '9:5', 'noon')),
    }),
  },
  { weight: 1, arbitrary: anyText.map(textValue) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...OPTION_VALUES), shortText).map(selectValue) },
  { weight: 1, arbitrary: fc.constantFrom(...OPTION_VALUES).map(radioValue) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...OPTION_VALUES), { maxLength: 3 }).map(checkboxesValue) },
  { weight: 1, arbitrary: fc.constantFrom('09:30', '25:00', 'noon').map(timeValue) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constantFrom('plain_text_input', 'static_select', 'checkboxes', 'bogus'),
        value: fc.oneof(anyText, wrongType),
        selected_option: option,
        selected_options: fc.oneof(fc.array(option, { maxLength: 3 }), wrongType),
        selected_time: fc.oneof(shortText, wrongType),
        selected_date: fc.oneof(shortText, wrongType),
      },
      { requiredKeys: [] },
    ),
  },
);
/** The element each real block holds, with its value mangled: the near-valid submissions. */
const ELEMENT_OF = {
  select: fc.record({ type: fc.constantFrom('static_select', 'radio_buttons'), selected_option: option }),
  checkboxes: fc.record({
    type: fc.constant('checkboxes'),
    selected_options: fc.oneof(fc.array(option, { maxLength: 3 }), wrongType),
  }),
  text: fc.record({
    type: fc.constantFrom('plain_text_input', 'url_text_input'),
    value: fc.oneof(
      anyText,
      wrongType,
      fc.constantFrom('https://example.com/doc', 'http://x', 'javascript:alert(1)', 'https://a b'),
    ),
  }),
  date: fc.record({
    type: fc.constant('datepicker'),
    selected_date: fc.oneof(
      shortText,
      wrongType,
      fc.constantFrom('2027-01-10', '2020-01-01', '2027-02-30', '2099-12-31'),
    ),
  }),
  time: fc.record({
    type: fc.constant('timepicker'),
    selected_time: fc.oneof(shortText, wrongType, fc.constantFrom('09:30', '00:00', '23:59', '24:00', '9:5', 'noon')),
  }),
};
type Kind = keyof typeof ELEMENT_OF;
const c = IDS.checkin;
const MODAL_BLOCKS: Record<string, [block: string, action: string, kind: Kind][]> = {
  [IDS.checkinModal]: [
    [c.competencyBlock, c.competencyAction, 'select'],
    [c.textBlock, c.textAction, 'text'],
    [c.ratingBlock, c.ratingAction, 'select'],
    [c.optionsBlock, c.optionsAction, 'checkboxes'],
    [c.evidenceBlock, c.evidenceAction, 'text'],
  ],
  [IDS.pauseModal]: [
    [IDS.pause.weeksBlock, IDS.pause.weeksAction, 'select'],
    [IDS.pause.untilBlock, IDS.pause.untilAction, 'date'],
  ],
  [IDS.scheduleModal]: [
    [IDS.schedule.weekdayBlock, IDS.schedule.weekdayAction, 'select'],
    [IDS.schedule.timeBlock, IDS.schedule.timeAction, 'time'],
  ],
  [IDS.replyModal]: [[IDS.mentoring.replyBlock, IDS.mentoring.replyAction, 'text']],
  [IDS.helpNoteModal]: [[IDS.mentoring.noteBlock, IDS.mentoring.noteAction, 'text']],
  [IDS.focusModal]: [[IDS.focus.block, IDS.focus.action, 'checkboxes']],
  [IDS.focusSuggestModal]: [[IDS.focus.block, IDS.focus.action, 'checkboxes']],
};
const ALL_ACTIONS = Object.values(MODAL_BLOCKS)
  .flat()
  .map(([, a]) => a);
/** state.values for one modal: Slack's block → action → element shape, with pieces missing, misnamed or of the wrong type. */
const stateValuesFor = (blocks: [string, string, Kind][]): fc.Arbitrary<unknown> => {
  const shapes = Object.fromEntries(
    blocks.map(([block, action, kind]) => [
      block,
      fc.oneof(
        { weight: 6, arbitrary: ELEMENT_OF[kind].map((e) => ({ [action]: e })) },
        { weight: 2, arbitrary: element.map((e) => ({ [action]: e })) },
        { weight: 1, arbitrary: jsonish },
        {
          weight: 1,
          arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...ALL_ACTIONS), fc.string({ maxLength: 6 })), element, {
            maxKeys: 2,
          }),
        },
      ),
    ]),
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.record(shapes, { requiredKeys: [] }) }, // the real blocks, each maybe missing or mangled
    { weight: 1, arbitrary: jsonish }, // not even an object
    {
      weight: 1,
      arbitrary: fc.dictionary(
        fc.string({ maxLength: 8 }),
        fc.oneof(jsonish, fc.dictionary(fc.string({ maxLength: 8 }), element, { maxKeys: 2 })),
        { maxKeys: 4 },
      ),
    },
  );
};
const idish = fc.oneof(fc.nat(6).map(String), fc.stringMatching(/^\d{19,30}$/), shortText, jsonish);
const privateMetadata = fc.oneof(
  fc.constant(''),
  fc.constant('{}'),
  shortText,
  fc.json({ maxDepth: 2 }),
  jsonish.map((v) => JSON.stringify(v) ?? ''),
  fc
    .record(
      {
        nudgeId: idish,
        checkinId: idish,
        replyId: idish,
        menteeId: fc.oneof(fc.constantFrom(...USERS), idish),
        channel: fc.oneof(shortText, jsonish),
        ts: fc.oneof(shortText, jsonish),
      },
      { requiredKeys: [] },
    )
    .map((m) => JSON.stringify(m)),
  // Up to 20,000 characters (Slack's own limit is 3,000); shrinks towards nothing.
  fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom('{', '[', 'x', '"')).map(([n, ch]) => ch.repeat(n)),
);

let viewSeq = 0;

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('fuzzing the HTTP app', () => {
  it('/growth: any text from anyone gets 200 and a reply a person can act on', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    await freshState();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...USERS), growthText, async (user, text) => {
        const wasJoined = await joinedNow(user);
        const r = await sendClean(slashCommand({ command: '/growth', text, user_id: user }));
        expect(r.status).toBe(200);
        expect(r.json).toMatchObject({ response_type: 'ephemeral' });
        const reply = replyText(r);
        expect(typeof reply).toBe('string');
        expect((reply as string).trim()).not.toBe('');
        const words = received(text).trim().split(/\s+/).filter(Boolean);
        const sub = (words[0] ?? '').toLowerCase();
        // Nothing, or something we do not know: the answer points at the commands.
        if (!SUBCOMMANDS.includes(sub)) expect(reply).toContain('/growth');
        // Someone who has not joined is told how to, rather than something they cannot use.
        if (
          !wasJoined &&
          ((sub === 'me' && words.length === 1) || sub === 'resume' || (sub === 'pause' && words.length <= 2))
        ) {
          expect(reply).toContain('/growth join');
        }
      }),
      {
        numRuns: 150,
        plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)],
        // Seed -652071966: a pause with one argument that reads as two (`<@U…>` then `>`) answered
        // someone not joined with how to pause, not how to join.
        examples: [['U0FZNEW1', 'pause <@U0FZJOIN1>> ']],
      },
    );
  });

  it('/growth commands that take a person read a mention in every form Slack sends, a name with spaces included', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    await freshState();
    const person = fc.constantFrom(...USERS).chain((id) => wellFormedMention(id).map((m) => ({ id, m })));
    const usage = /Mention whose summary|To name your mentor|Assign needs|Level needs|Remove needs|Admin commands:/;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...USERS),
        person,
        person,
        fc.constantFrom('summary', 'mentor', 'admin assign', 'admin level', 'admin remove'),
        separator,
        async (user, a, b, command, sep) => {
          const args =
            command === 'admin assign' ? `${a.m}${sep}${b.m}` : command === 'admin level' ? `${a.m}${sep}mid` : a.m;
          const r = await sendClean(slashCommand({ command: '/growth', text: `${command} ${args}`, user_id: user }));
          expect(r.status).toBe(200);
          const reply = replyText(r) as string;
          expect(reply, `${command} ${args}`).not.toMatch(usage);
        },
      ),
      { numRuns: 60, plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)] },
    );
  });

  it('/checkin: 200 always; what is not stored is given back, and every "Saved" is in the database', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    await freshState();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...JOINED, ...NOT_JOINED), checkinText, async (user, text) => {
        const joined = await joinedNow(user);
        const req = slashCommand({ command: '/checkin', text: asSlackSends(text), user_id: user });
        const r = await sendClean(req);
        expect(r.status).toBe(200);
        const trimmed = received(text).trim();

        if (trimmed === '') {
          if (joined) {
            // The form opens (the ack is empty) with this command's trigger.
            expect(r.text).toBe('');
            await h.fake.waitFor('views.open', 1, 3_000, (call) => call.args.trigger_id === req.payload.trigger_id);
          } else {
            expect(replyText(r)).toContain('/growth join');
          }
          return;
        }

        const reply = replyText(r);
        expect(typeof reply).toBe('string');
        const said = reply as string;
        if (/^Saved your check-in/.test(said) || /already saved that exact check-in/.test(said)) {
          expect(joined).toBe(true);
          // Stored as written (less any NUL, which Postgres cannot hold), or without the
          // competency prefix it was filed under.
          const stored = trimmed.replaceAll('\u0000', '').trim();
          const afterPrefix = stored.slice(stored.indexOf(':') + 1).trim();
          const rows = await h.deps.db
            .selectFrom('checkins')
            .select('text')
            .where('user_id', '=', user)
            .where('text', 'in', [stored, afterPrefix])
            .execute();
          expect(rows.length, `a row for ${JSON.stringify(trimmed.slice(0, 80))}`).toBeGreaterThan(0);
          return;
        }
        // Not stored: the reply says why, and hands back every character the person typed.
        expect(said).toContain(quoted(trimmed));
        const storable = trimmed.replaceAll('\u0000', '').trim();
        if (storable === '') {
          // Checked before anything else: nothing in it could be stored.
          expect(said).toContain('no words in it');
        } else if (chars(storable) > 3_000) {
          expect(said).toContain('limit is 3000');
          expect(said).toContain(`${chars(storable)} characters`);
        } else if (!joined) {
          expect(said).toContain('/growth join');
        } else {
          expect(said).toMatch(/could not save|not saved|Nothing was stored/i);
          // The database refusing a check-in that passed every check is a bug, except for the
          // NUL character (a separate test below) which Postgres text cannot hold.
          expect(trimmed.includes('\u0000'), 'a valid check-in from a member was not saved').toBe(true);
        }
      }),
      { numRuns: 150, plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)] },
    );
    // Every "Saved" reply above was checked at once; the rows also all belong to members.
    const orphans = await h.deps.db
      .selectFrom('checkins')
      .select('user_id')
      .where('user_id', 'not in', [...JOINED])
      .execute();
    expect(orphans).toEqual([]);
  });

  // One property per modal, so a crash in one does not hide another's.
  for (const [name, callbackId] of [
    ['check-in', IDS.checkinModal],
    ['pause', IDS.pauseModal],
    ['schedule', IDS.scheduleModal],
    ['reply', IDS.replyModal],
    ['did-it-help line', IDS.helpNoteModal],
    ['focus', IDS.focusModal],
    ['focus suggestion', IDS.focusSuggestModal],
  ] as const) {
    it(`${name} modal submissions with any state, metadata and types get 200 and either close or name a field`, {
      timeout: PROPERTY_TIMEOUT_MS,
    }, async () => {
      await freshState();
      // A mentorship and a few real check-ins, so metadata naming ids 1..6 or a member can hit rows that exist.
      await h.send(slashCommand({ command: '/growth', text: `mentor <@${JOINED[1]}>`, user_id: JOINED[0] }));
      for (const u of JOINED)
        await h.send(slashCommand({ command: '/checkin', text: `observability: a real check-in by ${u}`, user_id: u }));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...USERS),
          stateValuesFor(MODAL_BLOCKS[callbackId]!),
          privateMetadata,
          fc.option(jsonish, { freq: 8 }), // now and then the whole `state` is the wrong type
          async (user, values, meta, badState) => {
            const r = await sendClean(
              viewSubmission({
                user,
                callback_id: callbackId,
                private_metadata: meta,
                values: values as Record<string, Record<string, unknown>>,
                view_id: `V0FUZZ${++viewSeq}`,
                ...(badState === null ? {} : { view: { state: badState } }),
              }),
            );
            expect(r.status).toBe(200);
            if (r.text === '') return; // the modal closes
            expect(r.json).toMatchObject({ response_action: 'errors', errors: expect.any(Object) });
            const messages = Object.values((r.json as { errors: Record<string, unknown> }).errors);
            expect(messages.length).toBeGreaterThan(0);
            for (const m of messages) {
              expect(typeof m).toBe('string');
              expect((m as string).trim()).not.toBe('');
            }
          },
        ),
        { numRuns: 150, plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)] },
      );
    });
  }

  it('button clicks with the real action ids and any value get 200', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    // A week with prompts sent and check-ins made, so values 1..6 name real nudges and check-ins.
    h.setNow(new Date('2026-12-07T09:05:00Z')); // Monday 10:05 in Berlin
    try {
      await freshState();
      await runWeeklyPrompts(h.deps, new Date('2026-12-07T09:05:00Z'));
      await runWeeklyPrompts(h.deps, new Date('2026-12-07T04:35:00Z')); // Monday 10:05 in Kolkata
      // A mentorship, so Reply, Kudos and I'll help meet a mentor and a mentee.
      await h.send(slashCommand({ command: '/growth', text: `mentor <@${JOINED[1]}>`, user_id: JOINED[0] }));
      for (const u of JOINED)
        await h.send(slashCommand({ command: '/checkin', text: `a check-in to click on, by ${u}`, user_id: u }));
      const prompts = await h.deps.db
        .selectFrom('deliveries')
        .select(['channel', 'message_ts'])
        .where('status', '=', 'sent')
        .execute();
      expect(prompts.length).toBeGreaterThan(0);
      const ACTIONS = [
        IDS.nudge.answer,
        IDS.nudge.skip,
        IDS.nudge.pause,
        IDS.editCheckin,
        IDS.deleteCheckin,
        IDS.home.checkin,
        IDS.home.schedule,
        IDS.home.pause,
        IDS.home.focus,
        IDS.focus.agree,
        IDS.focus.suggest,
        IDS.focus.accept,
        IDS.focus.keep,
        IDS.focus.choose,
        IDS.oneOnOne.addCheckin,
        IDS.oneOnOne.takeaway,
        IDS.forgetMe.cancel,
        ...Object.values(IDS.mentoring).filter((id) => !/_input$|^reply_text$|^help_note$/.test(id)),
      ];
      const click = fc.oneof(
        { weight: 12, arbitrary: fc.tuple(fc.constantFrom(...USERS), fc.constantFrom(...ACTIONS)) },
        // "Delete everything" only for someone with nothing stored.
        { weight: 1, arbitrary: fc.constant([NOBODY, IDS.forgetMe.confirm] as [string, string]) },
      );
      const value = fc.option(
        fc.oneof(
          idish.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
          anyText,
          fc.constantFrom(...USERS), // the Suggest button's value names a member
        ),
        { freq: 6 },
      );
      const where = fc.constantFrom('dm', 'prompt', 'home');
      await fc.assert(
        fc.asyncProperty(click, value, where, fc.nat(prompts.length - 1), async ([user, actionId], v, at, i) => {
          const prompt = prompts[i]!;
          // Each click's handler finishes (and is judged) before the next one is sent.
          const r = await sendClean(
            blockAction({
              user,
              action_id: actionId,
              ...(v === null ? {} : { value: v }),
              ...(at === 'prompt'
                ? { message: { ts: prompt.message_ts, channel: prompt.channel, text: 'prompt' } }
                : {}),
              ...(at === 'home'
                ? { view: { id: 'V0HOME', type: 'home', callback_id: '', private_metadata: '', state: { values: {} } } }
                : {}),
            }),
          );
          expect(r.status).toBe(200);
        }),
        {
          numRuns: 150,
          plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)],
          // Found on Node 22 (seed 1499645986): a NUL in the Reply button's value reached Postgres.
          examples: [[['U0FZJOIN1', IDS.mentoring.reply], '\u0000', 'dm', 0]],
        },
      );
      // Nobody's data went: the members who joined are all still there.
      await sleep(300);
      for (const u of [...JOINED, ADMIN]) expect(await joinedNow(u)).toBe(true);
    } finally {
      h.setNow(undefined);
    }
  });

  it('fuzzes every subcommand the help teaches, the on-call and incident ones included', () => {
    expect(SUBCOMMANDS).toEqual(
      expect.arrayContaining(['join', 'pause', 'summary', 'incident', 'oncall', 'export', 'forget-me', 'admin']),
    );
    expect(ADMIN_WORDS).toEqual(
      expect.arrayContaining(['assign', 'level', 'remove', 'run', 'oncall-feed', 'weekly-prompts', 'oncall-feeds']),
    );
  });

  it('DM messages, their edits and deletions, from anyone, with any text: 200 and nothing fails', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    h.setNow(new Date('2026-12-07T09:05:00Z'));
    try {
      await freshState();
      await runWeeklyPrompts(h.deps, new Date('2026-12-07T09:05:00Z'));
      const written: { user: string; ts: string; text: string }[] = [];
      const promptTs = new Map(
        (
          await h.deps.db
            .selectFrom('deliveries')
            .select(['user_id', 'message_ts'])
            .where('kind', '=', 'prompt')
            .execute()
        )
          .filter((d) => d.message_ts)
          .map((d) => [d.user_id, d.message_ts!]),
      );
      expect(promptTs.size).toBeGreaterThan(0);
      const anyone = fc.constantFrom(...USERS, NOBODY);
      const dmEvent = fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('posted' as const),
            user: anyone,
            text: checkinText,
            // A reply in the thread of an earlier message, or of the person's prompt (which it answers).
            thread: fc.constantFrom('none', 'none', 'earlier', 'prompt'),
            // A file shared with the message (its comment is the text), its permalink well-formed or not.
            file: fc.option(fc.oneof(fc.constant('https://test.slack.com/files/F0/x.png'), shortText), {
              nil: undefined,
            }),
            bot: fc.boolean(),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('changed' as const),
            user: anyone,
            text: checkinText,
            which: fc.nat(20),
          }),
        },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleted' as const), user: anyone, which: fc.nat(20) }) },
      );
      await fc.assert(
        fc.asyncProperty(dmEvent, async (e) => {
          let req: SlackRequest;
          if (e.kind === 'posted') {
            // Written into the stand-in's DM first, as Slack has the message before it tells the app.
            const text = asSlackSends(e.text);
            const m = h.fake.workspace.post({
              channel: `D${e.user.slice(1)}`,
              from: 'user',
              user: e.user,
              text,
              ephemeral: false,
            });
            written.push({ user: e.user, ts: m.ts, text });
            const threadTs =
              e.thread === 'prompt'
                ? promptTs.get(e.user)
                : e.thread === 'earlier' && written.length > 1
                  ? written[0]!.ts
                  : undefined;
            const file =
              e.file === undefined ? {} : { subtype: 'file_share', files: [{ id: 'F0', permalink: e.file }] };
            req = dmMessage({
              user: e.user,
              text,
              ts: m.ts,
              ...(threadTs ? { thread_ts: threadTs } : {}),
              ...file,
              ...(e.bot ? { bot_id: 'B0OTHER' } : {}),
            });
          } else {
            const target = written.length
              ? written[e.which % written.length]!
              : { user: e.user, ts: '1.000001', text: 'never written' };
            req =
              e.kind === 'changed'
                ? dmEdited({
                    user: e.user,
                    ts: target.ts,
                    text: asSlackSends(e.text),
                    before: target.text,
                    channel: `D${target.user.slice(1)}`,
                  })
                : dmDeleted({ user: e.user, ts: target.ts, before: target.text, channel: `D${target.user.slice(1)}` });
          }
          expect((await sendClean(req)).status).toBe(200);
        }),
        { numRuns: 80, plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)] },
      );
    } finally {
      h.setNow(undefined);
    }
  });

  it('incident-channel events, well-formed or not: 200 and nothing fails', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    await freshState();
    h.fake.addChannel({ id: 'C0INCDB', name: 'inc-2026-12-db' });
    h.fake.addChannel({ id: 'C0INCOLD', name: 'inc-2026-11-old', is_archived: true });
    h.fake.addChannel({ id: 'C0GENERAL', name: 'general' });
    const known = fc.constantFrom('C0INCDB', 'C0INCOLD', 'C0GENERAL');
    const anyChannel = fc.oneof(known, fc.constantFrom('C0NOSUCH', 'D0FZJOIN1', ''), shortText);
    const who = fc.oneof(fc.constantFrom(...USERS, NOBODY, 'UBOT'), shortText);
    const event = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          type: fc.constant('member_joined_channel'),
          user: fc.constantFrom(...USERS, NOBODY, 'UBOT'),
          channel: known,
          channel_type: fc.constant('C'),
          team: fc.constant(TEAM),
          event_ts: fc.constant('1.1'),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record(
          {
            type: fc.constant('message'),
            user: who,
            channel: anyChannel,
            channel_type: fc.constantFrom('channel', 'im', 'group'),
            text: shortText,
            ts: fc.constantFrom('2.1', '3.1'),
            subtype: fc.constantFrom('thread_broadcast', 'channel_join', 'bot_message', 'message_changed'),
            bot_id: fc.constant('B0OTHER'),
          },
          { requiredKeys: ['type', 'user', 'channel', 'channel_type', 'ts'] },
        ),
      },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('channel_archive'), channel: anyChannel, user: who }) },
      // Mangled: the right type, fields missing or any text. (Not other JSON types: Bolt itself
      // fails on a channel that is a number or null, before any listener, with a 500.)
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            fc.constantFrom('member_joined_channel', 'channel_archive', 'message'),
            fc.dictionary(fc.constantFrom('user', 'channel', 'team', 'subtype', 'channel_type', 'ts'), shortText, {
              maxKeys: 4,
            }),
          )
          .map(([type, rest]) => ({ ...rest, type })),
      },
    );
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        // Bolt drops the bot's own events before any listener (nothing logs "done"): wait less.
        expect((await sendClean(eventCallback(asSlackHasIt(e)), 500)).status).toBe(200);
      }),
      {
        numRuns: 80,
        plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)],
        // Once drawn at random: a person's message in their DM, which the bot answers in its thread.
        examples: [
          [
            {
              type: 'message',
              user: JOINED[0],
              channel: 'D0FZJOIN1',
              channel_type: 'im',
              text: 'read the runbook',
              ts: '2.1',
            },
          ],
        ],
      },
    );
  });

  it('a check-in containing a NUL character is not blamed on the database', async () => {
    await freshState();
    const r = await h.send(
      slashCommand({ command: '/checkin', text: 'tuned the alert\u0000threshold', user_id: JOINED[0] }),
    );
    expect(r.status).toBe(200);
    const said = replyText(r) as string;
    expect(said).toContain('tuned the alert');
    // Either stored (the NUL dropped or replaced) or refused for what it is; "the database did
    // not answer, try again in a minute" sends the person round in circles and pages an operator.
    expect(said).not.toMatch(/database did not answer/);
  });

  // Found through the fuzzed clicks: "Delete everything" from a surface without a response_url
  // made `respond` throw after the data was gone, and the person was told nothing was deleted.
  // The same happens whenever any Slack call after the deletion fails, as here.
  it('forget-me: a Slack error after the deletion does not tell the person that nothing was deleted', async () => {
    await freshState();
    const user = 'U0FZFORGET';
    h.fake.addUser({ id: user, tz: 'UTC' });
    await h.send(slashCommand({ command: '/growth', text: 'join junior', user_id: user }));
    await h.send(slashCommand({ command: '/checkin', text: 'something to lose', user_id: user }));
    h.fake.failNext('chat.postMessage', { error: 'fatal_error' });
    expect((await h.send(blockAction({ user, action_id: IDS.forgetMe.confirm, value: 'forget' }))).status).toBe(200);
    await h.fake.waitFor('chat.postMessage', 1, 3_000, (call) => call.args.channel === user).catch(() => []);
    await sleep(200);
    expect(await getMember(h.deps.db, TEAM, user)).toBeUndefined(); // it was deleted…
    const told = h.fake
      .callsTo('chat.postMessage')
      .filter((call) => call.args.channel === user)
      .map((call) => String(call.args.text));
    expect(told.join('\n')).not.toMatch(/nothing was deleted/); // …so saying otherwise is wrong
  });
});

describe('fuzzing what arrives from outside: odd JSON bodies and iCalendar feeds', () => {
  const notAnObject = fc.oneof(
    fc.constantFrom(...ODD_JSON),
    fc
      .oneof(fc.constant(null), fc.double({ noNaN: true }), fc.string(), fc.boolean(), fc.array(fc.jsonValue()))
      .map((v) => JSON.stringify(v)),
  );

  it('a signed body that is JSON but not an object: 400, whether as the body or as an interaction payload, and nothing fails', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(notAnObject, fc.boolean(), async (json, asForm) => {
        const req = asForm
          ? {
              body: new URLSearchParams({ payload: json }).toString(),
              contentType: 'application/x-www-form-urlencoded',
            }
          : { body: json, contentType: 'application/json' };
        const from = h.logs.length;
        const u = unhandled.length;
        expect((await h.send({ ...req, payload: {} })).status).toBe(400);
        await sleep(5);
        expect(failuresSince(from, u)).toEqual([]);
      }),
      { numRuns: 60, plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)] },
    );
  });

  // Each run starts a worker thread (about a second here): few runs, each a whole feed.
  const feedLine = fc.oneof(
    fc.constantFrom(...MALFORMED_RULES),
    fc
      .tuple(
        fc.constantFrom('SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'NEVER'),
        fc.constantFrom('', ';BYMONTH=2;BYMONTHDAY=30', ';BYDAY=XX', ';INTERVAL=0', ';COUNT=-1', ';BYSETPOS=-366'),
      )
      .map(([freq, rest]) => `RRULE:FREQ=${freq}${rest}`),
    fc.string({ maxLength: 40 }).map((s) => `EXDATE:${s.replace(/[\r\n]/g, '')}`),
  );
  const feed = fc.oneof(fc.constantFrom(...Object.values(ICAL_ATTACKS)), feedLine.map(withRule));

  it('any feed from the corpus or with an odd recurrence line: shifts or a feed error, within the budget, never a crash', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, async () => {
    const window = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-01-15T00:00:00Z') };
    await fc.assert(
      fc.asyncProperty(feed, async (text) => {
        const r = await parseFeedBudgeted(text, window, ['UTC']).catch((e: unknown) => e);
        if (!Array.isArray(r)) expect(r).toBeInstanceOf(FeedFormatError);
      }),
      { numRuns: 12, plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)] },
    );
  });
});
