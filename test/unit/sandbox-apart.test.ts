import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The sandbox is a tool beside the product: the product never imports it (so `npm start`
// loads nothing of it), and the image's build context leaves it out.
const SRC = join(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the sandbox stays beside the product', () => {
  it('no module outside src/sandbox imports from it', () => {
    const product = files(SRC).filter((f) => !relative(SRC, f).startsWith('sandbox'));
    const sandboxFiles = files(join(SRC, 'sandbox'));
    expect(product.length).toBeGreaterThan(50);
    expect(sandboxFiles.length).toBeGreaterThan(10);
    const importsOf = (text: string) => [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
    // The check sees an import when there is one.
    expect(importsOf("import { x } from '../sandbox/api.ts';")).toEqual(['../sandbox/api.ts']);
    const bad = product.flatMap((f) =>
      importsOf(readFileSync(f, 'utf8'))
        .filter((i) => i.startsWith('.') && relative(SRC, join(f, '..', i)).startsWith('sandbox'))
        .map((i) => `${relative(SRC, f)} imports ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('the image leaves it out (.dockerignore), and npm run build does not compile it', () => {
    const ignored = readFileSync(join(SRC, '../.dockerignore'), 'utf8').split('\n');
    expect(ignored).toContain('src/sandbox');
    const build = JSON.parse(readFileSync(join(SRC, '../tsconfig.build.json'), 'utf8')) as { exclude?: string[] };
    expect(build.exclude).toContain('src/sandbox');
  });
});
