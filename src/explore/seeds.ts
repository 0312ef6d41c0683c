/**
 * Seeds of an exploration: run `r` of a sweep is a pure function of the master seed and `r`,
 * so a run can be replayed alone, and shards, job counts and restarts all see the same runs.
 */

/** The generation seed of run `index` (a 31-bit integer, as fast-check takes): a mixed hash. */
export function generationSeed(master: number, index: number): number {
  const lo = master >>> 0;
  const hi = Math.floor(master / 0x1_0000_0000) >>> 0;
  let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(hi + 0x632be5ab, 0x27d4eb2f);
  h ^= Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h & 0x7fffffff;
}

/** The world seed of run `index` of a seed sweep over one scenario: consecutive from the base. */
export function sweepSeed(base: number, index: number): number {
  return base + index;
}

/**
 * The largest seed a run takes: the scenario schema's bound, the largest integer a double holds
 * exactly. Past it `seed + 1` rounds, two runs share a seed, and a reproducer does not parse.
 */
export const SEED_MAX = Number.MAX_SAFE_INTEGER;

/** The largest first seed of `count` consecutive seeds (a sweep) whose last is within `SEED_MAX`. */
export function sweepBaseMax(count: number): number {
  return SEED_MAX - (count - 1);
}

/** A shard of the run space: `index` of `count`, 1-based (CI matrices count from 1). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The run indices of a shard, in order: every `count`-th run, starting at `index - 1`. */
export function shardRuns(runs: number, shard: Shard = { index: 1, count: 1 }): number[] {
  const out: number[] = [];
  for (let r = shard.index - 1; r < runs; r += shard.count) out.push(r);
  return out;
}

/** How many runs a shard has: the length of `shardRuns(runs, shard)`, without listing them. */
export function shardRunCount(runs: number, shard: Shard = { index: 1, count: 1 }): number {
  return runs < shard.index ? 0 : Math.floor((runs - shard.index) / shard.count) + 1;
}

/**
 * The run index of a shard's `pos`-th run (from 0): `shardRuns(runs, shard)[pos]`, without listing
 * them, so that `--runs` as large as 2^53 - 1 under a time budget starts at once.
 */
export function shardRunAt(pos: number, shard: Shard = { index: 1, count: 1 }): number {
  return shard.index - 1 + pos * shard.count;
}

/** Parses `i/n` (1 ≤ i ≤ n); null when malformed. */
export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count)
    return null;
  return { index, count };
}
