import { describe, expect, it } from 'vitest';
import { snakeCaseReturns } from '../support/row-shape.ts';

/** Not rows: the export people download keeps the tables' own column names, as documented. */
const DOCUMENTS = new Set(['person-data.ts#personData']);

describe('rows leave db/ in camelCase', () => {
  const all = snakeCaseReturns();

  it('sees the exported query functions', () => {
    expect(all.size).toBeGreaterThan(50);
    expect(all.has('shifts.ts#shiftsOverlapping')).toBe(true);
  });

  it('no exported db function returns a property name with "_"', () => {
    const offenders = [...all].filter(([fn, snake]) => snake.length > 0 && !DOCUMENTS.has(fn));
    expect(Object.fromEntries(offenders)).toEqual({});
  });

  it('the export keeps the column names (so its exception is still needed)', () => {
    for (const fn of DOCUMENTS) expect(all.get(fn), fn).toContain('.member.user_id');
  });
});
