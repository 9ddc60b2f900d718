/**
 * Runs asynchronous tasks one at a time, in the order they were queued. A task whose signal aborts
 * while it waits for its turn is dropped and rejects with the signal's reason; it never runs.
 *
 * @internal
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();

  /**
   * Queues `task`.
   *
   * @param task - the work; it runs alone.
   * @param signal - aborts the wait for the task's turn (the task itself receives it separately).
   * @returns what the task returns.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    return waitFor(previous, signal).then(
      async () => {
        try {
          signal?.throwIfAborted();
          return await task();
        } finally {
          release();
        }
      },
      (reason: unknown) => {
        // Keep the order for the tasks queued after this one: they start when `previous` is done.
        void previous.then(release);
        throw reason;
      },
    );
  }
}

function waitFor(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) {
    return turn;
  }
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
