import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as migration from '../../migrations/202612070031_incident_titles_as_typed.ts';
import { recordCheckin } from '../../src/db/checkins.ts';
import { type DbHandle } from '../../src/db/create-db.ts';
import { recordParticipation } from '../../src/db/incidents.ts';
import { joinMember } from '../../src/db/members.ts';
import { BACKENDS } from '../support/db.ts';

const T = 'T0TEST';
const now = new Date('2026-12-03T10:00:00Z');

// Rows as the code before this migration stored them: titles and links as Slack sends command text.
describe.each(BACKENDS)('incident titles stored escaped are read back as typed (%s)', (_name, open) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await open();
  }, 60_000);
  afterAll(async () => h?.close());

  it('decodes titles, their keys, links and the reflection text the form filled in; leaves the rest', async () => {
    const { db } = h;
    await joinMember(db, { teamId: T, userId: 'U0ANA', level: 'mid', displayName: 'Ana', tz: 'UTC' }, now);
    const old = 'DB failover &amp; &lt;b&gt;x&lt;/b&gt; &amp;amp;';
    const add = (key: string, p: { title?: string; link?: string }) =>
      recordParticipation(db, { teamId: T, userId: 'U0ANA', key, source: 'command', at: now, ...p });
    const titled = await add(`title:${old.toLowerCase()}`, { title: old });
    const linked = await add('link:https://x.example/i?a=1&amp;b=2', { link: 'https://x.example/i?a=1&amp;b=2' });
    const plain = await add('title:queue backlog', { title: 'Queue backlog' });
    // Someone who typed the same title again after the fix: that row is kept, the old one left alone.
    await add('title:ab & c', { title: 'AB & c' });
    const clash = await add('title:ab &amp; c', { title: 'AB &amp; c' });
    const checkin = (text: string, key: string) =>
      recordCheckin(db, {
        team_id: T,
        user_id: 'U0ANA',
        text,
        source: 'modal',
        idempotency_key: key,
        competency_id: null,
        competency_name: null,
        rating: null,
        evidence_url: null,
        nudge_id: null,
        created_at: now,
        updated_at: now,
      });
    const reflection = await checkin(`Incident: ${old}\n\nI believed &amp; it`, 'k1');
    const other = await checkin('Wrote &amp; on purpose', 'k2');

    await migration.up(db as unknown as Kysely<unknown>);

    const rows = new Map((await db.selectFrom('incident_participations').selectAll().execute()).map((r) => [r.id, r]));
    expect(rows.get(titled!.row.id)).toMatchObject({
      title: 'DB failover & <b>x</b> &amp;',
      incident_key: 'title:db failover & <b>x</b> &amp;',
    });
    expect(rows.get(linked!.row.id)).toMatchObject({
      link: 'https://x.example/i?a=1&b=2',
      incident_key: 'link:https://x.example/i?a=1&b=2',
    });
    expect(rows.get(plain!.row.id)).toMatchObject({ title: 'Queue backlog', incident_key: 'title:queue backlog' });
    expect(rows.get(clash!.row.id)).toMatchObject({ title: 'AB &amp; c', incident_key: 'title:ab &amp; c' });
    const texts = new Map(
      (await db.selectFrom('checkins').select(['id', 'text']).execute()).map((c) => [c.id, c.text]),
    );
    expect(texts.get(reflection.checkin.id)).toBe('Incident: DB failover & <b>x</b> &amp;\n\nI believed &amp; it');
    expect(texts.get(other.checkin.id)).toBe('Wrote &amp; on purpose');
  });
});
