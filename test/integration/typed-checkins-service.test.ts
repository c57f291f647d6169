import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getMember } from '../../src/db/members.ts';
import type { Member } from '../../src/db/schema.ts';
import type { Deps } from '../../src/deps.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Level } from '../../src/rubrics/schema.ts';
import {
  editTypedCheckin,
  quickWrites,
  saveTypedCheckin,
  type TypedCheckin,
} from '../../src/services/typed-checkins.ts';
import { insertPrompt, promptOutcome } from '../support/checkins.ts';
import { useTestDatabase } from '../support/db.ts';
import { join, TEAM } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

// Tuesday 8 December 2026, 11:00 in Berlin: week 2026-W50.
const now = new Date('2026-12-08T10:00:00Z');

describe('typed check-in service', () => {
  const d = useTestDatabase((db) => join(db, 'UANA', 'junior', 'Europe/Berlin'));
  let deps: Deps;
  beforeAll(async () => {
    deps = { db: undefined, now: () => now, rubrics: rubricFixture, metrics: createMetrics() } as unknown as Deps;
  });
  beforeEach(async () => {
    deps = { ...deps, db: d.db };
  });

  const prompt = (week: string, createdAt: Date, competencyId = 'junior-c2') =>
    insertPrompt(d.db, { userId: 'UANA', week, createdAt, competencyId });
  const outcome = (id: string) => promptOutcome(d.db, id);

  async function save(text: string, o: Partial<TypedCheckin> = {}) {
    const writes = quickWrites(d.db);
    const week = await writes.lookup({ teamId: TEAM, userId: 'UANA', at: now });
    const member = (await getMember(d.db, TEAM, 'UANA')) as Member & { level: Level };
    return saveTypedCheckin(
      deps,
      writes,
      { member, nudge: week.nudge },
      { teamId: TEAM, userId: 'UANA', text, source: 'command', idempotencyKey: `k-${text}`, ...o },
      now,
    );
  }

  it("answers this week's open prompt, under the prompt's competency, and settles it", async () => {
    const p = await prompt('2026-W50', new Date('2026-12-07T09:05:00Z'));
    const r = await save('read the on-call handbook');
    expect(r).toMatchObject({ created: true, competency: { id: 'junior-c2' }, answers: { id: p.id } });
    expect(await outcome(p.id)).toBe('answered');
  });

  it('a leading competency id files it there, and it still answers the week’s prompt', async () => {
    const p = await prompt('2026-W50', new Date('2026-12-07T09:05:00Z'));
    const r = await save('junior-c1: traced a request end to end');
    if (!r.created) throw new Error('not saved');
    expect(r.competency?.id).toBe('junior-c1');
    expect(r.checkin.text).toBe('traced a request end to end');
    expect(await outcome(p.id)).toBe('answered');
  });

  it('an unknown prefix stays part of the text, and with no prompt the check-in has no competency', async () => {
    const r = await save('lunch: talked about SLOs');
    if (!r.created) throw new Error('not saved');
    expect(r).toMatchObject({ competency: undefined, answers: undefined });
    expect(r.checkin.text).toBe('lunch: talked about SLOs');
  });

  it('last week’s prompt is not answered by a check-in typed this week, unless it replies to that prompt', async () => {
    const last = await prompt('2026-W49', new Date('2026-12-03T09:05:00Z'), 'junior-c3');
    expect(await save('a week later')).toMatchObject({ created: true, answers: undefined });
    expect(await outcome(last.id)).toBe('open');
    const nudge = await d.db.selectFrom('nudges').selectAll().where('id', '=', last.id).executeTakeFirstOrThrow();
    const replyTo = {
      id: nudge.id,
      teamId: TEAM,
      userId: 'UANA',
      week: nudge.week,
      level: nudge.level,
      competencyId: nudge.competency_id,
      promptId: nudge.prompt_id,
      promptText: nudge.prompt_text,
      outcome: nudge.outcome,
      createdAt: nudge.created_at,
      updatedAt: nudge.updated_at,
    };
    const r = await save('in its thread', { replyTo });
    expect(r).toMatchObject({ created: true, competency: { id: 'junior-c3' }, answers: { id: last.id } });
    expect(await outcome(last.id)).toBe('answered');
  });

  it('the same words with the same key are stored once', async () => {
    expect((await save('resent')).created).toBe(true);
    expect((await save('resent')).created).toBe(false);
    expect(await d.db.selectFrom('checkins').select('id').execute()).toHaveLength(1);
  });

  it('an edit of a DM message changes its check-in; a message too long when posted becomes one when it fits', async () => {
    const message = { channel: 'D0ANA', ts: '1765188000.000100' };
    await save('first words', { source: 'dm', message });
    const ref = { teamId: TEAM, userId: 'UANA', channel: message.channel, ts: message.ts };
    const ok = (text: string) => ({ ok: true as const, text });
    expect(await editTypedCheckin(deps, d.db, ref, { text: ok('x'), wasTooLong: false, unchanged: true })).toEqual({
      kind: 'none',
    });
    expect(
      await editTypedCheckin(deps, d.db, ref, { text: ok('second words'), wasTooLong: false, unchanged: false }),
    ).toMatchObject({ kind: 'changed', checkin: { text: 'second words' } });
    expect(
      await editTypedCheckin(deps, d.db, ref, {
        text: { ok: false, tooLong: 5000 },
        wasTooLong: false,
        unchanged: false,
      }),
    ).toEqual({ kind: 'too-long', length: 5000, stored: true });

    const other = { ...ref, ts: '1765188000.000200' };
    expect(
      await editTypedCheckin(deps, d.db, other, { text: ok('short now'), wasTooLong: true, unchanged: false }),
    ).toEqual({ kind: 'first-fit', text: 'short now' });
    expect(
      await editTypedCheckin(deps, d.db, other, { text: ok('short now'), wasTooLong: false, unchanged: false }),
    ).toEqual({ kind: 'none' });
  });
});
