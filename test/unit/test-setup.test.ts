import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupDatabases } from '../support/global-setup.ts';
import { closedPort } from '../support/processes.ts';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

describe('the tests without Postgres', () => {
  it('stop with one message saying how to start it or set TEST_POSTGRES_URL, and no stack', async () => {
    const port = await closedPort();
    const url = `postgres://postgres:s3cret@127.0.0.1:${port}/postgres`;
    const err = (await setupDatabases({ provide: () => undefined }, url).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain(
      `The tests need Postgres at postgres://postgres:***@127.0.0.1:${port}/postgres (connection refused`,
    );
    expect(err.message).toContain('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start');
    expect(err.message).toContain('TEST_POSTGRES_URL');
    expect(err.message).not.toContain('s3cret');
    // vitest prints a global setup's error as its stack: the message alone.
    expect(err.stack).toBe(err.message);
    expect(README).toContain(err.message.replace(`postgres:***@127.0.0.1:${port}`, 'postgres@127.0.0.1:5432'));
  });
});
