/**
 * Runs lanes of work with at most `concurrency` lanes at a time; each lane's items one after the
 * other, in order (clause G4: different resources in parallel, one resource in order).
 *
 * @param lanes - the lanes.
 * @param concurrency - how many lanes run at once.
 * @param work - runs one lane to its end.
 * @returns when every lane is done; rejects with the first error once every lane has stopped.
 *
 * @example
 * ```ts
 * await runInLanes([[0, 1], [2]], 2, async (lane) => { for (const i of lane) await handle(i); });
 * ```
 */
export async function runInLanes<T>(lanes: readonly T[], concurrency: number, work: (lane: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < lanes.length) {
      const lane = lanes[next++] as T;
      await work(lane);
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failure !== undefined) {
    throw failure.reason;
  }
}
