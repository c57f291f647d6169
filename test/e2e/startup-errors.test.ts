// What a person sees when growthbot or its CLI cannot do its work: the real processes, their
// stderr as printed. Each failure is one sentence naming the setting to fix, never a stack,
// never a secret, and is the same, word for word, as the README's "When it will not start".
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, type Harness, useHarness } from '../support/harness.ts';
import { closedPort, type Finished, takenPort, timedRun } from '../support/processes.ts';
import { brokenCopy } from '../support/rubric-copies.ts';

let h: Harness;
useHarness((x) => (h = x));

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const MAIN = ['src/main.ts'];
const CLI = ['src/cli.ts'];
/** Well under a retry loop's minutes, with room for tsx starting on a busy 2-core machine. */
const BOUNDED_MS = 10_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'startup-errors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Exit 1 and one line on stderr, no stack frame, no secret; the line is returned. */
function oneLine(r: Finished & { ms: number }, ...secrets: string[]): string {
  expect(r.code, r.out).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  for (const s of [BOT_TOKEN, ...secrets]) expect(r.out).not.toContain(s);
  expect(r.ms, `took ${r.ms} ms`).toBeLessThan(BOUNDED_MS);
  return lines[0]!;
}

/** The README shows this output, with the values a reader would have in place of the test's. */
function inReadme(printed: string, replace: [string, string][] = []): void {
  const shown = replace.reduce((s, [from, to]) => s.split(from).join(to), printed.trim());
  expect(README.includes(shown), `README.md should show, word for word:\n${shown}\n`).toBe(true);
}

describe('an unreachable database', () => {
  it('npm start and the CLI name DATABASE_URL, mask its password, and stop within seconds', async () => {
    const port = await closedPort();
    const url = `postgres://growthbot:s3cret@127.0.0.1:${port}/growthbot`;
    for (const args of [MAIN, [...CLI, 'migrate']]) {
      const line = oneLine(await timedRun(h, args, { DATABASE_URL: url }), 's3cret');
      expect(line).toContain('DATABASE_URL');
      expect(line).toContain(`postgres://growthbot:***@127.0.0.1:${port}/growthbot`);
      expect(line).toContain('connection refused');
      inReadme(line, [[`:${port}/`, ':5432/']]);
    }
  }, 60_000);
});

describe('a port in use', () => {
  it('npm start names PORT', async () => {
    const taken = await takenPort();
    try {
      const line = oneLine(await timedRun(h, MAIN, { PORT: String(taken.port) }));
      expect(line).toMatch(/^Port \d+ is already in use \(EADDRINUSE\).*PORT/);
      inReadme(line, [[`Port ${taken.port}`, 'Port 3000']]);
    } finally {
      await taken.close();
    }
  }, 30_000);
});

describe('import and export without Slack', () => {
  it('name SLACK_API_URL and SLACK_BOT_TOKEN in one sentence, at once', async () => {
    const port = await closedPort();
    const api = `http://127.0.0.1:${port}/api/`;
    for (const args of [
      [...CLI, 'import', 'examples/roster.csv', '--dry-run'],
      [...CLI, 'export', '--user', 'U012ABC'],
    ]) {
      const line = oneLine(await timedRun(h, args, { SLACK_API_URL: api }));
      expect(line).toContain('SLACK_API_URL');
      expect(line).toContain('SLACK_BOT_TOKEN');
      expect(line).not.toContain('A request error occurred');
      inReadme(line, [[api, 'http://127.0.0.1:8080/api/']]);
    }
  }, 60_000);
});

describe('rubrics and rosters a person wrote', () => {
  it('a RUBRICS_DIR that does not exist is one line naming it and the path', async () => {
    const missing = join(dir, 'my-rubrics');
    const line = oneLine(await timedRun(h, MAIN, { RUBRICS_DIR: missing }));
    expect(line).toContain(`RUBRICS_DIR is ${missing}, which does not exist`);
    inReadme(line, [[missing, '/srv/growthbot/my-rubrics']]);
  }, 30_000);

  it('a YAML error shows its line, column and whole reason', async () => {
    const copy = await brokenCopy('staff.yaml', (y) => y.replace(/^level: staff$/m, 'level: staff: lead'));
    const r = await timedRun(h, MAIN, { RUBRICS_DIR: copy });
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).toMatch(
      /staff\.yaml line \d+, column \d+: not valid YAML: Nested mappings are not allowed in compact mappings\.\n$/,
    );
    inReadme(r.stderr, [[copy, '/srv/growthbot/my-rubrics']]);
  }, 30_000);

  it("a roster separated by ';' gets a hint instead of a problem on every line", async () => {
    const file = join(dir, 'roster.csv');
    await writeFile(
      file,
      'member;level;mentor;weekday;time\nU012ALICE;junior;;;\nU034BOB;mid;U012ALICE;tuesday;09:30\n',
    );
    const r = await timedRun(h, [...CLI, 'import', file, '--dry-run']);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toContain("this file seems to use ';' — growthbot reads comma-separated values");
    expect(r.stderr).not.toContain('line 2');
    inReadme(r.stderr);
  }, 30_000);
});

describe('settings refused before anything starts', () => {
  it('the unedited token placeholder, and LOG_LEVEL listing the levels once', async () => {
    for (const env of [{ SLACK_BOT_TOKEN: 'xoxb-' }, { LOG_LEVEL: 'loud' }] as Record<string, string>[]) {
      const r = await timedRun(h, MAIN, env);
      expect(r.code, r.out).toBe(1);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      inReadme(r.stderr);
    }
  }, 30_000);

  it('--at without a zone', async () => {
    const r = await timedRun(h, [...CLI, 'run', 'weekly-prompts', '--at', '2026-12-07T09:05:00']);
    expect(r.code).toBe(2);
    inReadme(r.stderr.split('\n')[0]!);
  }, 30_000);
});
