import { setImmediate } from 'node:timers';

/**
 * Run `work` after the current turn's callbacks and microtasks, then resolve with its result.
 *
 * Used while a signature is being verified: WebCrypto (which jose uses) runs the verification on
 * libuv's thread pool, but only after jose's own chain of microtasks reaches `subtle.verify`. A
 * `setImmediate` callback runs after all of them, so work placed here overlaps the verification
 * instead of adding to it. Its result is used only after the verification has settled.
 * (No Web-standard API runs "after pending microtasks, before the next poll"; `setTimeout(0)` is
 * clamped to 1 ms.)
 */
export function whileOffThread<T>(work: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(work());
      } catch (error) {
        reject(error);
      }
    });
  });
}
