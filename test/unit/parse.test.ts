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

  describe('mentions whose name has spaces (`<@U123|Jonas Weber>`), wherever they stand', () => {
    const forms = ['<@U0JONAS|Jonas Weber>', '<@U0JONAS>', '<@U0JONAS|jonas>', '<@U0JONAS|Jonas  van der Weber>'];
    it.each(forms)('summary %s', (m) => {
      expect(parseGrowthCommand(`summary ${m}`)).toEqual({ kind: 'summary', userId: 'U0JONAS' });
      expect(parseGrowthCommand(`summary   ${m}  `)).toEqual({ kind: 'summary', userId: 'U0JONAS' });
    });
    it.each(forms)('mentor %s', (m) => {
      expect(parseGrowthCommand(`mentor ${m}`)).toEqual({ kind: 'mentor', mentorId: 'U0JONAS' });
    });
    it.each(forms)('admin assign, admin level and admin remove with %s', (m) => {
      const other = '<@U0ANA|Ana Souza>';
      expect(parseGrowthCommand(`admin assign ${m} ${other}`)).toEqual({
        kind: 'admin',
        action: { kind: 'assign', menteeId: 'U0JONAS', mentorId: 'U0ANA' },
      });
      expect(parseGrowthCommand(`admin assign ${other} ${m}`)).toEqual({
        kind: 'admin',
        action: { kind: 'assign', menteeId: 'U0ANA', mentorId: 'U0JONAS' },
      });
      expect(parseGrowthCommand(`admin level ${m} senior`)).toEqual({
        kind: 'admin',
        action: { kind: 'level', userId: 'U0JONAS', level: 'senior' },
      });
      expect(parseGrowthCommand(`admin remove ${m}`)).toEqual({
        kind: 'admin',
        action: { kind: 'remove', userId: 'U0JONAS' },
      });
    });
    it('a mention written against its neighbours is still one mention', () => {
      expect(parseGrowthCommand('admin assign <@U0JONAS|Jonas Weber><@U0ANA|Ana Souza>')).toEqual({
        kind: 'admin',
        action: { kind: 'assign', menteeId: 'U0JONAS', mentorId: 'U0ANA' },
      });
    });
    it('still counts what follows a spaced mention', () => {
      expect(parseGrowthCommand('summary <@U0JONAS|Jonas Weber> extra').kind).toBe('help');
      expect(parseGrowthCommand('mentor <@U0JONAS|Jonas Weber> <@U0ANA|Ana Souza>').kind).toBe('help');
      expect(parseGrowthCommand('admin level <@U0JONAS|Jonas Weber> wizard').kind).toBe('help');
      expect(parseGrowthCommand('admin remove <@U0JONAS|Jonas Weber> senior').kind).toBe('help');
    });
    it('an unclosed or channel token is no mention', () => {
      expect(parseGrowthCommand('summary <@U0JONAS|Jonas Weber').kind).toBe('help');
      expect(parseGrowthCommand('mentor <#C123|general chat>').kind).toBe('help');
    });
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
