// P4: projectionkit against the Go library's algorithm (support/go-algorithm.ts), side by side on
// the same at-least-once source: 10 hot resources (accounts), 4 workers taking batches of 50
// deliveries from one seeded source (a quarter of the events delivered twice, runs of 10 moved by up
// to 3 places, unsettled deliveries redelivered 100 deliveries later), each event adding its amount
// to its account's balance. Ours is a DeliveryDriver (default settings: batching on) over
// dynamoProjection in each worker, with the same one-Update handler, and once more with
// handleEvents coalescing. Requests and write units (ReturnConsumedCapacity; the documented rule
// for DynamoDB Local's transactions, see support/wire-meter.ts) are counted on the wire; each is divided by the events applied, and compared with the Go algorithm's. Every run
// must end with the exact balances (the fold of the history), checked by a Scan.
//
//   npm run build && npm run --workspace=@projectionkit/bench bench:versus-go
import { ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeliveryDriver, type OffsetSourceEvent } from "@projectionkit/core";
import { dynamoProjection } from "@projectionkit/dynamodb";
import { addToBalance, depositHandler, type Deposited, type ProjectionShape } from "./support/balance-projection.ts";
import { AtLeastOnceSource, drain, seededRandom, shuffledDeliveries } from "./support/at-least-once-source.ts";
import { createUserTable, createVersionTable, onEachEmulator, writeUnitsOf, type Emulator } from "./support/emulators.ts";
import { goEngineBatch, GoDynamoProjection } from "./support/go-algorithm.ts";
import { describeRun, loadAverage, sized } from "./support/run-environment.ts";
import { meterClient, type WireCounts } from "./support/wire-meter.ts";

const RESOURCES = 10;
const WORKERS = 4;
const BATCH = 50;
const PER_RESOURCE = sized(Number(process.env["VERSUS_GO_BENCH_EVENTS_PER_RESOURCE"] ?? 30), 3);
const SHAPE = { duplicateShare: 0.25, runLength: 10, jitter: 3, redeliveryDelay: 100 } as const;

/**
 * One algorithm's cost on one emulator.
 *
 * @example
 * ```ts
 * const [go, ours]: VersusGoFigures[] = await runVersusGoBench();
 * ```
 */
export interface VersusGoFigures {
  readonly emulator: string;
  readonly algorithm: string;
  readonly events: number;
  readonly deliveries: number;
  readonly requestsPerEvent: number;
  readonly writeUnitsPerEvent: number;
  readonly readUnitsPerEvent: number;
  readonly failedRequestsPerEvent: number;
  /** Ours ÷ Go (1 for the Go row). */
  readonly requestRatio: number;
  readonly writeUnitRatio: number;
  /** Whether the balances read back equal the fold of the history. */
  readonly readModelExact: boolean;
  readonly seconds: number;
  readonly loadAverage: number;
}

function history(): OffsetSourceEvent<Deposited>[] {
  const random = seededRandom(11);
  const events: OffsetSourceEvent<Deposited>[] = [];
  for (let offset = 0; offset < PER_RESOURCE; offset++) {
    for (let r = 0; r < RESOURCES; r++) {
      const account = `acc-${r}`;
      events.push({ stream: account, offset, event: { type: "Deposited", account, amount: 1 + Math.floor(random() * 9), id: `${account}@${offset}` } });
    }
  }
  return events;
}

async function balances(client: DynamoDBClient, table: string): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    for (const item of page.Items ?? []) result.set(item["pk"]?.S ?? "", Number(item["balance"]?.N ?? "0"));
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  return result;
}

interface Run {
  readonly algorithm: string;
  readonly counts: WireCounts;
  readonly deliveries: number;
  readonly exact: boolean;
  readonly seconds: number;
}

