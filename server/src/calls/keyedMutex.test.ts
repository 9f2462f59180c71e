import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyedMutex.ts';

/** A promise the test settles by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every already-queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  it('runs tasks under one key one at a time, in submission order, each seeing the one before finished', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((gate, i) =>
      mutex.run('k', async () => {
        log.push(`start ${i}`);
        await gate.promise;
        log.push(`end ${i}`);
        return i;
      }),
    );
    await settle();
    expect(log).toEqual(['start 0']);
    // Releasing a later task first changes nothing: it has not started.
    gates[2]!.resolve();
    gates[1]!.resolve();
    await settle();
    expect(log).toEqual(['start 0']);
    gates[0]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('runs tasks under different keys concurrently', async () => {
    const mutex = new KeyedMutex();
    const gate = deferred();
    const started: string[] = [];
    const a = mutex.run('a', async () => {
      started.push('a');
      await gate.promise;
    });
    const b = mutex.run('b', () => {
      started.push('b');
      return 'b done';
    });
    expect(await b).toBe('b done');
    expect(started).toEqual(['a', 'b']);
    expect(mutex.isBusy('a')).toBe(true);
    expect(mutex.isBusy('b')).toBe(false);
    gate.resolve();
    await a;
  });

  it('a task that rejects or throws passes its error to its caller and releases the key for the next', async () => {
    const mutex = new KeyedMutex();
    const gate = deferred();
    const first = mutex.run('k', async () => {
      await gate.promise;
      throw new Error('first failed');
    });
    const second = mutex.run('k', () => {
      throw new Error('second threw synchronously');
    });
    const third = mutex.run('k', () => 'third ran');
    gate.resolve();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).rejects.toThrow('second threw synchronously');
    expect(await third).toBe('third ran');
    expect(mutex.size).toBe(0);
  });

  it('forgets a key once nothing runs or waits under it, whatever order the tasks finish in', async () => {
    const mutex = new KeyedMutex();
    expect(mutex.size).toBe(0);
    const gate = deferred();
    const one = mutex.run('k', () => gate.promise);
    const two = mutex.run('k', () => undefined);
    const other = mutex.run('other', () => undefined);
    expect(mutex.size).toBe(2);
    await other;
    expect(mutex.size).toBe(1);
    gate.resolve();
    await one;
    // The second task is still queued behind the first's release.
    expect(mutex.isBusy('k')).toBe(true);
    await two;
    expect(mutex.size).toBe(0);

    // Many tasks, half failing: nothing is left behind.
    const many = Array.from({ length: 50 }, (_, i) =>
      mutex.run(`key ${i % 5}`, async () => {
        await settle();
        if (i % 2) throw new Error(`task ${i}`);
        return i;
      }),
    );
    const outcomes = await Promise.allSettled(many);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(25);
    expect(mutex.size).toBe(0);
  });

  it('a task under an idle key starts synchronously, as it would with no mutex', async () => {
    const mutex = new KeyedMutex();
    await mutex.run('k', () => undefined);
    const order: string[] = [];
    const running = mutex.run('k', () => {
      order.push('ran');
    });
    order.push('submitted');
    await running;
    expect(order).toEqual(['ran', 'submitted']);
  });
});
