import { describe, expect, it } from 'vitest';
import { dueState, parseIncident, reflectionDue } from '../../src/growth/incidents.ts';

describe('parseIncident', () => {
  it('reads a link as Slack escapes it, bare, or with a label, as one incident', () => {
    const keys = [
      '<https://status.example.com/incidents/42>',
      '<https://status.example.com/incidents/42|INC-42>',
      'https://status.example.com/incidents/42/',
      'https://status.example.com/incidents/42#timeline',
    ].map((t) => {
      const r = parseIncident(t);
      return r.ok ? r.key : r.problem;
    });
    expect(new Set(keys)).toEqual(new Set(['link:https://status.example.com/incidents/42']));
  });

  it('reads anything else as a title, one incident however spaced or capitalised', () => {
    const a = parseIncident('Checkout  outage 3 Dec');
    const b = parseIncident('checkout outage 3 dec');
    expect(a).toMatchObject({ ok: true, title: 'Checkout outage 3 Dec', link: null });
    expect(a.ok && b.ok && a.key === b.key).toBe(true);
  });

  it('says what is wrong with nothing, or a title that is too long', () => {
    expect(parseIncident('  ')).toMatchObject({ ok: false });
    expect(parseIncident('x'.repeat(201))).toMatchObject({ ok: false, problem: expect.stringContaining('200') });
  });
});

describe('reflectionDue', () => {
  const tue = new Date('2026-12-01T09:00:00Z');
  it('follows the last word, or the archiving when that is earlier', () => {
    const thu = new Date('2026-12-03T15:00:00Z');
    const fri = new Date('2026-12-04T09:00:00Z');
    expect(
      reflectionDue({ source: 'channel', reportedAt: tue, lastMessageAt: null, archivedAt: null }, 'UTC').toISOString(),
    ).toBe('2026-12-03T10:00:00.000Z');
    expect(
      reflectionDue({ source: 'channel', reportedAt: tue, lastMessageAt: thu, archivedAt: null }, 'UTC').toISOString(),
    ).toBe('2026-12-07T10:00:00.000Z');
    expect(
      reflectionDue({ source: 'channel', reportedAt: tue, lastMessageAt: fri, archivedAt: thu }, 'UTC').toISOString(),
    ).toBe('2026-12-07T10:00:00.000Z');
    expect(
      reflectionDue({ source: 'command', reportedAt: tue, lastMessageAt: fri, archivedAt: null }, 'UTC').toISOString(),
    ).toBe('2026-12-03T10:00:00.000Z');
  });

  it('is due from its time, and stale two weeks later', () => {
    const due = new Date('2026-12-03T10:00:00Z');
    expect(dueState(due, new Date('2026-12-03T09:59:00Z'))).toBe('not-yet');
    expect(dueState(due, new Date('2026-12-17T10:00:00Z'))).toBe('due');
    expect(dueState(due, new Date('2026-12-17T10:01:00Z'))).toBe('stale');
  });
});
