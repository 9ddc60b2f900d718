import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DeliveryDriver, emptyCounts, type DeliveryCounts, type SourceEvent } from "@projectionkit/core";
import { createTable, dynamoProjection } from "@projectionkit/dynamodb";
import { BALANCES_TABLE, balanceProjection, createBalancesTable, uncoalescedBalanceProjection, VERSIONS_TABLE, type AccountEvent } from "./balance-projection.ts";
import { AtLeastOnceStream, makeHistory, seededRandom } from "./simulated-stream.ts";
import { injectFaults, meterRequests, type InjectedFaults, type WireMeter } from "./wire.ts";

/** How the demo runs. */
export interface DemoOptions {
  /** The endpoint of an empty DynamoDB (dynalite, DynamoDB Local). */
  readonly endpoint: string;
  readonly accounts?: number;
  readonly eventsPerAccount?: number;
  readonly workers?: number;
  /** How many deliveries a worker takes from the stream at a time (one `deliverAll`). Default 250. */
  readonly batchSize?: number;
  /** The driver's `maxBatchSize` (1 turns batching off). Default: the driver's. */
  readonly maxBatchSize?: number;
  readonly duplicateRate?: number;
  readonly faultRate?: number;
  readonly seed?: number;
  /** Called with a progress line now and then. */
  readonly progress?: (line: string) => void;
}

/** What the demo found. */
export interface DemoSummary {
  readonly events: number;
  readonly deliveries: number;
  readonly counts: DeliveryCounts;
  readonly faults: InjectedFaults;
  readonly requests: ReadonlyMap<string, number>;
  /** Write requests (all commands but reads) per event of the history. */
  readonly writeRequestsPerEvent: number;
  readonly writeUnits: number;
  readonly mismatches: readonly string[];
  readonly passed: boolean;
  readonly seconds: number;
}

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "demo", secretAccessKey: "demo" },
    maxAttempts: 1,
  });
}

/**
 * Runs the demo: a stream of account events, delivered at least once (with duplicates, redelivery
 * after failures, lost responses and throttling) to several workers at once, each projecting
 * through the DynamoDB adapter with a DeliveryDriver; then the read model is compared with the
 * expected fold of the history.
 *
 * @param options - where and how.
 * @returns the summary.
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const random = seededRandom(options.seed ?? 2026);
  const workers = options.workers ?? 4;
  const history = makeHistory(options.accounts ?? 40, options.eventsPerAccount ?? 25, random);
  const stream = new AtLeastOnceStream(history, options.duplicateRate ?? 0.25, random, workers);
  const meter: WireMeter = { requests: new Map() };
  const faults: InjectedFaults = { lostResponses: 0, throttled: 0 };

  const admin = clientFor(options.endpoint);
  await createTable(admin, VERSIONS_TABLE);
  await createBalancesTable(admin);

  const counts = emptyCounts();
  const add = (more: Readonly<DeliveryCounts>): void => {
    for (const key of Object.keys(counts) as Array<keyof DeliveryCounts>) {
      counts[key] += more[key];
    }
  };
  let lastProgress = 0;
  const worker = async (index: number): Promise<void> => {
    const client = clientFor(options.endpoint);
    meterRequests(client, meter);
    injectFaults(client, options.faultRate ?? 0.03, seededRandom((options.seed ?? 2026) + index + 1), faults);
    const driver = new DeliveryDriver(dynamoProjection(client, VERSIONS_TABLE, balanceProjection), {
      concurrency: 8,
      retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 50 },
      ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
    });
    try {
      while (!stream.isEmpty) {
        const batch = stream.take(options.batchSize ?? 250, index);
        if (batch.length === 0) {
          // Nothing for this worker now; another worker's failures may come back to it.
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        const report = await driver.deliverAll(batch);
        add(report.counts);
        // At-least-once: what did not settle (a gap, a failure) is delivered again later.
        stream.redeliver(report.reports.filter((r) => r.outcome !== "applied" && r.outcome !== "duplicate").map((r) => r.source));
        if (stream.handedOut - lastProgress >= 250) {
          lastProgress = stream.handedOut;
          options.progress?.(
            `  ${String(stream.handedOut).padStart(5)} deliveries · ${counts.applied} applied · ${counts.duplicates} duplicates · ${counts.gaps + counts.held} held back · ${counts.retries} retries`,
          );
        }
        // Let the other workers take their turn, as separate processes would.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      client.destroy();
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));

  const mismatches: string[] = [];
  const seen = new Map<string, { balance: number; events: number }>();
  let ExclusiveStartKey: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue> | undefined;
  do {
    const page = await admin.send(new ScanCommand({ TableName: BALANCES_TABLE, ConsistentRead: true, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      seen.set(String(item["account"]?.S), { balance: Number(item["balance"]?.N ?? 0), events: Number(item["events"]?.N ?? 0) });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  for (const [account, want] of history.expected) {
    const got = seen.get(account);
    if (got === undefined || got.balance !== want.balance || got.events !== want.events) {
      mismatches.push(`${account}: expected balance ${want.balance} from ${want.events} events, got ${got === undefined ? "nothing" : `${got.balance} from ${got.events}`}`);
    }
  }
  for (const account of seen.keys()) {
    if (!history.expected.has(account)) mismatches.push(`${account}: not in the history`);
  }
  admin.destroy();
  return {
    events: history.events.length,
    deliveries: stream.handedOut,
    counts,
    faults,
    requests: meter.requests,
    writeRequestsPerEvent: writeRequests(meter) / history.events.length,
    writeUnits: counts.writeUnits,
    mismatches,
    passed: mismatches.length === 0,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The write requests a meter saw: every command but reads. */
