import type { Breakage } from "./breakage.js";
import type { LedgerTables } from "./dynamo-ledger.js";

/** The environment variable that carries a worker's {@link CrashWorkerConfig}, as JSON. */
export const WORKER_CONFIG_ENV = "PROJECTIONKIT_CRASH_WORKER";

/** What a crash-run worker process is told. */
export interface CrashWorkerConfig {
  /** The commit gate's endpoint (in front of the emulator). */
  readonly endpoint: string;
  readonly tables: LedgerTables;
  /** Which of the slots this worker fills, from 0. */
  readonly slot: number;
  readonly slots: number;
  /** The history: streams × events per stream, from the seed. */
  readonly streams: number;
  readonly eventsPerStream: number;
  readonly seed: number;
  /** How many workers filled this slot before (each gets its own delivery order). */
  readonly generation: number;
  readonly breakage: Breakage;
}

/** What a worker tells the parent over IPC. */
export type WorkerMessage =
  | { readonly type: "resumed"; readonly owned: number; readonly stored: number }
  | { readonly type: "finished"; readonly deliveries: number };

/**
 * Whether a slot's worker delivers stream number `stream`: each stream has two owners (its slot and
 * the next), so two processes race on every stream, and a stream goes on while one owner is dead.
 *
 * @param slot - the worker's slot.
 * @param slots - how many slots.
 * @param stream - the stream's number in the history.
 * @returns whether the worker delivers it.
 *
 * @example
 * ```ts
 * const mine = history.streams.filter((_, i) => ownsStream(config.slot, config.slots, i));
 * ```
 */
export function ownsStream(slot: number, slots: number, stream: number): boolean {
  return stream % slots === slot || (stream + 1) % slots === slot;
}
