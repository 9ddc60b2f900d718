import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DeliveryDriver, emptyCounts, type DeliveryCounts } from "@projectionkit/core";
import { createTable, dynamoProjection } from "@projectionkit/dynamodb";
import { BALANCES_TABLE, balanceProjection, createBalancesTable, VERSIONS_TABLE } from "./balance-projection.ts";
import { AtLeastOnceStream, makeHistory, seededRandom } from "./simulated-stream.ts";
import { injectFaults, meterRequests, type InjectedFaults, type WireMeter } from "./wire.ts";

/** How the demo runs. */
export interface DemoOptions {
  /** The endpoint of an empty DynamoDB (dynalite, DynamoDB Local). */
  readonly endpoint: string;
  readonly accounts?: number;
  readonly eventsPerAccount?: number;
  readonly workers?: number;
  readonly batchSize?: number;
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
  const stream = new AtLeastOnceStream(history, options.duplicateRate ?? 0.25, random);
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
    });
    try {
      while (!stream.isEmpty) {
        const batch = stream.take(options.batchSize ?? 20);
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
    writeUnits: counts.writeUnits,
    mismatches,
    passed: mismatches.length === 0,
    seconds: (performance.now() - started) / 1000,
  };
}
