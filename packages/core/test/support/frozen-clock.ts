import type { Clock } from '../../src/index.js';

/** A clock tests move by hand, so time-dependent checks are exact and never flaky. */
export class FrozenClock implements Clock {
  #now: number;

  constructor(nowMs = Date.UTC(2030, 0, 1)) {
    this.#now = nowMs;
  }

  now(): number {
    return this.#now;
  }

  /** Seconds since the epoch, as JWT claims count. */
  get seconds(): number {
    return Math.floor(this.#now / 1000);
  }

  advance(seconds: number): void {
    this.#now += seconds * 1000;
  }
}
