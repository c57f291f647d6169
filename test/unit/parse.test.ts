import { describe, expect, it } from 'vitest';
import { checkText, splitCompetencyPrefix } from '../../src/growth/checkin.ts';
import { parseGrowthCommand, parseMention } from '../../src/slack/parse.ts';

describe('/growth parsing', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['join junior', { kind: 'join', level: 'junior' }],
    ['  JOIN   Senior ', { kind: 'join', level: 'senior' }],
    ['level staff', { kind: 'level', level: 'staff' }],
    ['mentor <@U012ABC|alex>', { kind: 'mentor', mentorId: 'U012ABC' }],
    ['mentor <@W0ABC>', { kind: 'mentor', mentorId: 'W0ABC' }],
    ['me', { kind: 'me' }],
    ['schedule tuesday 09:30', { kind: 'schedule', weekdayText: 'tuesday', timeText: '09:30' }],
    ['pause', { kind: 'pause', arg: null }],
    ['pause 2', { kind: 'pause', arg: '2' }],
    ['resume', { kind: 'resume' }],
  ])('reads %j', (text, expected) => {
    expect(parseGrowthCommand(text)).toEqual(expected);
  });

  it.each([
    ['join', { kind: 'bad-level', given: null, subcommand: 'join' }],
    ['join wizard', { kind: 'bad-level', given: 'wizard', subcommand: 'join' }],
    ['level mid extra', { kind: 'bad-level', given: 'mid extra', subcommand: 'level' }],
  ])('answers a bad level in %j with the level problem', (text, expected) => {
    expect(parseGrowthCommand(text)).toEqual(expected);
  });

  it.each([
    'mentor',
    'mentor alex',
    'mentor @alex',
    'mentor <#C123|general>',
    'mentor <@U1> <@U2>',
    'me please',
    'schedule monday',
    'frobnicate',
  ])('turns %j into help with a reason', (text) => {
    const cmd = parseGrowthCommand(text);
    expect(cmd.kind).toBe('help');
    expect((cmd as { problem?: string }).problem).toBeTruthy();
  });

  it('reads escaped mentions only', () => {
    expect(parseMention('<@U123ABC|name with spaces>')).toBe('U123ABC');
    expect(parseMention('@U123ABC')).toBeNull();
    expect(parseMention(undefined)).toBeNull();
  });
});

describe('check-in text', () => {
  it('trims, refuses blank text and counts characters as people do', () => {
    expect(checkText('  hello  ')).toEqual({ ok: true, text: 'hello' });
    expect(checkText(' \n\t ')).toEqual({ ok: false, reason: 'empty' });
    expect(checkText(undefined)).toEqual({ ok: false, reason: 'empty' });
    expect(checkText('🙂'.repeat(3000))).toMatchObject({ ok: true });
    expect(checkText('🙂'.repeat(3001))).toEqual({ ok: false, reason: 'too-long', length: 3001, limit: 3000 });
  });

  it('files a check-in under a known competency prefix only', () => {
    const ids = ['observability', 'writing-clearly'];
    expect(splitCompetencyPrefix('Observability: traced a request', ids)).toEqual({
      competencyId: 'observability',
      text: 'traced a request',
    });
    expect(splitCompetencyPrefix('note: something', ids)).toEqual({ competencyId: null, text: 'note: something' });
    expect(splitCompetencyPrefix('at 10:30 the pager went off', ids)).toEqual({
      competencyId: null,
      text: 'at 10:30 the pager went off',
    });
  });
});
