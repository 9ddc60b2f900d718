import { isPromiseLike } from "./maybe-async.js";

/**
 * Runs tasks one at a time, in the order they were queued. A task queued while the queue is idle
 * starts at once, synchronously, and a task that returns a plain value occupies the queue for no
 * longer than its call. A task whose signal aborts while it waits for its turn is dropped and
 * rejects with the signal's reason; it never runs.
 *
 * @internal
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  /** Tasks queued or running. */
  #pending = 0;

  /** Whether no task is queued or running: a task queued now starts at once, synchronously. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  /**
   * Queues `task(first, second)` (arguments rather than a closure, so that a call allocates less).
   *
   * @param task - the work; it runs alone.
   * @param first - its first argument.
   * @param second - its second argument.
   * @param signal - aborts the wait for the task's turn (the task itself receives it separately).
   * @returns what the task returns; a promise unless the task ran at once and returned a value.
   */
  run<A, B, T>(task: (first: A, second: B) => T | PromiseLike<T>, first: A, second: B, signal?: AbortSignal): T | Promise<T> {
    signal?.throwIfAborted();
    if (this.#pending === 0) {
      this.#pending = 1;
      let result: T | PromiseLike<T>;
      try {
        result = task(first, second);
      } catch (error) {
        this.#pending = 0;
        throw error;
      }
      if (!isPromiseLike(result)) {
        this.#pending = 0;
        return result;
      }
      const settled = Promise.resolve(result);
      const finish = (): void => {
        this.#pending--;
      };
      this.#tail = settled.then(finish, finish);
      return settled;
    }
    this.#pending++;
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    const finish = (): void => {
      this.#pending--;
      release();
    };
    return waitFor(previous, signal).then(
      async () => {
        try {
          signal?.throwIfAborted();
          return await task(first, second);
        } finally {
          finish();
        }
      },
      (reason: unknown) => {
        // Keep the order for the tasks queued after this one: they start when `previous` is done.
        void previous.then(finish);
        throw reason;
      },
    );
  }
}

function waitFor(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) {
    return turn;
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
