// What a person types is shown as they typed it on every surface: stored once as typed (Slack's
// &amp; &lt; &gt; read back on the way in), escaped once where it is shown. "Shown" is computed
// with the sandbox's mrkdwn renderer and a Markdown parser (test/support/shown.ts).
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { camel } from '../../src/db/camel.ts';
import { digestsFor, runDigests } from '../../src/jobs/digests.ts';
import { runIncidents } from '../../src/jobs/incidents.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { followUpMessage, reflectionMessage } from '../../src/outbound/views/incident.ts';
import { slackText } from '../../src/sandbox/page/compose.js';
import { buildExport } from '../../src/slack/export.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { shownMarkdown, shownMessage, shownMrkdwn, shownTexts } from '../support/shown.ts';
import {
  appHomeOpened,
  blockAction,
  checkboxesValue,
  dmMessage,
  radioValue,
  selectValue,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';
import { folded, typedText } from '../support/typed-text.ts';

let h: Harness;
useHarness((x) => (h = x), { ADMIN_USER_IDS: 'U0ADMIN' });
beforeEach(() => {
  h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana Souza' });
  h.fake.addUser({ id: 'U0JONAS', tz: 'Europe/Berlin', real_name: 'Jonas Weber' });
});

const at = (iso: string) => h.setNow(new Date(iso));
/** `/growth <text>` as Slack sends it: what the person typed, with &, < and > escaped; mentions as Slack makes them. */
const growth = async (user: string, typed: string, mentions = '') =>
  (
    (await h.send(slashCommand({ command: '/growth', text: `${slackText(typed)}${mentions}`, user_id: user })))
      .json as {
      text: string;
    }
  ).text;

describe('typed text is shown as typed, escaped once', () => {
  const title = 'DB failover & <b>x</b> &amp; <@U0ADMIN>';

  it('/growth incident: the reply, the stored title, the reflection DM, the form and the digest', async () => {
    at('2026-12-01T09:00:00Z'); // Tuesday
    await growth('U0ANA', 'join mid');
    await growth('U0JONAS', 'join senior');
    await growth('U0ANA', 'mentor ', '<@U0JONAS|Jonas Weber>');
    const reply = await growth('U0ANA', `incident ${title}`);
    expect(shownMrkdwn(reply)).toContain(`you were in *${title}*`);
    const [row] = await h.deps.db.selectFrom('incident_participations').selectAll().execute();
    expect(row!.title).toBe(title);
    // The same title typed again is the same incident.
    expect(await growth('U0ANA', `incident ${title.toUpperCase()}`)).toContain('already');

    await runIncidents(h.deps, new Date('2026-12-03T09:00:00Z')); // Thursday 10:00 in Berlin
    const dm = h.fake.callsTo('chat.postMessage').find((c) => JSON.stringify(c.args).includes(IDS.incident.reflect));
    expect(shownMessage(dm!.args)).toContain(`You were in *${title}*`);

    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.incident.reflect, value: row!.id }));
    const [open] = await h.fake.waitFor('views.open');
    const view = open!.args.view as { private_metadata: string };
    expect(shownTexts(view)).toContain(`Incident: ${title}\n\n`);

    // The form's field arrives as typed (Slack does not escape plain_text_input values).
    const said = `Incident: ${title}\n\nI believed <replica lag> & was wrong`;
    const c = IDS.checkin;
    await h.send(
      viewSubmission({
        user: 'U0ANA',
        callback_id: IDS.checkinModal,
        private_metadata: view.private_metadata,
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue('production-debugging') },
          [c.textBlock]: { [c.textAction]: textValue(said) },
          [c.ratingBlock]: { [c.ratingAction]: radioValue(null) },
          [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([]) },
          [c.evidenceBlock]: { [c.evidenceAction]: { type: 'url_text_input', value: null } },
        },
      }),
    );
    const saved = await h.deps.db.selectFrom('checkins').select('text').executeTakeFirstOrThrow();
    expect(saved.text).toBe(said);

    h.fake.reset();
    await runDigests(h.deps, new Date('2026-12-04T14:00:00Z')); // Friday 15:00 in Berlin
    const digest = h.fake.callsTo('chat.postMessage').find((x) => x.args.channel === 'U0JONAS' && x.args.metadata);
    const shown = shownMessage(digest!.args);
    expect(shown).toContain(`*${title}*`);
    expect(shown).toContain('I believed <replica lag> & was wrong');
  });
});

