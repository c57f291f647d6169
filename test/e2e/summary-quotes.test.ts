import { beforeEach, describe, expect, it } from 'vitest';
import { recordCheckin } from '../../src/db/checkins.ts';
import { trapSentence } from '../../src/rubrics/extras.ts';
import { LEVELS } from '../../src/rubrics/schema.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { appHomeOpened, slashCommand } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x));
beforeEach(() => h.setNow(new Date('2026-12-09T12:00:00Z')));

const say = async (user: string, text: string) =>
  ((await h.send(slashCommand({ command: '/growth', text, user_id: user }))).json as { text: string }).text;

async function checkin(userId: string, text: string, isPrivate: boolean, day: number) {
  const at = new Date(Date.UTC(2026, 11, day, 9));
  await recordCheckin(h.deps.db, {
    team_id: 'T0TEST',
    user_id: userId,
    competency_id: 'incident-response',
    competency_name: 'Incident response fundamentals',
    text,
    rating: 2,
    evidence_url: null,
    private: isPrivate,
    source: 'command',
    nudge_id: null,
    idempotency_key: `k-${text}`,
    created_at: at,
    updated_at: at,
  });
}

describe('/growth summary shows what was written', () => {
  it('a mentor\u2019s summary quotes shared check-ins, escaped, and never private ones; the member\u2019s own quotes both', async () => {
    await say('U0ALICE', 'join junior');
    await say('U0MO', 'join senior');
    await say('U0ALICE', 'mentor <@U0MO>');
    await checkin('U0ALICE', 'Shared: paged <@U0BOSS> & fixed the <b>disk</b> alert', false, 1);
    await checkin('U0ALICE', 'Private: I was scared during the outage', true, 2);
    await checkin('U0ALICE', 'Shared: wrote the runbook for the queue', false, 3);
    await checkin('U0ALICE', 'Shared: the oldest one, beyond the latest three', false, 0);

    const mentor = await say('U0MO', 'summary <@U0ALICE>');
    expect(mentor).toContain('*Latest check-ins*');
    expect(mentor).toContain('>Shared: wrote the runbook for the queue');
    expect(mentor).toContain('&lt;@U0BOSS&gt; &amp; fixed the &lt;b&gt;disk&lt;/b&gt; alert');
    expect(mentor).toContain('2026-12-03 · Incident response fundamentals');
    expect(mentor).not.toContain('Private: I was scared');
    // A mentor also sees what to ask, and what a good answer looks like at the mentee's level.
    expect(mentor).toContain('_Ask:_');
    expect(mentor).toContain('_A good answer:_');

    const own = await say('U0ALICE', 'summary');
    expect(own).toContain('Private: I was scared during the outage');
    expect(own).toContain('just for you');
    expect(own).toContain('Shared: wrote the runbook');
    expect(own).not.toContain('beyond the latest three');
    expect(own).not.toContain('_Ask:_');
  });

  it('each level\u2019s trap appears, in one sentence, on Home and in the summary', async () => {
    for (const [i, level] of LEVELS.entries()) {
      const user = `U0LEVEL${i}`;
      await say(user, `join ${level}`);
      const trap = trapSentence(h.deps.rubrics, level);
      expect(trap.length).toBeGreaterThan(20);
      expect(await say(user, 'summary')).toContain(
        `_Watch for:_ ${trap.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`,
      );
      await h.send(appHomeOpened({ user }));
      const [publish] = await h.fake.waitFor('views.publish', 1, 5_000, (c) => c.args.user_id === user);
      expect(JSON.stringify(publish!.args.view)).toContain(JSON.stringify(`_Watch for:_ ${trap}`).slice(1, -1));
    }
  });
});
