import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// `npm run sandbox` with a mistyped flag: one sentence and the usage, not a stack.
describe('npm run sandbox, mistyped', () => {
  it('an unknown flag prints one sentence and the usage, and exits 1', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts', '--prot', '3952'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const [first, ...rest] = r.stderr.trim().split('\n');
    expect(first).toBe("Unknown option '--prot'.");
    expect(rest[0]).toMatch(/^Usage: npm run sandbox -- \[--port <port>\] \[--fresh\]/);
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
    expect(r.stdout).toBe('');
  }, 90_000);
});
