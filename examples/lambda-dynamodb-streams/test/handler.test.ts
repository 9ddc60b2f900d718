import { createHash, randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { isProjectionKitError, type DeliveryDriverOptions, type DeliveryOutcome, type RecordFailure } from "@projectionkit/core";
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, JAVA_INSTALL_HINT, startDynalite, startDynamoDBLocal, type RunningEmulator } from "@projectionkit/dynamodb-testing";
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, DynamoDBStreamHandler } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import { createHandler } from "../src/create-handler.js";
import { MalformedOrderRecordError, type Order, type OrderEvent } from "../src/customer-totals-projection.js";
import { createProjectionTables, readCustomerTotals, type ProjectionTables } from "../src/tables.js";

// ---------------------------------------------------------------------------------------------
// DynamoDB Streams records of the Orders table, shaped like the ones Lambda delivers.

const STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-11-26T00:00:00.000";
/** 2026-11-26T00:00:00Z, in seconds. */
const CREATED_AT = 1_795_651_200;

type Image = Record<string, AttributeValue>;

/** The n-th sequence number of the shard: increasing decimal strings, as DynamoDB Streams gives. */
function seq(n: number): string {
  return (111_000_000_000_000_000_000n + BigInt(n)).toString();
}

function image(order: Order): Image {
  return {
    orderId: { S: order.orderId },
    customerId: { S: order.customerId },
    total: { N: String(order.total) },
    status: { S: order.status },
  };
}

/** DynamoDB's item size rule, roughly: attribute names plus values, in bytes. */
function sizeOf(...images: Array<Image | undefined>): number {
  let size = 0;
  for (const item of images) {
    for (const [name, value] of Object.entries(item ?? {})) {
      size += Buffer.byteLength(name) + Buffer.byteLength(value.S ?? value.N ?? "");
    }
  }
  return size;
}

function streamRecord(n: number, eventName: "INSERT" | "MODIFY" | "REMOVE", images: { NewImage?: Image; OldImage?: Image }): DynamoDBRecord {
  const sequenceNumber = seq(n);
  const orderId = (images.NewImage ?? images.OldImage)?.["orderId"];
  const keys = { orderId: orderId ?? { S: "" } };
  return {
    eventID: createHash("md5").update(sequenceNumber).digest("hex"),
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      ApproximateCreationDateTime: CREATED_AT + n,
      Keys: keys,
      ...images,
      SequenceNumber: sequenceNumber,
      SizeBytes: sizeOf(keys, images.NewImage, images.OldImage),
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    eventSourceARN: STREAM_ARN,
  };
}

const placed = (n: number, order: Order | Image): DynamoDBRecord => streamRecord(n, "INSERT", { NewImage: asImage(order) });
const changed = (n: number, before: Order | Image, after: Order | Image): DynamoDBRecord =>
  streamRecord(n, "MODIFY", { OldImage: asImage(before), NewImage: asImage(after) });
const removed = (n: number, order: Order | Image): DynamoDBRecord => streamRecord(n, "REMOVE", { OldImage: asImage(order) });

function asImage(order: Order | Image): Image {
  return "orderId" in order && typeof order.orderId === "string" ? image(order as Order) : (order as Image);
}

function order(orderId: string, customerId: string, total: number, status: string): Order {
  return { orderId, customerId, total, status };
}

function streamEvent(...records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}

