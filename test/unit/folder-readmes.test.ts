import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every folder of code under src/ has a README naming each of its modules, so a newcomer can
// find where a thing lives without opening every file (docs/architecture.md is the map).
const SRC = join(import.meta.dirname, '../../src');
const CODE = /\.(ts|js)$/;

function codeFolders(dir: string): string[] {
  const entries = readdirSync(dir);
  const here = entries.some((e) => CODE.test(e)) && dir !== SRC ? [dir] : [];
  const below = entries.filter((e) => statSync(join(dir, e)).isDirectory()).flatMap((e) => codeFolders(join(dir, e)));
  return [...here, ...below];
}

describe('folder READMEs', () => {
  const folders = codeFolders(SRC);

  it('finds the folders it checks', () => {
    expect(folders.map((f) => relative(SRC, f))).toEqual(
      expect.arrayContaining(['db', 'growth', 'jobs', 'slack', 'outbound', 'outbound/views', 'sandbox']),
    );
  });

  for (const folder of folders) {
    it(`src/${relative(SRC, folder)}/README.md names every module`, () => {
      const readme = readFileSync(join(folder, 'README.md'), 'utf8');
      const unnamed = readdirSync(folder).filter((f) => CODE.test(f) && !readme.includes(`\`${f}\``));
      expect(unnamed, `add a line for each to src/${relative(SRC, folder)}/README.md`).toEqual([]);
    });
  }
});