async function runOn({ createClient }: Emulator): Promise<Run[]> {
  const events = history();
  const expected = new Map<string, number>();
  for (const { event } of events) expected.set(event.account, (expected.get(event.account) ?? 0) + event.amount);
  const deliveries = shuffledDeliveries(events, SHAPE, seededRandom(7));
  const runs: Run[] = [];
  const measure = async (algorithm: string, body: (client: DynamoDBClient, versions: string, table: string, source: AtLeastOnceSource<Deposited>) => Promise<void>) => {
    const client = createClient();
    const versions = await createVersionTable(client);
    const table = await createUserTable(client, "Balances");
    const meter = meterClient(client);
    const source = new AtLeastOnceSource(deliveries, SHAPE.redeliveryDelay);
    const began = performance.now();
    await body(client, versions, table, source);
    const seconds = (performance.now() - began) / 1000;
    const counts = { ...meter.counts };
    const stored = await balances(client, table);
    const exact = stored.size === expected.size && [...expected].every(([account, amount]) => stored.get(account) === amount);
    client.destroy();
    runs.push({ algorithm, counts, deliveries: source.deliveries, exact, seconds });
  };
  await measure("Go v0.7.1 algorithm (baseline)", async (client, versions, table, source) => {
    const go = new GoDynamoProjection(client, versions, "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
    await drain(source, WORKERS, BATCH, (batch) => goEngineBatch(go, batch, (event) => [addToBalance(table, event.account, event.amount)]));
  });
  const ours = (label: string, shape: ProjectionShape) =>
    measure(label, async (client, versions, table, source) => {
      const projection = dynamoProjection(client, versions, depositHandler(table, shape));
      await drain(source, WORKERS, BATCH, async (batch) => (await new DeliveryDriver(projection).deliverAll(batch)).reports.map(({ source, outcome }) => ({ source: source as OffsetSourceEvent<Deposited>, outcome })));
    });
  await ours("ours: DeliveryDriver, same handler", "balance");
  await ours("ours: DeliveryDriver, handleEvents coalescing", "balance, coalesced");
  return runs;
}

/**
 * Runs P4 and returns its figures.
 *
 * @example
 * ```ts
 * printVersusGo(await runVersusGoBench());
 * ```
 */
export async function runVersusGoBench(): Promise<VersusGoFigures[]> {
  const figures: VersusGoFigures[] = [];
  const events = RESOURCES * PER_RESOURCE;
  for (const { emulator, units, result } of await onEachEmulator(runOn)) {
    const [go] = result;
    if (go === undefined) throw new Error("no Go run");
    for (const run of result) {
      figures.push({
        emulator,
        algorithm: run.algorithm,
        events,
        deliveries: run.deliveries,
        requestsPerEvent: run.counts.requests / events,
        writeUnitsPerEvent: writeUnitsOf(run.counts, units) / events,
        readUnitsPerEvent: run.counts.readUnits / events,
        failedRequestsPerEvent: run.counts.failed / events,
        requestRatio: run.counts.requests / go.counts.requests,
        writeUnitRatio: writeUnitsOf(run.counts, units) / writeUnitsOf(go.counts, units),
        readModelExact: run.exact,
        seconds: run.seconds,
        loadAverage: loadAverage(),
      });
    }
  }
  return figures;
}

/**
 * Prints P4's table.
 *
 * @example
 * ```ts
 * printVersusGo(await runVersusGoBench());
 * ```
 */
export function printVersusGo(figures: readonly VersusGoFigures[]): void {
  console.log(`\nP4 vs the Go library's algorithm: ${RESOURCES} hot resources × ${PER_RESOURCE} events, ${WORKERS} workers, batches of ${BATCH}, 25% duplicates, reordered`);
  console.log("| emulator | algorithm | deliveries | requests/applied event | ratio to Go | WCU/applied event | ratio to Go | RCU/event | failed req./event | read model exact | s |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
  for (const f of figures) {
    console.log(
      `| ${f.emulator} | ${f.algorithm} | ${f.deliveries} | ${f.requestsPerEvent.toFixed(3)} | ${f.requestRatio.toFixed(3)}× | ${f.writeUnitsPerEvent.toFixed(3)} | ${f.writeUnitRatio.toFixed(3)}× | ${f.readUnitsPerEvent.toFixed(3)} | ${f.failedRequestsPerEvent.toFixed(3)} | ${f.readModelExact ? "yes" : "NO"} | ${f.seconds.toFixed(1)} |`,
    );
  }
}

if (import.meta.main) {
  console.log(describeRun());
  printVersusGo(await runVersusGoBench());
}