describe('property: whatever is typed, every surface shows it as typed', () => {
  it('DM and /checkin stored as typed; reply, summary (own and mentor), Home, edit form, digest, export, journal; incident reply, reflection DM, follow-up DM and form', {
    timeout: 120_000,
  }, async () => {
    at('2026-12-08T10:00:00Z'); // Tuesday
    await growth('U0ANA', 'join mid');
    await growth('U0JONAS', 'join senior');
    await growth('U0ANA', 'mentor ', '<@U0JONAS|Jonas Weber>');
    let views = 0;
    const nameOf = (id: string | null) => (id ? (h.deps.rubrics.byId.get(id)?.name ?? id) : 'no competency');
    await fc.assert(
      fc.asyncProperty(typedText, async (typed) => {
        await h.deps.db.deleteFrom('checkins').execute();
        await h.deps.db.deleteFrom('incident_participations').execute();
        h.fake.reset();
        const one = folded(typed);
        // A DM message (Slack escapes it as it escapes command text) is stored as typed too.
        const m = h.fake.workspace.post({
          channel: 'D0ANA',
          from: 'user',
          user: 'U0ANA',
          text: slackText(typed),
          ephemeral: false,
        });
        await h.send(dmMessage({ user: 'U0ANA', text: slackText(typed), ts: m.ts }));
        await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === m.ts);
        expect((await h.deps.db.selectFrom('checkins').select('text').executeTakeFirstOrThrow()).text).toBe(typed);
        await h.deps.db.deleteFrom('checkins').execute();

        const checkin = await h.send(slashCommand({ command: '/checkin', text: slackText(typed), user_id: 'U0ANA' }));
        const reply = (checkin.json as { text: string }).text;
        expect(reply).toMatch(/^Saved your check-in/);
        expect(folded(shownMrkdwn(reply))).toContain(one);
        const row = await h.deps.db.selectFrom('checkins').select(['id', 'text']).executeTakeFirstOrThrow();
        expect(row.text).toBe(typed);

        expect(folded(shownMrkdwn(await growth('U0ANA', 'summary')))).toContain(one);
        expect(folded(shownMrkdwn(await growth('U0JONAS', 'summary ', '<@U0ANA|Ana Souza>')))).toContain(one);

        await h.send(appHomeOpened({ user: 'U0ANA' }));
        // Home as published after this check-in (a refresh from the run before may still arrive).
        const [home] = await h.fake.waitFor(
          'views.publish',
          1,
          5_000,
          (c) => c.args.user_id === 'U0ANA' && JSON.stringify(c.args.view).includes(`"value":"${row.id}"`),
        );
        expect(folded(shownTexts(home!.args.view).join('\n'))).toContain(one);

        await h.send(blockAction({ user: 'U0ANA', action_id: IDS.editCheckin, value: row.id }));
        const [edit] = await h.fake.waitFor('views.open');
        expect(shownTexts(edit!.args.view)).toContain(typed);

        const digest = (await digestsFor(h.deps, [{ teamId: 'T0TEST', mentorId: 'U0JONAS' }], h.deps.now(), nameOf))
          .values()
          .next().value;
        expect(folded(shownMessage(digest!))).toContain(one);

        const files = await buildExport(h.deps, 'T0TEST', 'U0ANA');
        expect((JSON.parse(files.json) as { checkins: { text: string }[] }).checkins[0]!.text).toBe(typed);
        expect(folded(shownMarkdown(files.markdown))).toContain(one);

        // The form's text arrives as typed (Slack does not escape plain_text_input): kept as it is,
        // and quoted under "Asked for help" in the digest.
        await h.deps.db.deleteFrom('checkins').execute();
        const c = IDS.checkin;
        const submitted = await h.send(
          viewSubmission({
            user: 'U0ANA',
            callback_id: IDS.checkinModal,
            private_metadata: '{}',
            view_id: `V0TYPED${++views}`,
            values: {
              [c.competencyBlock]: { [c.competencyAction]: selectValue('production-debugging') },
              [c.textBlock]: { [c.textAction]: textValue(typed) },
              [c.ratingBlock]: { [c.ratingAction]: radioValue(null) },
              [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([IDS.options.needsHelp]) },
            },
          }),
        );
        expect(submitted.status).toBe(200);
        expect((await h.deps.db.selectFrom('checkins').select('text').executeTakeFirstOrThrow()).text).toBe(typed);
        const asked = (await digestsFor(h.deps, [{ teamId: 'T0TEST', mentorId: 'U0JONAS' }], h.deps.now(), nameOf))
          .values()
          .next().value;
        expect(folded(shownMessage(asked!))).toMatch(/Asked for help/);
        expect(folded(shownMessage(asked!))).toContain(one);

        // An incident named by the same words (one line, up to the title's 200 characters).
        h.fake.reset();
        const said = await growth('U0ANA', `incident ${typed}`);
        expect(folded(shownMrkdwn(said))).toContain(one);
        const p = camel(await h.deps.db.selectFrom('incident_participations').selectAll().executeTakeFirstOrThrow());
        const title = typed.replace(/\s+/g, ' ');
        expect(p.title).toBe(title);
        expect(folded(shownMessage(reflectionMessage(p)))).toContain(one);
        expect(folded(shownMessage(followUpMessage({ ...p, actionItem: typed })))).toContain(one);
        await h.send(blockAction({ user: 'U0ANA', action_id: IDS.incident.reflect, value: p.id }));
        const [form] = await h.fake.waitFor('views.open');
        expect(shownTexts(form!.args.view)).toContain(`Incident: ${title}\n\n`);
      }),
      { numRuns: 40 },
    );
  });
});