/** A Lambda context of a function with a 60 s timeout, invoked now. */
function lambdaContext(timeoutMs = 60_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "project-customer-totals",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:project-customer-totals",
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/project-customer-totals",
    logStreamName: `2026/11/26/[$LATEST]${randomUUID().replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

const failuresOf = (...ns: number[]): DynamoDBBatchResponse => ({ batchItemFailures: ns.map((n) => ({ itemIdentifier: seq(n) })) });

// ---------------------------------------------------------------------------------------------
// Watching and breaking the wire (client middleware; DynamoDB Local does the real work).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Middleware = (next: (args: { input: any }) => Promise<unknown>, context: { commandName?: string }) => (args: { input: any }) => Promise<unknown>;

const WRITE_COMMANDS = new Set(["PutItemCommand", "UpdateItemCommand", "DeleteItemCommand", "TransactWriteItemsCommand", "BatchWriteItemCommand"]);

interface Write {
  readonly command: string;
  /** The tables it wrote. */
  readonly tables: readonly string[];
}

/** Records every write request that succeeded, with the tables it wrote. */
function watchWrites(client: DynamoDBClient): { readonly writes: Write[]; to(table: string): Write[] } {
  const writes: Write[] = [];
  const middleware: Middleware = (next, context) => async (args) => {
    const result = await next(args);
    const command = String(context.commandName);
    if (WRITE_COMMANDS.has(command)) {
      writes.push({ command, tables: tablesOf(args.input) });
    }
    return result;
  };
  client.middlewareStack.add(middleware as never, { step: "initialize", name: `watchWrites-${randomUUID()}` });
  return { writes, to: (table) => writes.filter((write) => write.tables.includes(table)) };
}

function tablesOf(input: {
  TableName?: string;
  TransactItems?: Array<Record<string, { TableName?: string } | undefined>>;
  RequestItems?: Record<string, unknown>;
}): string[] {
  if (input.TableName !== undefined) return [input.TableName];
  if (input.RequestItems !== undefined) return Object.keys(input.RequestItems);
  return (input.TransactItems ?? []).flatMap((item) => Object.values(item).flatMap((action) => (action?.TableName === undefined ? [] : [action.TableName])));
}

/**
 * Throttles every transaction that updates the totals of `customerId` (a hot partition), as the
 * service answers it, until disarmed.
 */
function throttleCustomer(client: DynamoDBClient, customerId: string): { disarm(): void; readonly hits: number } {
  let armed = true;
  let hits = 0;
  const middleware: Middleware = (next, context) => async (args) => {
    const items: Array<{ Update?: { Key?: Record<string, { S?: string }> } }> = args.input?.TransactItems ?? [];
    if (armed && context.commandName === "TransactWriteItemsCommand" && items.some((item) => item.Update?.Key?.["customerId"]?.S === customerId)) {
      hits++;
      throw Object.assign(new Error("Throughput exceeds the current capacity for one or more global secondary indexes."), {
        name: "ProvisionedThroughputExceededException",
        $fault: "client",
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
    }
    return next(args);
  };
  client.middlewareStack.add(middleware as never, { step: "deserialize", name: `throttle-${randomUUID()}`, priority: "high" });
  return {
    disarm: () => void (armed = false),
    get hits() {
      return hits;
    },
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * AWS's DynamoDB Local where Java is; elsewhere, why its suite is skipped. With CI=true a missing
 * Java fails the file, so that CI never skips it.
 */
const dynamoDBLocal: RunningEmulator | string = await startDynamoDBLocal().catch((error: unknown) => {
  if (isProjectionKitError(error, "ERR_JAVA_NOT_FOUND") && process.env["CI"] !== "true") {
    return `Java was not found. ${JAVA_INSTALL_HINT}`;
  }
  throw error;
});

// Its suite stops it; this is for a run that filters that suite out.
afterAll(async () => {
  if (typeof dynamoDBLocal !== "string") await dynamoDBLocal.stop();
});

/** The emulator of the suite that runs (the file's suites run one after the other). */
let emulator: RunningEmulator | undefined;
let tableCount = 0;

/**
 * A fresh pair of tables, a client of its own (watched), and the handler over them, as one
 * container of the function would build it. Each record's outcome is collected by sequence number.
 */
async function deployment(driver: DeliveryDriverOptions<OrderEvent> = {}) {
  if (emulator === undefined) throw new Error("the emulator did not start");
  tableCount++;
  const tables: ProjectionTables = { versionsTable: `ProjectionVersions-${tableCount}`, totalsTable: `CustomerTotals-${tableCount}` };
  const client = emulator.createClient();
  await createProjectionTables(client, tables);
  const wire = watchWrites(client);
  const outcomes = new Map<string, DeliveryOutcome>();
  const failures: RecordFailure<DynamoDBRecord>[] = [];
  const container = () =>
    createHandler({
      client,
      ...tables,
      driver: { ...driver, hooks: { onOutcome: (report) => void outcomes.set(String(report.source.id), report.outcome) } },
      onFailure: (failure) => void failures.push(failure),
    });
  return {
    client,
    tables,
    handler: container(),
    /** A new container: a cold start, with nothing remembered from earlier invocations. */
    coldStart: container,
    wire,
    outcomes,
    failures,
    readModel: () => readCustomerTotals(client, tables.totalsTable),
    /** Forgets what was collected so far. */
    reset: () => {
      wire.writes.length = 0;
      outcomes.clear();
      failures.length = 0;
    },
  };
}

const outcomesOf = (outcomes: Map<string, DeliveryOutcome>, ...ns: number[]) => ns.map((n) => outcomes.get(seq(n)));

/** Twelve changes of five orders of three customers. */
function ordersBatch(): DynamoDBStreamEvent {
  return streamEvent(
    placed(1, order("o-1001", "cust-ada", 4990, "PENDING")),
    placed(2, order("o-1002", "cust-grace", 12000, "PENDING")),
    placed(3, order("o-1003", "cust-ada", 2500, "PENDING")),
    // Paid: still open, same total: the totals do not change, only the order's version.
    changed(4, order("o-1001", "cust-ada", 4990, "PENDING"), order("o-1001", "cust-ada", 4990, "PAID")),
    // A discount applied at payment: −10.00.
    changed(5, order("o-1002", "cust-grace", 12000, "PENDING"), order("o-1002", "cust-grace", 11000, "PAID")),
    placed(6, order("o-1004", "cust-linus", 800, "PENDING")),
    changed(7, order("o-1003", "cust-ada", 2500, "PENDING"), order("o-1003", "cust-ada", 2500, "CANCELLED")),
    changed(8, order("o-1001", "cust-ada", 4990, "PAID"), order("o-1001", "cust-ada", 4990, "DELIVERED")),
    placed(9, order("o-1005", "cust-linus", 1500, "PENDING")),
    // Moved to another customer's account (and paid): leaves one customer's totals, joins the other's.
    changed(10, order("o-1005", "cust-linus", 1500, "PENDING"), order("o-1005", "cust-grace", 1500, "PAID")),
    removed(11, order("o-1004", "cust-linus", 800, "PENDING")),
    changed(12, order("o-1002", "cust-grace", 11000, "PAID"), order("o-1002", "cust-grace", 11000, "SHIPPED")),
  );
}

const ORDERS_BATCH_TOTALS = {
  "cust-ada": { orders: 2, spent: 4990, open: 0 },
  "cust-grace": { orders: 2, spent: 12500, open: 2 },
  "cust-linus": { orders: 0, spent: 0, open: 0 },
};

/** The file's tests, on the emulator `start` gives. */
function ordersStreamSuite(start: () => Promise<RunningEmulator>): void {
  beforeAll(async () => {
    emulator = await start();
  });

  afterAll(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  it("G5: createHandler sends no request, and its handler is a DynamoDBStreamHandler", () => {
    const client = emulator!.createClient();
    const sent: string[] = [];
    const middleware: Middleware = (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    };
    client.middlewareStack.add(middleware as never, { step: "initialize", name: "countRequests" });

    const handler = createHandler({ client, versionsTable: "ProjectionVersions", totalsTable: "CustomerTotals" });

    const typed: DynamoDBStreamHandler = handler;
    expectTypeOf(handler).returns.resolves.toExtend<DynamoDBBatchResponse>();
    expect(typeof typed).toBe("function");
    expect(sent).toEqual([]);
  });

  it("G5: a batch of inserts, modifies and removes of several orders and customers gives the expected totals, with no failures", async () => {
    const { handler, tables, wire, outcomes, failures, readModel } = await deployment();

    const response = await handler(ordersBatch(), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(failures).toEqual([]);
    expect(await readModel()).toEqual(ORDERS_BATCH_TOTALS);
    expect(outcomesOf(outcomes, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)).toEqual(Array.from({ length: 12 }, () => "applied"));
    // The driver commits each order's records in one batch (G8); the adapter splits it where two
    // records change the same totals row. So: the totals of each record in a transaction of its own,
    // except for the two that change no totals (4 and 12), which ride with the record before them.
    expect(wire.to(tables.versionsTable)).toHaveLength(10);
    expect(wire.to(tables.totalsTable)).toHaveLength(10);
    expect(wire.to(tables.totalsTable).every((write) => write.command === "TransactWriteItemsCommand")).toBe(true);
  });

  it("G5: the same batch redelivered in full, to the same container or after a cold start, writes nothing and changes nothing", async () => {
    const { handler, coldStart, wire, outcomes, readModel, reset } = await deployment();
    expect(await handler(ordersBatch(), lambdaContext())).toEqual({ batchItemFailures: [] });
    const before = await readModel();
    expect(before).toEqual(ORDERS_BATCH_TOTALS);

    for (const container of [handler, coldStart()]) {
      reset();
      const response = await container(ordersBatch(), lambdaContext());

      expect(response).toEqual({ batchItemFailures: [] });
      expect(await readModel()).toEqual(before);
      expect(outcomesOf(outcomes, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)).toEqual(Array.from({ length: 12 }, () => "duplicate"));
      expect(wire.writes).toEqual([]); // no write to the totals, nor to the versions
    }
  });

  it("G5: a poisoned record (a total that is not a number) and the later record of its order are reported; the rest is applied; the failed part redelivered, fixed, is applied once", async () => {
    const { handler, tables, wire, outcomes, failures, readModel, reset } = await deployment();
    const poisoned: Image = { ...image(order("o-2002", "cust-grace", 0, "PENDING")), total: { S: "50.00" } };
    const batch = streamEvent(
      placed(2001, order("o-2001", "cust-ada", 3000, "PENDING")),
      placed(2002, poisoned),
      placed(2003, order("o-2003", "cust-linus", 700, "PENDING")),
      changed(2004, order("o-2002", "cust-grace", 5000, "PENDING"), order("o-2002", "cust-grace", 5000, "PAID")),
      changed(2005, order("o-2001", "cust-ada", 3000, "PENDING"), order("o-2001", "cust-ada", 3000, "PAID")),
    );

    const response = await handler(batch, lambdaContext());

    expect(response).toEqual(failuresOf(2002, 2004));
    expect(failures.map(({ itemIdentifier, outcome }) => ({ itemIdentifier, outcome }))).toEqual([
      { itemIdentifier: seq(2002), outcome: "failed" },
      { itemIdentifier: seq(2004), outcome: "held" },
    ]);
    expect(failures[0]?.error).toBeInstanceOf(MalformedOrderRecordError);
    expect(String(failures[0]?.error)).toContain('dynamodb.NewImage.total: expected a whole number of cents (N), got {"S":"50.00"}');
    expect(outcomesOf(outcomes, 2001, 2003, 2005)).toEqual(["applied", "applied", "applied"]);
    expect(await readModel()).toEqual({
      "cust-ada": { orders: 1, spent: 3000, open: 1 },
      "cust-linus": { orders: 1, spent: 700, open: 1 },
    });

    // The failed part, with the image corrected, delivered again: applied once.
    const fixed = streamEvent(placed(2002, order("o-2002", "cust-grace", 5000, "PENDING")), batch.Records[3] as DynamoDBRecord);
    reset();
    expect(await handler(fixed, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(outcomesOf(outcomes, 2002, 2004)).toEqual(["applied", "applied"]);
    expect(wire.to(tables.totalsTable)).toHaveLength(1); // 2004 changes no totals: PENDING and PAID are both open
    const expected = {
      "cust-ada": { orders: 1, spent: 3000, open: 1 },
      "cust-grace": { orders: 1, spent: 5000, open: 1 },
      "cust-linus": { orders: 1, spent: 700, open: 1 },
    };
    expect(await readModel()).toEqual(expected);

    // And once more: nothing happens.
    reset();
    expect(await handler(fixed, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(outcomesOf(outcomes, 2002, 2004)).toEqual(["duplicate", "duplicate"]);
    expect(wire.writes).toEqual([]);
    expect(await readModel()).toEqual(expected);
  });

  it("G5: Lambda retries from the failed sequence number: the overlap with what was applied is skipped as duplicates, the rest applied once", async () => {
    const { client, handler, tables, wire, outcomes, failures, readModel, reset } = await deployment({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const throttle = throttleCustomer(client, "cust-grace");
    const first = streamEvent(
      placed(3001, order("o-3001", "cust-ada", 1500, "PENDING")),
      placed(3002, order("o-3002", "cust-grace", 9900, "PENDING")),
      placed(3003, order("o-3003", "cust-linus", 4200, "PENDING")),
      changed(3004, order("o-3002", "cust-grace", 9900, "PENDING"), order("o-3002", "cust-grace", 9900, "PAID")),
      changed(3005, order("o-3001", "cust-ada", 1500, "PENDING"), order("o-3001", "cust-ada", 1800, "PENDING")),
    );

    // Grace's totals row is throttled through every retry of the driver: 3002 fails, 3004 is held.
    expect(await handler(first, lambdaContext())).toEqual(failuresOf(3002, 3004));
    expect(throttle.hits).toBe(3);
    expect(failures.map(({ outcome }) => outcome)).toEqual(["failed", "held"]);
    expect(isProjectionKitError(failures[0]?.error, "ERR_THROTTLED")).toBe(true);
    expect(outcomesOf(outcomes, 3001, 3003, 3005)).toEqual(["applied", "applied", "applied"]);
    expect(await readModel()).toEqual({
      "cust-ada": { orders: 1, spent: 1800, open: 1 },
      "cust-linus": { orders: 1, spent: 4200, open: 1 },
    });

    // Lambda checkpoints before the lowest failed sequence number and retries from there: 3003 and
    // 3005, already applied, come again, followed by records written to the shard since.
    throttle.disarm();
    reset();
    const retry = streamEvent(
      ...first.Records.slice(1),
      placed(3006, order("o-3005", "cust-ada", 2000, "PENDING")),
      changed(3007, order("o-3003", "cust-linus", 4200, "PENDING"), order("o-3003", "cust-linus", 4200, "DELIVERED")),
    );

    expect(await handler(retry, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(outcomesOf(outcomes, 3002, 3003, 3004, 3005, 3006, 3007)).toEqual(["applied", "duplicate", "applied", "duplicate", "applied", "applied"]);
    // Totals written for 3002, 3006 and 3007 only (3004 changes no totals and commits in 3002's
    // transaction, the same order's batch); none for the overlap.
    expect(wire.to(tables.totalsTable)).toHaveLength(3);
    expect(wire.to(tables.versionsTable)).toHaveLength(3);
    expect(await readModel()).toEqual({
      "cust-ada": { orders: 2, spent: 3800, open: 2 },
      "cust-grace": { orders: 1, spent: 9900, open: 1 },
      "cust-linus": { orders: 1, spent: 4200, open: 0 },
    });
  });

  describe("the Lambda entry point", () => {
    afterEach(() => {
      vi.unstubAllEnvs();
      vi.resetModules();
    });

    function stubEnvironment(tables: ProjectionTables): void {
      vi.stubEnv("AWS_REGION", DYNAMODB_LOCAL_REGION);
      vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", emulator?.endpoint ?? "");
      vi.stubEnv("AWS_ACCESS_KEY_ID", DYNAMODB_LOCAL_CREDENTIALS.accessKeyId);
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey);
      vi.stubEnv("VERSIONS_TABLE", tables.versionsTable);
      vi.stubEnv("TOTALS_TABLE", tables.totalsTable);
    }

    it("G5: `handler` takes its client and tables from the environment at cold start and projects a batch", async () => {
      const { tables, readModel } = await deployment();
      stubEnvironment(tables);
      vi.resetModules();
      const { handler } = await import("../src/handler.js");

      const response = await handler(ordersBatch(), lambdaContext(), () => {});

      expect(response).toEqual({ batchItemFailures: [] });
      expect(await readModel()).toEqual(ORDERS_BATCH_TOTALS);
    });

    it("G5: without TOTALS_TABLE the cold start fails, naming the variable", async () => {
      const { tables } = await deployment();
      stubEnvironment(tables);
      vi.stubEnv("TOTALS_TABLE", "");
      vi.resetModules();

      await expect(import("../src/handler.js")).rejects.toThrow("the environment variable TOTALS_TABLE is not set");
    });
  });
}

const TITLE = "G5 the Orders stream projected into CustomerTotals by a Lambda function";
describe(`${TITLE}, on dynalite`, () => ordersStreamSuite(() => startDynalite()));
if (typeof dynamoDBLocal === "string") {
  describe.skip(`${TITLE}, on DynamoDB Local [skipped: ${dynamoDBLocal}]`, () => ordersStreamSuite(() => Promise.reject(new Error(dynamoDBLocal))));
} else {
  describe(`${TITLE}, on DynamoDB Local`, () => ordersStreamSuite(async () => dynamoDBLocal));
}
