// Deposits as a source hands them to the driver: streams (one per account) of contiguous offsets.
import type { OffsetSourceEvent } from "@projectionkit/core";
import type { Deposited } from "./balance-projection.ts";

/**
 * `perStream` deposits of 1 on each of `streams` accounts named `${prefix}-acc-${i}`, streams interleaved.
 *
 * @example
 * ```ts
 * await driver.deliverAll(depositEvents("run1", 4, 500)); // 2,000 events
 * ```
 */
export function depositEvents(prefix: string, streams: number, perStream: number): OffsetSourceEvent<Deposited>[] {
  const events: OffsetSourceEvent<Deposited>[] = [];
  for (let offset = 0; offset < perStream; offset++) {
    for (let s = 0; s < streams; s++) {
      const account = `${prefix}-acc-${s}`;
      events.push({ stream: account, offset, event: { type: "Deposited", account, amount: 1, id: `${account}@${offset}` } });
    }
  }
  return events;
}
