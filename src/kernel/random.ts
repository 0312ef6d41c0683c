import seedrandom from "seedrandom";

/**
 * A seeded random stream. Every random draw in a simulation goes through one of these, so
 * a seed reproduces a run exactly. Streams are forked by name from a master seed, so adding
 * draws to one stream (say, faults) never changes what another (the workload) draws.
 */
export class Rng {
  private readonly draw: () => number;

  constructor(readonly seed: string) {
    this.draw = seedrandom.alea(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.draw();
  }

  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`Rng.int: empty range [${lo}, ${hi}]`);
    return lo + Math.floor(this.draw() * (hi - lo + 1));
  }

  /** True with probability numerator / denominator. */
  chance(numerator: number, denominator = 1): boolean {
    if (numerator <= 0) return false;
    if (numerator >= denominator) return true;
    return this.draw() * denominator < numerator;
  }

  /** An exponentially distributed delay with the given mean, rounded to whole milliseconds. */
  exponentialMs(meanMs: number): number {
    if (meanMs <= 0) return 0;
    return Math.round(-Math.log(1 - this.draw()) * meanMs);
  }

  /** `baseMs` scaled by a uniform factor in [1 - ratio, 1 + ratio], in whole milliseconds. */
  jitterMs(baseMs: number, ratio: number): number {
    const factor = 1 + ratio * (2 * this.draw() - 1);
    return Math.max(0, Math.round(baseMs * factor));
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("Rng.pick: empty list");
    return items[Math.floor(this.draw() * items.length)];
  }

  /** A weighted choice: weights need not sum to one. */
  pickWeighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.draw() * total;
    for (let i = 0; i < items.length; i++) {
      x -= weights[i];
      if (x < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.draw() * (i + 1));
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  /** A child stream whose draws depend only on this stream's seed and the name. */
  fork(name: string): Rng {
    return new Rng(`${this.seed}/${name}`);
  }
}

/** The named streams of one run, all forked from the master seed. */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly masterSeed: number | string) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (!rng) {
      rng = new Rng(`${this.masterSeed}/${name}`);
      this.streams.set(name, rng);
    }
    return rng;
  }
}
