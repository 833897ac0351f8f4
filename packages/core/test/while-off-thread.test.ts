// The scheduling helper that lets the engine work while a signature is verified off the main thread.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { whileOffThread } from '../src/token/while-off-thread.js';

describe('whileOffThread', () => {
  test('runs after the microtasks already queued and those they queue', async () => {
    const order: string[] = [];
    void Promise.resolve()
      .then(() => order.push('microtask 1'))
      .then(() => order.push('microtask 2'))
      .then(() => order.push('microtask 3'));
    const result = await whileOffThread(() => {
      order.push('work');
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual(order, ['microtask 1', 'microtask 2', 'microtask 3', 'work']);
  });

  test('a throwing work function rejects the promise', async () => {
    await assert.rejects(
      whileOffThread(() => {
        throw new Error('boom');
      }),
      /boom/,
    );
  });
});