function writeRequests(meter: WireMeter): number {
  return [...meter.requests].filter(([command]) => !/^(Get|BatchGet|TransactGet|Scan|Query|Describe)/.test(command)).reduce((sum, [, n]) => sum + n, 0);
}

/** What the hot-account scenario found. */
export interface HotAccountSummary {
  readonly events: number;
  /** Write requests without `handleEvents`: one transaction per event. */
  readonly uncoalesced: number;
  /** Write requests with `handleEvents`: one Update per run of the account's events. */
  readonly coalesced: number;
  readonly passed: boolean;
}

/**
 * A hot account: `events` deposits into ONE account, delivered in one batch, projected twice:
 * without `handleEvents` (DynamoDB allows one action per item per transaction, so each event is a
 * transaction of its own) and with it (a run is one transaction with one Update of the sum).
 *
 * @param endpoint - the endpoint of the DynamoDB the demo runs on (its tables exist).
 * @param events - how many deposits.
 * @returns the write requests of each, and whether both balances are exact.
 */
export async function runHotAccount(endpoint: string, events = 500): Promise<HotAccountSummary> {
  const run = async (handler: typeof balanceProjection, account: string): Promise<{ requests: number; balance: number }> => {
    const client = clientFor(endpoint);
    const meter: WireMeter = { requests: new Map() };
    meterRequests(client, meter);
    try {
      const sources: SourceEvent<AccountEvent>[] = Array.from({ length: events }, (_, offset) => {
        const id = `${account}@${offset}`;
        return { stream: account, offset, id, event: { type: "Deposited", id, account, amount: 1 } };
      });
      const driver = new DeliveryDriver(dynamoProjection(client, VERSIONS_TABLE, handler, { keySchemas: { [BALANCES_TABLE]: ["account"] } }));
      await driver.deliverAll(sources);
      const page = await client.send(new ScanCommand({ TableName: BALANCES_TABLE, ConsistentRead: true }));
      const item = page.Items?.find((candidate) => candidate["account"]?.S === account);
      return { requests: writeRequests(meter), balance: Number(item?.["balance"]?.N ?? 0) };
    } finally {
      client.destroy();
    }
  };
  const without = await run(uncoalescedBalanceProjection, "hot-uncoalesced");
  const coalesced = await run(balanceProjection, "hot-coalesced");
  return { events, uncoalesced: without.requests, coalesced: coalesced.requests, passed: without.balance === events && coalesced.balance === events };
}
