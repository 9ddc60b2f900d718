// dynalite with projectionkit's transactions (startDynalite) against AWS's DynamoDB Local
// (startDynamoDBLocal, the baseline), in the same run: how long each takes to start, and what one
// TransactWriteItems and one projected event cost on each. The ratios say what a test suite gains
// by running on dynalite.
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { createEventScope, streamEventVersions } from "@projectionkit/core";
import { createTable, documentItem, dynamoProjection, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { startDynalite, startDynamoDBLocal } from "@projectionkit/dynamodb-testing";
import { Bench } from "tinybench";
import { describeRun, SMOKE } from "./support/run-environment.ts";

interface Emulator {
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

type Deposited = { type: "Deposited"; account: string; amount: number };

// A smoke run (BENCH_SMOKE=1) measures dynalite alone, briefly, as its own baseline.
const emulators: Record<string, { start: () => Promise<Emulator>; startups: number }> = SMOKE
  ? { "dynalite + startDynalite transactions": { start: () => startDynalite(), startups: 2 } }
  : {
      "DynamoDB Local (baseline)": { start: () => startDynamoDBLocal(), startups: 3 },
      "dynalite + startDynalite transactions": { start: () => startDynalite(), startups: 20 },
    };

const handler: DynamoProjectionHandler<Deposited> = {
  configure(c) {
    c.identity("bench", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
    c.handlesEvents("Deposited");
  },
  handleEvent: (_scope, event) => [
    documentItem({
      Update: { TableName: "Balances", Key: { account: event.account }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": event.amount } },
    }),
  ],
};

/** Mean milliseconds from calling start() until the first request is answered. */
async function startup(start: () => Promise<Emulator>, times: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < times; i++) {
    const began = performance.now();
    const emulator = await start();
    await emulator.client.send(new ListTablesCommand({}));
    total += performance.now() - began;
    await emulator.stop();
  }
  return total / times;
}

async function prepare(client: DynamoDBClient): Promise<void> {
  await createTable(client, "Versions");
  await client.send(
    new CreateTableCommand({
      TableName: "Balances",
      AttributeDefinitions: [{ AttributeName: "account", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "account", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await client.send(new CreateTableCommand({
    TableName: "Raw",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
}

/** One TransactWriteItems as the adapter sends it: a conditional version Put and an Update. */
function rawTransaction(client: DynamoDBClient) {
  let i = 0;
  return async () => {
    i++;
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: "Raw", Item: { pk: { S: `v${i}` }, v: { N: String(i) } }, ConditionExpression: "attribute_not_exists(pk)" } },
          { Update: { TableName: "Raw", Key: { pk: { S: `acc-${i % 100}` } }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": { N: "1" } } } },
        ],
      }),
    );
  };
}

/** One event projected through dynamoProjection (a TransactWriteItems with the version check). */
function projectedEvent(client: DynamoDBClient) {
  const projection = dynamoProjection(client, "Versions", handler);
  const scope = createEventScope();
  let offset = 0;
  return async () => {
    const { resource, current, next } = streamEventVersions("acc-1", offset);
    if (!(await projection.handleEvent(resource, current, next, scope, { type: "Deposited", account: "acc-1", amount: 1 }))) {
      throw new Error(`offset ${offset} was not applied`);
    }
    offset++;
  };
}

const rows: { name: string; startupMs: number; transactionMs: number; eventMs: number }[] = [];
for (const [name, { start, startups }] of Object.entries(emulators)) {
  const startupMs = await startup(start, startups);
  const emulator = await start();
  try {
    await prepare(emulator.client);
    const bench = new Bench(SMOKE ? { time: 100, warmup: false } : { time: 3_000, warmup: true, warmupTime: 1_000 });
    bench.add("TransactWriteItems", rawTransaction(emulator.client)).add("projected event", projectedEvent(emulator.client));
    await bench.run();
    const mean = (index: number): number => {
      const result = bench.tasks[index]?.result;
      if (result === undefined || !("latency" in result)) throw new Error(`${name}: task ${index} has no result`);
      return result.latency.mean;
    };
    rows.push({ name, startupMs, transactionMs: mean(0), eventMs: mean(1) });
  } finally {
    await emulator.stop();
  }
}

const [base] = rows;
if (base === undefined) throw new Error("no baseline row");
console.log(describeRun());
console.log(`\nemulators: start-up (until the first answer) and sequential requests on one client (Node ${process.version})`);
console.log("| emulator | start-up ms | ratio | TransactWriteItems ms | ratio | projected event ms | ratio |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const row of rows) {
  console.log(
    `| ${row.name} | ${row.startupMs.toFixed(0)} | ${(row.startupMs / base.startupMs).toFixed(3)}× | ${row.transactionMs.toFixed(2)} | ${(row.transactionMs / base.transactionMs).toFixed(2)}× | ${row.eventMs.toFixed(2)} | ${(row.eventMs / base.eventMs).toFixed(2)}× |`,
  );
}
