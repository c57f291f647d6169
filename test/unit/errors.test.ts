import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebAPIRequestError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../../src/config.ts';
import { databaseFailure, explainFailure, failureText, KnownError, maskUrl, yamlProblem } from '../../src/errors.ts';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

const platform = (error: string, extra: object = {}) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error, ...extra },
  });
const errno = (code: string, extra: object = {}) => Object.assign(new Error(code), { code, ...extra });

describe('maskUrl', () => {
  it('masks the password, in the user part and as a parameter, and keeps the rest', () => {
    expect(maskUrl('postgres://growthbot:s3cret@db:5432/growthbot')).toBe('postgres://growthbot:***@db:5432/growthbot');
    expect(maskUrl('postgres://db/growthbot?user=g&password=s3cret')).toBe(
      'postgres://db/growthbot?user=g&password=***',
    );
    expect(maskUrl('postgres://growthbot@db/growthbot')).toBe('postgres://growthbot@db/growthbot');
  });
});

describe('databaseFailure', () => {
  const url = 'postgres://growthbot:s3cret@db.internal:5432/growthbot';
  const said = (err: unknown) => (databaseFailure(url, new Error('Migration failed', { cause: err })) as Error).message;

  it('names DATABASE_URL, never the password, for each way a database cannot be had', () => {
    expect(said(errno('ECONNREFUSED'))).toBe(
      'Could not connect to the database at postgres://growthbot:***@db.internal:5432/growthbot (connection refused: nothing listens there): check DATABASE_URL, and that Postgres is running there.',
    );
    expect(said(errno('ENOTFOUND'))).toContain('(no such host)');
    expect(said(new Error('timeout expired'))).toContain('(no answer in time)');
    expect(said(new AggregateError([errno('ECONNREFUSED'), errno('ECONNREFUSED')]))).toContain('connection refused');
    expect(said(errno('28P01', { message: 'password authentication failed for user "growthbot"' }))).toBe(
      'The database at postgres://growthbot:***@db.internal:5432/growthbot refused the login (password authentication failed for user "growthbot"): check the user and password in DATABASE_URL.',
    );
    expect(said(errno('3D000', { message: 'database "growthbot" does not exist' }))).toMatch(
      /does not exist .*: create it, or fix its name in DATABASE_URL\.$/,
    );
  });

  it('leaves any other failure (a migration that breaks on a reachable database) as it was', () => {
    const broken = new Error('Migration x failed', {
      cause: errno('42P07', { message: 'relation "members" already exists' }),
    });
    expect(databaseFailure(url, broken)).toBe(broken);
  });
});

describe('explainFailure', () => {
  it('says Slack refused the token, lacks a scope, or cannot be reached, naming the setting', () => {
    expect(explainFailure(platform('invalid_auth'))).toBe(
      'Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token again from https://api.slack.com/apps → your app → OAuth & Permissions, and reinstall the app if it was removed.',
    );
    expect(explainFailure(platform('missing_scope', { needed: 'users:read.email' }))).toMatch(
      /^SLACK_BOT_TOKEN lacks a scope \(missing_scope: users:read\.email\): add the scopes of slack-app-manifest\.yml/,
    );
    const refused = new WebAPIRequestError(new TypeError('fetch failed', { cause: errno('ECONNREFUSED') }));
    expect(explainFailure(refused, { slackApiUrl: 'http://127.0.0.1:8080/api/' })).toMatch(
      /^Could not reach Slack at http:\/\/127\.0\.0\.1:8080\/api\/ \(connection refused: nothing listens there\): check SLACK_API_URL/,
    );
    expect(explainFailure(refused)).toContain('at https://slack.com/api/ ');
  });

  it('names the setting that picks the port', () => {
    const inUse = errno('EADDRINUSE', { syscall: 'listen', port: 3000 });
    expect(explainFailure(inUse)).toBe(
      'Port 3000 is already in use (EADDRINUSE): stop the program using it, or set PORT to a free port.',
    );
    expect(explainFailure(inUse, { portSetting: '--port (or SANDBOX_PORT)' })).toContain(
      'set --port (or SANDBOX_PORT) to a free port',
    );
    expect(explainFailure(errno('EACCES', { syscall: 'listen', port: 80 }))).toBe(
      'Port 80 may not be opened by this user (EACCES): set PORT to 1024 or above.',
    );
  });

  it('prints known errors as they are and a bug with its stack', () => {
    expect(failureText(new KnownError('Just this.'))).toBe('Just this.');
    expect(new ConfigError(['X is wrong.'])).toBeInstanceOf(KnownError);
    const bug = new TypeError('cannot read properties of undefined');
    expect(explainFailure(bug)).toBeUndefined();
    expect(failureText(bug)).toContain('    at ');
  });

  it('the README shows the Slack token sentence as printed', () => {
    expect(README).toContain(explainFailure(platform('invalid_auth')));
  });
});

describe('yamlProblem', () => {
  it('keeps the whole reason and its place, without the excerpt', () => {
    let err: unknown;
    try {
      parse("level: 'mid\nname: x\n");
    } catch (e) {
      err = e;
    }
    expect(yamlProblem(err)).toEqual({
      where: 'line 3, column 1',
      line: 3,
      column: 1,
      reason: "Missing closing 'quote",
    });
  });
});
