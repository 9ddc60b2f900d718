// P2 requests per event and P3 write units per event, on each emulator, counted on the wire (client
// middleware that counts requests and reads the ConsumedCapacity DynamoDB returns; both emulators
// report it for TransactWriteItems too, but DynamoDB Local's figure for a transaction over two
// tables is wrong, so there the transactions' units follow the documented rule: see
// support/wire-meter.ts). The baseline, in the same run: one hand-written conditional
// TransactWriteItems per event (the version write and the event's item), what code without the
// adapter's single-item writes, batching or coalescing sends.
//
//   npm run build && npm run --workspace=@projectionkit/bench bench:requests
import { createEventScope, DeliveryDriver, streamEventVersions } from "@projectionkit/core";
import { dynamoProjection, versionItemKey } from "@projectionkit/dynamodb";
import { depositHandler, handWrittenEvent, HANDLER_KEY, type ProjectionShape } from "./support/balance-projection.ts";
import { depositEvents } from "./support/deposit-events.ts";
import { createUserTable, createVersionTable, onEachEmulator, writeUnitsOf, type Emulator } from "./support/emulators.ts";
import { describeRun, loadAverage, sized } from "./support/run-environment.ts";
import { meterClient, type WireCounts } from "./support/wire-meter.ts";

const SINGLE_EVENTS = sized(Number(process.env["REQUESTS_BENCH_SINGLE_EVENTS"] ?? 300), 10);
const BATCHED_EVENTS = sized(Number(process.env["REQUESTS_BENCH_BATCHED_EVENTS"] ?? 2_000), 40);

/**
 * One case's cost per event.
 *
 * @example
 * ```ts
 * const figures: RequestFigures[] = await runRequestsBench();
 * ```
 */
export interface RequestFigures {
  readonly emulator: string;
  readonly case: string;
  readonly events: number;
  readonly requestsPerEvent: number;
  readonly writeUnitsPerEvent: number;
  /** The same, as a ratio to the baseline of the same emulator. */
  readonly requestRatio: number;
  readonly writeUnitRatio: number;
  /** Where the transactions' write units come from, and how many reports differed from the rule. */
  readonly transactionUnits: "reported" | "rule";
  readonly transactionsOffRule: number;
  readonly loadAverage: number;
}

interface Measured {
  readonly case: string;
  readonly events: number;
  readonly counts: WireCounts;
}

async function measureOn({ name, createClient }: Emulator): Promise<Measured[]> {
  const client = createClient();
  const meter = meterClient(client);
  const versions = await createVersionTable(client);
  const table = await createUserTable(client, "Balances");
  const scope = createEventScope();
  const measured: Measured[] = [];
  const measure = async (label: string, events: number, body: () => Promise<void>) => {
    meter.reset();
    await body();
    measured.push({ case: label, events, counts: { ...meter.counts } });
  };

  const handKey = versionItemKey(HANDLER_KEY, new TextEncoder().encode("hand-written"));
  await measure("baseline: hand-written TransactWriteItems per one-item event", SINGLE_EVENTS, async () => {
    for (let offset = 0; offset < SINGLE_EVENTS; offset++) {
      const { current, next } = streamEventVersions("hand-written", offset);
      await handWrittenEvent(client, versions, handKey, current, next, table, "hand-written", 1);
    }
  });
  const single = async (label: string, shape: ProjectionShape) => {
    const projection = dynamoProjection(client, versions, depositHandler(table, shape));
    await measure(label, SINGLE_EVENTS, async () => {
      for (let offset = 0; offset < SINGLE_EVENTS; offset++) {
        const { resource, current, next } = streamEventVersions(`single-${shape}`, offset);
        const applied = await projection.handleEvent(resource, current, next, scope, { type: "Deposited", account: `single-${shape}`, amount: 1, id: `single-${shape}@${offset}` });
        if (!applied) throw new Error(`${name}: ${label}: offset ${offset} not applied`);
      }
    });
  };
  await single("zero-item event, handleEvent", "no items");
  await single("one-item event, handleEvent", "balance");
  const driven = async (label: string, shape: ProjectionShape, streams: number) => {
    const projection = dynamoProjection(client, versions, depositHandler(table, shape));
    const driver = new DeliveryDriver(projection);
    const events = depositEvents(`driven-${shape}`, streams, BATCHED_EVENTS / streams);
    await measure(label, events.length, async () => {
      const { counts } = await driver.deliverAll(events);
      if (counts.applied !== events.length) throw new Error(`${name}: ${label}: ${counts.applied} of ${events.length} applied`);
    });
  };
  await driven("zero-item events, DeliveryDriver (batching on)", "no items", 4);
  await driven("one-item events on distinct items, DeliveryDriver (batching on)", "row per event", 4);
  await driven("hot item, handleEvents coalescing, DeliveryDriver (batching on)", "balance, coalesced", 1);
  client.destroy();
  return measured;
}

/**
 * Runs P2 and P3 and returns their figures.
 *
 * @example
 * ```ts
 * printRequests(await runRequestsBench());
 * ```
 */
export async function runRequestsBench(): Promise<RequestFigures[]> {
  const figures: RequestFigures[] = [];
  for (const { emulator, units: transactionUnits, result } of await onEachEmulator(measureOn)) {
    const [baseline] = result;
    if (baseline === undefined) throw new Error("no baseline");
    const per = (m: Measured) => ({ requests: m.counts.requests / m.events, units: writeUnitsOf(m.counts, transactionUnits) / m.events });
    const base = per(baseline);
    for (const m of result) {
      const { requests, units } = per(m);
      figures.push({
        emulator,
        case: m.case,
        events: m.events,
        requestsPerEvent: requests,
        writeUnitsPerEvent: units,
        requestRatio: requests / base.requests,
        writeUnitRatio: units / base.units,
        transactionUnits,
        transactionsOffRule: m.counts.transactionsOffRule,
        loadAverage: loadAverage(),
      });
    }
  }
  return figures;
}

/**
 * Prints P2 and P3's table.
 *
 * @example
 * ```ts
 * printRequests(await runRequestsBench());
 * ```
 */
export function printRequests(figures: readonly RequestFigures[]): void {
  console.log(`\nP2 requests/event and P3 write units/event (ReturnConsumedCapacity), ratios to the hand-written baseline`);
  console.log("| emulator | case | events | requests/event | ratio | WCU/event | ratio | transactions' WCU from | reported ≠ rule |");
  console.log("|---|---|---:|---:|---:|---:|---:|---|---:|");
  for (const f of figures) {
    console.log(
      `| ${f.emulator} | ${f.case} | ${f.events} | ${f.requestsPerEvent.toFixed(4)} | ${f.requestRatio.toFixed(3)}× | ${f.writeUnitsPerEvent.toFixed(4)} | ${f.writeUnitRatio.toFixed(3)}× | ${f.transactionUnits} | ${f.transactionsOffRule} |`,
    );
  }
}

if (import.meta.main) {
  console.log(describeRun());
  printRequests(await runRequestsBench());
}
