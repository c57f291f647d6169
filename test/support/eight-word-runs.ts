/**
 * Eight-word runs, for checking that rubric text is in our own words. The career path we
 * read lives outside this repository (and is not ours to copy in), so the tests compare
 * against fingerprints of its runs in `career-path-runs.txt`; the text never needs to ship.
 * Regenerate after the source changes:
 *   npx tsx test/support/eight-word-runs.ts ../shared/seed/sre-career-path.txt > test/support/career-path-runs.txt
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Every run of eight words, lower-cased, punctuation and apostrophes dropped, so neither hides a copy. */
export function eightWordRuns(text: string): string[] {
  const w = text
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return w.slice(0, Math.max(0, w.length - 7)).map((_, i) => w.slice(i, i + 8).join(' '));
}

export function fingerprint(run: string): string {
  return createHash('sha256').update(run).digest('hex').slice(0, 16);
}

/** Fingerprints of every eight-word run of `text`, sorted and unique. */
export function fingerprints(text: string): string[] {
  return [...new Set(eightWordRuns(text).map(fingerprint))].sort();
}

if (process.argv[1]?.endsWith('eight-word-runs.ts') && process.argv[2]) {
  process.stdout.write(`${fingerprints(readFileSync(process.argv[2], 'utf8')).join('\n')}\n`);
}
