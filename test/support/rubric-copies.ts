/** Copies of the shipped rubrics folder with one file changed, for tests of the loader's errors. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRubrics, RubricError } from '../../src/rubrics/load.ts';

/** A rubric file as parsed YAML, for edits. */
export type RubricDoc = Record<string, unknown> & { competencies: Record<string, unknown>[] };

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of the real rubrics with one file's text changed by `edit`; removed after the test. */
export async function brokenCopy(file: string, edit: (yaml: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rubrics-'));
  dirs.push(dir);
  await cp('rubrics', dir, { recursive: true });
  await writeFile(join(dir, file), edit(await readFile(join(dir, file), 'utf8')));
  return dir;
}

/** The same, with the file edited as parsed YAML. */
export function editedCopy(file: string, edit: (doc: RubricDoc) => void): Promise<string> {
  return brokenCopy(file, (yaml) => {
    const doc = parse(yaml) as RubricDoc;
    edit(doc);
    return stringify(doc);
  });
}

/** The problems the loader lists for this folder (it must refuse it). */
export async function problemsOf(dir: string): Promise<string[]> {
  const err = await loadRubrics(dir).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RubricError);
  return (err as RubricError).problems;
}
