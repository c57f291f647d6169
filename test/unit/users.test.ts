import { describe, expect, it } from 'vitest';
import { personOf } from '../../src/outbound/users.ts';

describe('personOf (every reader of users.info)', () => {
  it('keeps a schedulable zone and the best name', () => {
    expect(personOf({ id: 'U1', tz: 'Asia/Kolkata', real_name: 'Ana R', profile: { display_name: 'ana' } })).toEqual({
      displayName: 'ana',
      tz: 'Asia/Kolkata',
      isBot: false,
      deleted: false,
    });
  });

  it('drops a zone the scheduler could not use, instead of letting it stop a fan-out', () => {
    for (const tz of ['Mars/Olympus_Mons', '+05:30', ''])
      expect(personOf({ id: 'U1', tz, real_name: 'X' })?.tz).toBeNull();
  });

  it('says when the account is a bot or deactivated, and nothing for no user', () => {
    expect(personOf({ id: 'B1', is_bot: true, deleted: true })).toMatchObject({ isBot: true, deleted: true, tz: null });
    expect(personOf(undefined)).toBeNull();
  });
});
