// The DeliveryDriver's maxBatchSize on dynalite: time and write requests per event for batch sizes
// 1 (batching off, the baseline) to 1,000, for four kinds of projection. The default of
// maxBatchSize comes from this table (BENCHMARKS.md).
//
// Each run delivers 2,000 events over 4 streams (contiguous offsets, 500 per stream, in order) with
// one deliverAll call, concurrency 4, through dynamoProjection on startDynalite(); a fresh set of
// streams per run. The sizes take turns within each round, so that the machine's load drifts over
// all of them alike. Write requests are counted on the wire, with client middleware.
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeliveryDriver, type SourceEvent } from "@projectionkit/core";
import { createTable, documentItem, dynamoProjection, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { startDynalite } from "@projectionkit/dynamodb-testing";
import { describeRun, SMOKE, sized } from "./support/run-environment.ts";
import { median } from "./support/statistics.ts";

type Deposited = { type: "Deposited"; id: string; account: string; amount: number };

const SIZES: readonly number[] = SMOKE ? [1, 10] : [1, 10, 25, 50, 100, 250, 500, 1000];
const STREAMS = 4;
const PER_STREAM = sized(500, 10);
const RUNS = sized(Number(process.env["BENCH_RUNS"] ?? 2), 1);
const WRITES = new Set(["TransactWriteItemsCommand", "PutItemCommand", "UpdateItemCommand", "DeleteItemCommand"]);

const balance = (account: string, amount: number) =>
  documentItem({ Update: { TableName: "Rows", Key: { pk: `balance#${account}` }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": amount } } });

/** The kinds of projection: how many items each event writes, and to what. */
const projections: Record<string, Pick<DynamoProjectionHandler<Deposited>, "handleEvent" | "handleEvents">> = {
  "one row per event": { handleEvent: (_scope, event) => [documentItem({ Put: { TableName: "Rows", Item: { pk: event.id, amount: event.amount } } })] },
  "no items": { handleEvent: () => [] },
  "row + shared balance item": {
    handleEvent: (_scope, event) => [documentItem({ Put: { TableName: "Rows", Item: { pk: event.id, amount: event.amount } } }), balance(event.account, event.amount)],
  },
  "shared balance item, coalesced (handleEvents)": {
    handleEvent: (_scope, event) => [balance(event.account, event.amount)],
    handleEvents: (deliveries) => [balance(deliveries[0]?.event.account ?? "", deliveries.reduce((sum, { event }) => sum + event.amount, 0))],
  },
};

function countWrites(client: DynamoDBClient): { count: number } {
  const counter = { count: 0 };
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (WRITES.has(String(context.commandName))) counter.count++;
      return next(args);
    }) as never,
    { step: "initialize", name: "countWrites" },
  );
  return counter;
}

function events(run: string, perStream: number): SourceEvent<Deposited>[] {
  const all: SourceEvent<Deposited>[] = [];
  for (let offset = 0; offset < perStream; offset++) {
    for (let s = 0; s < STREAMS; s++) {
      const account = `${run}-acc-${s}`;
      all.push({ stream: account, offset, event: { type: "Deposited", id: `${account}@${offset}`, account, amount: 1 } });
    }
  }
  return all;
}

const dynalite = await startDynalite();
try {
  await createTable(dynalite.client, "Versions");
  await dynalite.client.send(
    new CreateTableCommand({
      TableName: "Rows",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const client = dynalite.createClient();
  const writes = countWrites(client);
  let runs = 0;
  console.log(describeRun());
  console.log(`\nbatch size: ${STREAMS * PER_STREAM} events over ${STREAMS} streams per run, median of ${RUNS} runs, Node ${process.version}`);
  for (const [name, logic] of Object.entries(projections)) {
    const projection = dynamoProjection(client, "Versions", {
      configure(c) {
        c.identity("bench", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
        c.handlesEvents("Deposited");
      },
      ...logic,
    });
    const times = new Map<number, number[]>(SIZES.map((size) => [size, []]));
    const requests = new Map<number, number[]>(SIZES.map((size) => [size, []]));
    // The first round warms up, on a tenth of the events: enough to compile the paths, and a third
    // less time for the whole bench.
    for (let round = 0; round <= RUNS; round++) {
      for (const maxBatchSize of SIZES) {
        const batch = events(`run${++runs}`, round === 0 ? Math.max(1, Math.ceil(PER_STREAM / 10)) : PER_STREAM);
        const driver = new DeliveryDriver(projection, { concurrency: STREAMS, maxBatchSize });
        writes.count = 0;
        const began = performance.now();
        const { counts } = await driver.deliverAll(batch);
        const ms = performance.now() - began;
        if (counts.applied !== batch.length) throw new Error(`only ${counts.applied} of ${batch.length} applied`);
        if (round > 0) {
          times.get(maxBatchSize)?.push(ms / batch.length);
          requests.get(maxBatchSize)?.push(writes.count / batch.length);
        }
      }
    }
    console.log(`\n${name}\n| maxBatchSize | ms/event | write requests/event | events/s | time ratio to 1 |\n|---:|---:|---:|---:|---:|`);
    const baseline = median(times.get(1) ?? []);
    for (const maxBatchSize of SIZES) {
      const msPerEvent = median(times.get(maxBatchSize) ?? []);
      console.log(`| ${maxBatchSize} | ${msPerEvent.toFixed(3)} | ${median(requests.get(maxBatchSize) ?? []).toFixed(4)} | ${Math.round(1000 / msPerEvent)} | ${(msPerEvent / baseline).toFixed(2)}× |`);
    }
  }
  client.destroy();
} finally {
  await dynalite.stop();
}
