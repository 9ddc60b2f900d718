/** How the workers' drivers commit: one event per commit, or runs of a stream together (G8). */
export interface SoakMode {
  readonly name: "unbatched" | "batched";
  /** The driver's `maxBatchSize`: `1` turns batching off. */
  readonly maxBatchSize: number;
}

/** One `handleEvent` per event. */
export const UNBATCHED: SoakMode = Object.freeze({ name: "unbatched", maxBatchSize: 1 });

/** Runs of up to 25 events of one stream per `handleEventBatch`. */
export const BATCHED: SoakMode = Object.freeze({ name: "batched", maxBatchSize: 25 });

/** The modes the soak runs: each backend once per mode, the driver's `maxBatchSize` set by the mode. */
export const SOAK_MODES: readonly SoakMode[] = [UNBATCHED, BATCHED];
