// P7: one hot resource (a single balance item and a single version item), delivered by the
// DeliveryDriver with maxBatchSize k = 1, 10, 50, 100 and handleEvents coalescing each batch into
// one Update: measured write units and requests per event, against the model in BENCHMARKS.md
// (a partition key takes about 1,000 WCU/s; a transaction of 2 items under 1 KB costs 4 WCU, so
// one per event tops out near 250 events/s, and a coalesced batch of k costs about 4 WCU per k
// events). The ceiling columns are 1,000 WCU/s divided by the model's and by the measured write
// units per event. k = 1 is the baseline: one transaction per event.
//
//   npm run build && npm run --workspace=@projectionkit/bench bench:hot-partition
import { DeliveryDriver } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import { depositHandler } from "./support/balance-projection.ts";
import { depositEvents } from "./support/deposit-events.ts";
import { createUserTable, createVersionTable, onEachEmulator, writeUnitsOf, type Emulator } from "./support/emulators.ts";
import { describeRun, loadAverage, sized } from "./support/run-environment.ts";
import { meterClient } from "./support/wire-meter.ts";

const BATCH_SIZES = [1, 10, 50, 100] as const;
const EVENTS = sized(Number(process.env["HOT_PARTITION_BENCH_EVENTS"] ?? 300), 20);
/** What one partition key takes, by DynamoDB's documented per-partition limit. */
const PARTITION_WCU_PER_SECOND = 1_000;
/** A transaction of the version item and one balance item, each under 1 KB: 2 × 2 WCU. */
const TRANSACTION_WCU = 4;

/**
 * One batch size on one emulator.
 *
 * @example
 * ```ts
 * const [k1]: HotPartitionFigures[] = await runHotPartitionBench();
 * ```
 */
export interface HotPartitionFigures {
  readonly emulator: string;
  readonly maxBatchSize: number;
  readonly requestsPerEvent: number;
  readonly writeUnitsPerEvent: number;
  /** The model's write units per event: 4 / k. */
  readonly modelWriteUnitsPerEvent: number;
  /** Events per second one partition key allows: by the model, and with the measured units. */
  readonly modelCeiling: number;
  readonly measuredCeiling: number;
  /** Write units per event ÷ those of k = 1 in the same run. */
  readonly writeUnitRatio: number;
  /** Events per second on the emulator (one stream, so one transaction at a time). */
  readonly emulatorEventsPerSecond: number;
  readonly loadAverage: number;
}

async function measureOn({ createClient, transactionUnits }: Emulator): Promise<Array<Omit<HotPartitionFigures, "emulator" | "writeUnitRatio">>> {
  const client = createClient();
  const meter = meterClient(client);
  const versions = await createVersionTable(client);
  const table = await createUserTable(client, "Balances");
  const projection = dynamoProjection(client, versions, depositHandler(table, "balance, coalesced"));
  const rows: Array<Omit<HotPartitionFigures, "emulator" | "writeUnitRatio">> = [];
  for (const maxBatchSize of BATCH_SIZES) {
    const events = depositEvents(`hot-k${maxBatchSize}`, 1, EVENTS);
    const driver = new DeliveryDriver(projection, { maxBatchSize });
    meter.reset();
    const began = performance.now();
    const { counts } = await driver.deliverAll(events);
    const seconds = (performance.now() - began) / 1000;
    if (counts.applied !== events.length) throw new Error(`k=${maxBatchSize}: ${counts.applied} of ${events.length} applied`);
    const writeUnitsPerEvent = writeUnitsOf(meter.counts, transactionUnits) / events.length;
    const modelWriteUnitsPerEvent = TRANSACTION_WCU / maxBatchSize;
    rows.push({
      maxBatchSize,
      requestsPerEvent: meter.counts.requests / events.length,
      writeUnitsPerEvent,
      modelWriteUnitsPerEvent,
      modelCeiling: PARTITION_WCU_PER_SECOND / modelWriteUnitsPerEvent,
      measuredCeiling: PARTITION_WCU_PER_SECOND / writeUnitsPerEvent,
      emulatorEventsPerSecond: events.length / seconds,
      loadAverage: loadAverage(),
    });
  }
  client.destroy();
  return rows;
}

/**
 * Runs P7 and returns its figures.
 *
 * @example
 * ```ts
 * printHotPartition(await runHotPartitionBench());
 * ```
 */
export async function runHotPartitionBench(): Promise<HotPartitionFigures[]> {
  const figures: HotPartitionFigures[] = [];
  for (const { emulator, result } of await onEachEmulator(measureOn)) {
    const base = result[0]?.writeUnitsPerEvent ?? Number.NaN;
    for (const row of result) figures.push({ emulator, ...row, writeUnitRatio: row.writeUnitsPerEvent / base });
  }
  return figures;
}

/**
 * Prints P7's table.
 *
 * @example
 * ```ts
 * printHotPartition(await runHotPartitionBench());
 * ```
 */
export function printHotPartition(figures: readonly HotPartitionFigures[]): void {
  console.log(`\nP7 hot partition: ${EVENTS} events on one resource, handleEvents coalescing, DeliveryDriver maxBatchSize k`);
  console.log("| emulator | k | requests/event | WCU/event | ratio to k=1 | model WCU/event | ceiling by model (events/s per key) | ceiling by measured WCU | on the emulator, events/s |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const f of figures) {
    console.log(
      `| ${f.emulator} | ${f.maxBatchSize} | ${f.requestsPerEvent.toFixed(3)} | ${f.writeUnitsPerEvent.toFixed(3)} | ${f.writeUnitRatio.toFixed(3)}× | ${f.modelWriteUnitsPerEvent.toFixed(3)} | ${f.modelCeiling.toFixed(0)} | ${f.measuredCeiling.toFixed(0)} | ${f.emulatorEventsPerSecond.toFixed(0)} |`,
    );
  }
}

if (import.meta.main) {
  console.log(describeRun());
  printHotPartition(await runHotPartitionBench());
}
