/**
 * Prompts too alike to send the same person: word overlap (Jaccard) of their content words.
 * Small words, guard wording, the closing "Link the …" sentence (every prompt has one) and word endings are
 * left out, so only what a prompt asks for is compared.
 */
import { LEVELS, type Level, type Rubrics } from '../../src/rubrics/schema.ts';
import { allPrompts, type ListedPrompt } from './rubric-prompts.ts';

const SMALL = new Set(
  `a an and are as at be before by can could did do does each else first for from has have how if in
  into is it its of on one or so some that the their them then they this those to up was way were what
  when where which while who why will with would you your yours not no any all more most than there
  out about after over own each one two three week this next time every link`.split(/\s+/),
);
/** The guard wording the safety test asks for is repeated on purpose; it does not make two prompts alike. */
const GUARD_WORDS = new Set('explain analyze replica primary production non approval approve dry'.split(' '));

/**
 * Word overlap (rarity-weighted Jaccard of content words, see near-duplicates.ts) at or above
 * which two prompts one member can be sent count as the same exercise. Chosen by reading the
 * ranked pairs: at 0.18 and above, every pair asked for the same thing in other words (a design
 * review comment twice, the error budget in minutes twice, a severity call twice, 0.18–0.49);
 * just below, the closest pairs share a topic but ask for different work (auditing postmortem
 * actions vs. reading the open ones before a shift, a small fault injection vs. a failover, both
 * 0.176). Word overlap misses paraphrases: the pairs issue 21 named that scored lower were
 * rewritten by hand and are pinned in rubrics-duplicates.test.ts.
 */
export const NEAR_DUPLICATE = 0.18;

/** Content words of a prompt, without its last sentence (the artefact to link) and crude endings. */
export function contentWords(text: string): Set<string> {
  const body = text.trim().replace(/\s*Link [^.]*\.\s*$/, '');
  const words = body
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2 && !SMALL.has(w) && !GUARD_WORDS.has(w))
    .map((w) => w.replace(/(ing|ed|es|s)$/, ''));
  return new Set(words);
}

/** How rare each word is across `texts`: log(n / texts using it), so "alert" weighs less than "baseline". */
export function rarity(texts: readonly string[]): (word: string) => number {
  const used = new Map<string, number>();
  for (const t of texts) for (const w of contentWords(t)) used.set(w, (used.get(w) ?? 0) + 1);
  return (w) => Math.log(texts.length / (used.get(w) ?? 1));
}

/** Weighted word overlap: the rarity of the words both share over the rarity of all their words (0..1). */
export function overlap(a: string, b: string, weight: (word: string) => number = () => 1): number {
  const x = contentWords(a);
  const y = contentWords(b);
  let both = 0;
  let either = 0;
  for (const w of new Set([...x, ...y])) {
    either += weight(w);
    if (x.has(w) && y.has(w)) both += weight(w);
  }
  return either ? both / either : 0;
}

/**
 * What one member of `level` can be sent over time: their level's prompts of every kind, the
 * shared ones, and the stretch prompts they had a level below (filed under this level).
 */
export function poolFor(r: Rubrics, level: Level): ListedPrompt[] {
  const below = LEVELS[LEVELS.indexOf(level) - 1];
  return allPrompts(r).filter(
    (p) => p.sentTo === level || p.sentTo === 'shared' || (p.kind === 'stretch' && p.sentTo === below),
  );
}

/** Pairs of prompts in one member's pool with an overlap of at least `threshold`, most alike first. */
export function nearDuplicates(r: Rubrics, level: Level, threshold: number): [string, string, number][] {
  const pool = poolFor(r, level);
  const weight = rarity(allPrompts(r).map((p) => p.text));
  const out: [string, string, number][] = [];
  for (let i = 0; i < pool.length; i++) {
    for (let j = i + 1; j < pool.length; j++) {
      const score = overlap(pool[i]!.text, pool[j]!.text, weight);
      if (score >= threshold) out.push([pool[i]!.id, pool[j]!.id, score]);
    }
  }
  return out.sort((a, b) => b[2] - a[2]);
}
