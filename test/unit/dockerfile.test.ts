import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Files and folders the code opens beside itself (`new URL('…', import.meta.url)`), as repository paths. */
function pathsTheCodeResolves(dir = 'src'): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    for (const m of readFileSync(file, 'utf8').matchAll(/new URL\(\s*'([^']+)',\s*import\.meta\.url\s*\)/g)) {
      const target = relative('.', resolve(dirname(file), m[1]!));
      if (!target.startsWith('node_modules')) found.add(target);
    }
  }
  return found;
}

/** Where each `COPY … dest` of the final stage puts its sources, relative to /app. */
function copied(dockerfile: string): string[] {
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const out: string[] = [];
  for (const line of finalStage.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'COPY' || words.some((w) => w.startsWith('--from'))) continue;
    const sources = words.slice(1, -1);
    out.push(...sources);
  }
  return out;
}

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const ignored = readFileSync('.dockerignore', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // RUBRICS_DIR defaults to ./rubrics; the README's roster import runs examples/ in the image.
  const needed = [...new Set([...pathsTheCodeResolves(), 'src', 'rubrics', 'migrations', 'examples'])];

  it('derives the code-resolved paths (guards the derivation itself)', () => {
    expect([...pathsTheCodeResolves()]).toEqual(
      expect.arrayContaining([
        'migrations',
        join('src', 'sandbox', 'page'),
        join('src', 'sandbox', 'slack-methods'),
        'slack-app-manifest.yml',
      ]),
    );
  });

  it.each(needed)('copies %s into the image', (path) => {
    const sources = copied(dockerfile);
    expect(
      sources.some((s) => path === s || path.startsWith(`${s}/`)),
      `${path} is not COPY'd`,
    ).toBe(true);
    expect(
      ignored.some((i) => path === i || path.startsWith(`${i}/`)),
      `${path} is in .dockerignore`,
    ).toBe(false);
  });

  it('declares the data directory a volume, so a plain docker run keeps the embedded database', () => {
    expect(dockerfile).toMatch(/^ENV .*\bDATA_DIR=\/app\/data\b/m);
    expect(dockerfile).toMatch(/^VOLUME \/app\/data$/m);
  });
});
