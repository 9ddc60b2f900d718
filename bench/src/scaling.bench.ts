// P6: throughput with 1, 2, 4 and 8 concurrent workers against one emulator, each worker on a
// resource of its own (no conflicts): sequential dynamoProjection.handleEvent calls with one Update
// each (one TransactWriteItems per event). Events per second of all workers together, and the ratio
// to 1 worker measured in the same round; the worker counts take turns within each round, and the
// table gives the median of the rounds.
//
//   npm run build && npm run --workspace=@projectionkit/bench bench:scaling
import { createEventScope, streamEventVersions } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import { depositHandler } from "./support/balance-projection.ts";
import { createUserTable, createVersionTable, onEachEmulator, type Emulator } from "./support/emulators.ts";
import { describeRun, loadAverage, sized } from "./support/run-environment.ts";
import { median } from "./support/statistics.ts";

const WORKER_COUNTS = [1, 2, 4, 8] as const;
const EVENTS_PER_WORKER = sized(Number(process.env["SCALING_BENCH_EVENTS_PER_WORKER"] ?? 80), 4);
const ROUNDS = sized(Number(process.env["SCALING_BENCH_ROUNDS"] ?? 3), 1);

/**
 * Throughput with one worker count on one emulator.
 *
 * @example
 * ```ts
 * const figures: ScalingFigures[] = await runScalingBench();
 * ```
 */
export interface ScalingFigures {
  readonly emulator: string;
  readonly workers: number;
  readonly eventsPerSecond: number;
  /** Events per second ÷ those of 1 worker, median over the rounds. */
  readonly ratioToOneWorker: number;
  readonly loadAverage: number;
}

async function measureOn({ client }: Emulator): Promise<Map<number, { rates: number[]; ratios: number[] }>> {
  const versions = await createVersionTable(client);
  const table = await createUserTable(client, "Balances");
  const projection = dynamoProjection(client, versions, depositHandler(table, "balance"));
  const scope = createEventScope();
  const results = new Map(WORKER_COUNTS.map((count) => [count as number, { rates: [] as number[], ratios: [] as number[] }]));
  let streams = 0;
  const worker = async (stream: string) => {
    for (let offset = 0; offset < EVENTS_PER_WORKER; offset++) {
      const { resource, current, next } = streamEventVersions(stream, offset);
      if (!(await projection.handleEvent(resource, current, next, scope, { type: "Deposited", account: stream, amount: 1, id: "" }))) {
        throw new Error(`${stream}@${offset} not applied`);
      }
    }
  };
  // One warm-up round, then the measured ones.
  for (let round = -1; round < ROUNDS; round++) {
    const rates = new Map<number, number>();
    for (const count of WORKER_COUNTS) {
      const began = performance.now();
      await Promise.all(Array.from({ length: count }, () => worker(`stream-${++streams}`)));
      rates.set(count, (count * EVENTS_PER_WORKER) / ((performance.now() - began) / 1000));
    }
    if (round < 0) continue;
    for (const count of WORKER_COUNTS) {
      const entry = results.get(count);
      entry?.rates.push(rates.get(count) as number);
      entry?.ratios.push((rates.get(count) as number) / (rates.get(1) as number));
    }
  }
  return results;
}

/**
 * Runs P6 and returns its figures.
 *
 * @example
 * ```ts
 * printScaling(await runScalingBench());
 * ```
 */
export async function runScalingBench(): Promise<ScalingFigures[]> {
  const figures: ScalingFigures[] = [];
  for (const { emulator, result } of await onEachEmulator(measureOn)) {
    for (const [workers, { rates, ratios }] of result) {
      figures.push({ emulator, workers, eventsPerSecond: median(rates), ratioToOneWorker: median(ratios), loadAverage: loadAverage() });
    }
  }
  return figures;
}

/**
 * Prints P6's table.
 *
 * @example
 * ```ts
 * printScaling(await runScalingBench());
 * ```
 */
export function printScaling(figures: readonly ScalingFigures[]): void {
  console.log(`\nP6 scaling: workers on distinct resources, ${EVENTS_PER_WORKER} sequential events each, one emulator; median of ${ROUNDS} rounds`);
  console.log("| emulator | workers | events/s | ratio to 1 worker | load avg |");
  console.log("|---|---:|---:|---:|---:|");
  for (const f of figures) {
    console.log(`| ${f.emulator} | ${f.workers} | ${f.eventsPerSecond.toFixed(0)} | ${f.ratioToOneWorker.toFixed(2)}× | ${f.loadAverage.toFixed(1)} |`);
  }
}

if (import.meta.main) {
  console.log(describeRun());
  printScaling(await runScalingBench());
}
