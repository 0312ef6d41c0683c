/**
 * Percentiles of the delivery-lag gauge: the lags of recent deliveries together with the ages
 * of work still due, the ages given as groups (one age, how many schedules have it) rather
 * than one age per schedule. With the workers down the backlog is every schedule (20,000 in a
 * large region) but the groups are only its distinct due times, so a sample merges the sorted
 * lags with a few sorted groups instead of expanding and sorting an age for each schedule.
 *
 * Groups are flat `age, schedules, age, schedules, ...` pairs in a plain array, sorted in
 * place: the sampler reuses one array, so a sample of a small world allocates nothing here.
 */

/** Beyond this many groups, sorting goes through an index instead of insertion. */
const INSERTION_SORT_GROUPS_MAX = 16;

/**
 * Sorts `pairs` (`age, schedules` pairs with distinct ages, in any order) by age, in place,
 * and returns the number of schedules in all.
 */
export function sortAgeGroups(pairs: number[]): number {
  const groupCount = pairs.length / 2;
  if (groupCount <= INSERTION_SORT_GROUPS_MAX) insertionSortPairs(pairs);
  else indexSortPairs(pairs);
  let total = 0;
  for (let i = 1; i < pairs.length; i += 2) total += pairs[i];
  return total;
}

function insertionSortPairs(pairs: number[]): void {
  for (let i = 2; i < pairs.length; i += 2) {
    const age = pairs[i];
    const schedules = pairs[i + 1];
    let j = i - 2;
    for (; j >= 0 && pairs[j] > age; j -= 2) {
      pairs[j + 2] = pairs[j];
      pairs[j + 3] = pairs[j + 1];
    }
    pairs[j + 2] = age;
    pairs[j + 3] = schedules;
  }
}

function indexSortPairs(pairs: number[]): void {
  const order = Array.from({ length: pairs.length / 2 }, (_, g) => g);
  order.sort((a, b) => pairs[2 * a] - pairs[2 * b]);
  const copy = pairs.slice();
  for (let g = 0; g < order.length; g++) {
    pairs[2 * g] = copy[2 * order[g]];
    pairs[2 * g + 1] = copy[2 * order[g] + 1];
  }
}

/**
 * The `q` percentile (nearest rank: the `ceil(q * n)`-th smallest, rounded) of the values
 * `sortedLags` (ascending) and the groups `sortedPairs` (sorted by `sortAgeGroups`, holding
 * `schedules` in all) taken together, as if each group's age appeared once per schedule;
 * 0 when there are none.
 */
export function lagPercentile(
  sortedLags: Float64Array,
  sortedPairs: readonly number[],
  schedules: number,
  q: number,
): number {
  const n = sortedLags.length + schedules;
  if (n === 0) return 0;
  const rank = Math.max(0, Math.min(n - 1, Math.ceil(q * n) - 1));
  // Values counted so far (all below `rank`), and the first lag not yet counted.
  let below = 0;
  let lag = 0;
  for (let i = 0; i < sortedPairs.length; i += 2) {
    const age = sortedPairs[i];
    const lagsUpTo = upperBound(sortedLags, age, lag);
    if (rank < below + lagsUpTo - lag) return Math.round(sortedLags[lag + rank - below]);
    below += lagsUpTo - lag + sortedPairs[i + 1];
    lag = lagsUpTo;
    if (rank < below) return Math.round(age);
  }
  return Math.round(sortedLags[lag + rank - below]);
}

/** The index of the first value of `sorted` from `from` on that is greater than `value`. */
function upperBound(sorted: Float64Array, value: number, from: number): number {
  let low = from;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
