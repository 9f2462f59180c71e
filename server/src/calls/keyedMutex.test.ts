import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyedMutex, KeyedMutexTimeoutError } from './keyedMutex.ts';
import { deferred } from '../testing/deferred.ts';

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

  it('a task under an idle key starts synchronously with a timeout too', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const running = mutex.run('k', () => order.push('ran'), { timeoutMs: 1000 });
    order.push('submitted');
    await running;
    expect(order).toEqual(['ran', 'submitted']);
  });
});

describe('KeyedMutex with a timeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a task that does not settle in time: its caller gets the timeout, its signal is aborted first, the next task runs', async () => {
    vi.useFakeTimers();
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const hung = deferred<string>();
    let seen: AbortSignal | undefined;
    const first = mutex.run(
      'k',
      (signal) => {
        seen = signal;
        signal.addEventListener('abort', () => log.push('first aborted'));
        return hung.promise;
      },
      { timeoutMs: 5000 },
    );
    const firstOutcome = first.catch((error: unknown) => error);
    const second = mutex.run(
      'k',
      () => {
        log.push('second ran');
        return 'second';
      },
      { timeoutMs: 5000 },
    );
    await vi.advanceTimersByTimeAsync(4999);
    expect(log).toEqual([]);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await firstOutcome;
    expect(error).toBeInstanceOf(KeyedMutexTimeoutError);
    expect(error).toMatchObject({ key: 'k', timeoutMs: 5000 });
    expect(seen?.reason).toBe(error);
    expect(await second).toBe('second');
    // The abort listeners ran before the next task started: they can undo what the first made.
    expect(log).toEqual(['first aborted', 'second ran']);
    expect(mutex.size).toBe(0);

    // The hung task settling late changes nothing, failing late is no unhandled rejection.
    hung.reject(new Error('too late'));
    await vi.advanceTimersByTimeAsync(0);
    expect(mutex.size).toBe(0);
  });

  it('counts the time a task runs, not the time it waited for its turn', async () => {
    vi.useFakeTimers();
    const mutex = new KeyedMutex();
    const gate = deferred();
    const first = mutex.run('k', () => gate.promise, { timeoutMs: 1000 });
    const secondDone = deferred<string>();
    const second = mutex.run('k', () => secondDone.promise, { timeoutMs: 1000 });
    await vi.advanceTimersByTimeAsync(900);
    gate.resolve();
    await first;
    // 900 ms waited; the second has its whole second from now.
    await vi.advanceTimersByTimeAsync(900);
    secondDone.resolve('in time');
    expect(await second).toBe('in time');
  });

  it('a task that settles in time is not aborted and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const mutex = new KeyedMutex();
    let seen: AbortSignal | undefined;
    const result = await mutex.run(
      'k',
      async (signal) => {
        seen = signal;
        await Promise.resolve();
        return 42;
      },
      { timeoutMs: 1000 },
    );
    expect(result).toBe(42);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen?.aborted).toBe(false);
    await expect(
      mutex.run('k', () => Promise.reject(new Error('failed in time')), { timeoutMs: 1000 }),
    ).rejects.toThrow('failed in time');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('without a timeout the signal is never aborted', async () => {
    const mutex = new KeyedMutex();
    const signal = await mutex.run('k', (s) => s);
    expect(signal.aborted).toBe(false);
  });
});
