/**
 * "Did you mean" for misspelt keys and words: the candidate nearest by edit distance, if it is
 * near enough to be a plausible typo. Written here rather than taken from a package because it
 * is twenty lines and the candidate lists are tiny.
 */

/**
 * Edit distance with insertions, deletions, substitutions and swaps of two adjacent letters
 * (optimal string alignment), case-sensitive. A swap counts as one slip, as typists make it:
 * `nxet` is one from `next`, where Levenshtein says two and a four-letter word allows only one.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2] + 1);
      }
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate closest to `word`, or undefined when none is close: a case-insensitive match
 * wins outright; otherwise the distance may be at most a third of the word's length (at least
 * 1, at most 3), and less than the length of either word (some letters must be kept). When several candidates are equally close the guess would be a coin toss
 * (`v3` is as close to `v1` as to `v2`), so there is no suggestion.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const allowed = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  let tied = false;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    // Replacing every letter of a short word is no typo: `ü` is not a misspelt `-`.
    if (d >= Math.min(word.length, candidate.length)) continue;
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance) {
      tied = true;
    }
  }
  if (best !== undefined) return tied ? undefined : best;
  return tied ? undefined : extendedName(word, candidates);
}

/** The shortest candidate a suggestion by prefix may be: shorter ones start too many words. */
const PREFIX_CANDIDATE_MIN = 4;

/**
 * The one candidate that `word` is, with a part added at a word boundary (`deliveries.lateCount`
 * for `deliveries.late`, `leaseTtlMs` for `leaseTtl`), or undefined when none is or several are.
 */
function extendedName(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const found = candidates.filter(
    (c) =>
      c.length >= PREFIX_CANDIDATE_MIN &&
      word.length > c.length &&
      lower.startsWith(c.toLowerCase()) &&
      /^[A-Z0-9._-]/.test(word.slice(c.length)),
  );
  return found.length === 1 ? found[0] : undefined;
}
