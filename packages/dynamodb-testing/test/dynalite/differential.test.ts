import {
  DeleteItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { checkProperty, resolveConformanceSettings, settingsLabel } from "@projectionkit/conformance";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { expect, it } from "vitest";
import { describeNeedingJava, emulatorForSuite, uniqueTableName } from "../support/clients.js";
import {
  getInput,
  scenario,
  singleInput,
  transactInput,
  type RequestContext,
  type Scenario,
  type Step,
} from "./differential-model.js";
import { capture, createNamedTable, deleteTable, scanSorted, type Outcome } from "./support.js";

// The differential test: generated scenarios run step by step on the dynalite harness and on AWS's
// DynamoDB Local 1.25.1, each on a fresh table with the same key schema; every step's outcome
// (result, or error name, message and cancellation reasons with their items) and the final table
// contents (a consistent Scan, sorted) must be the same. CONFORMANCE_SEED / CONFORMANCE_RUNS /
// CONFORMANCE_PATH replay or deepen a run; a divergence prints the replay line.

const settings = resolveConformanceSettings({ numRuns: 500 });

type Request =
  | { readonly operation: "TransactWriteItems"; readonly input: TransactWriteItemsCommandInput; readonly replay?: boolean }
  | { readonly operation: "TransactGetItems"; readonly input: ReturnType<typeof getInput> }
  | ReturnType<typeof singleInput>;

function send(client: DynamoDBClient, request: Request): Promise<Outcome<object>> {
  switch (request.operation) {
    case "TransactWriteItems":
      return capture(client.send(new TransactWriteItemsCommand(request.input)));
    case "TransactGetItems":
      return capture(client.send(new TransactGetItemsCommand(request.input)));
    case "PutItem":
      return withoutCapacity(capture(client.send(new PutItemCommand(request.input))));
    case "UpdateItem":
      return withoutCapacity(capture(client.send(new UpdateItemCommand(request.input))));
    case "DeleteItem":
      return withoutCapacity(capture(client.send(new DeleteItemCommand(request.input))));
  }
}

// DynamoDB Local reports ConsumedCapacity on single-item writes that did not ask for it; these
// are dynalite's own operations, outside what the harness adds.
async function withoutCapacity(outcome: Promise<Outcome<object>>): Promise<Outcome<object>> {
  const settled = await outcome;
  if (!settled.ok) {
    return settled;
  }
  const { ConsumedCapacity: _ignored, ...result } = settled.result as { ConsumedCapacity?: unknown };
  return { ok: true, result };
}

/** Sets come back in any order; everything else is compared as is. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(normalize);
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [
        name,
        (name === "SS" || name === "NS" || name === "BS") && Array.isArray(inner) ? [...(inner as string[])].sort() : normalize(inner),
      ]),
    );
  }
  return value;
}

/** What the generated cases covered, to show (and check) that the generator reaches every rule. */
class Coverage {
  readonly counts = new Map<string, number>();

  add(outcome: Outcome<object>, request: Request): void {
    const label = outcome.ok
      ? `${request.operation} ok`
      : `${request.operation} ${outcome.name}${outcome.reasons?.some((reason) => reason.Item !== undefined) || outcome.item !== undefined ? " with ALL_OLD item" : ""}`;
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    if (request.operation === "TransactWriteItems" && request.replay === true && request.input.ClientRequestToken !== undefined) {
      const replay = `replay with token ${outcome.ok ? "ok" : outcome.name}`;
      this.counts.set(replay, (this.counts.get(replay) ?? 0) + 1);
    }
    if (!outcome.ok && outcome.item !== undefined) {
      this.counts.set("single write with ALL_OLD item", (this.counts.get("single write with ALL_OLD item") ?? 0) + 1);
    }
    if (!outcome.ok && outcome.name === "ValidationException" && outcome.message.includes("multiple operations on one item")) {
      this.counts.set("duplicate item", (this.counts.get("duplicate item") ?? 0) + 1);
    }
  }

  count(label: string): number {
    return this.counts.get(label) ?? 0;
  }
}

/** The clients a scenario runs on: the harness, and the oracle. */
interface Backends {
  readonly dynalite: DynamoDBClient;
  readonly local: DynamoDBClient;
}

async function runScenario({ dynalite, local }: Backends, generated: Scenario, coverage: Coverage): Promise<void> {
  const table = uniqueTableName("diff");
  // Tokens are per case (both servers remember them for 10 minutes), the same on both backends.
  const context: RequestContext = { table, shape: generated.shape, tokenPrefix: table.slice(-16) };
  await Promise.all([createNamedTable(dynalite, table, context.shape), createNamedTable(local, table, context.shape)]);
  try {
    const transactions: TransactWriteItemsCommandInput[] = [];
    for (const [index, step] of generated.steps.entries()) {
      const request = requestOf(context, step, transactions);
      if (request === undefined) {
        continue;
      }
      const [fromDynalite, fromLocal] = await Promise.all([send(dynalite, request), send(local, request)]);
      coverage.add(fromLocal, request);
      if (!isDeepStrictEqual(normalize(fromDynalite), normalize(fromLocal))) {
        throw new Error(
          `step ${index} (${request.operation}) diverges\nrequest: ${JSON.stringify(request.input)}\n` +
            `dynalite:       ${JSON.stringify(normalize(fromDynalite))}\nDynamoDB Local: ${JSON.stringify(normalize(fromLocal))}`,
        );
      }
    }
    const [itemsOfDynalite, itemsOfLocal] = await Promise.all([scanSorted(dynalite, table), scanSorted(local, table)]);
    if (!isDeepStrictEqual(normalize(itemsOfDynalite), normalize(itemsOfLocal))) {
      throw new Error(
        `final contents diverge\ndynalite:       ${JSON.stringify(normalize(itemsOfDynalite))}\nDynamoDB Local: ${JSON.stringify(normalize(itemsOfLocal))}`,
      );
    }
  } finally {
    await Promise.all([deleteTable(dynalite, table), deleteTable(local, table)]).catch(() => undefined);
  }
}

function requestOf(context: RequestContext, step: Step, transactions: TransactWriteItemsCommandInput[]): Request | undefined {
  switch (step.kind) {
    case "transact": {
      const input = transactInput(context, step);
      transactions.push(input);
      return { operation: "TransactWriteItems", input };
    }
    case "replay": {
      // The same request again, token and all; nothing to replay before the first transaction.
      const input = transactions[step.step % Math.max(transactions.length, 1)];
      return input === undefined ? undefined : { operation: "TransactWriteItems", input, replay: true };
    }
    case "single":
      return singleInput(context, step);
    case "get":
      return { operation: "TransactGetItems", input: getInput(context, step) };
  }
}

describeNeedingJava(`dynalite harness against DynamoDB Local ${settingsLabel(settings)}`, () => {
  const backends: Backends = { dynalite: emulatorForSuite("dynalite").client(), local: emulatorForSuite("DynamoDB Local").client() };

  it(
    "generated transactions, replays, reads and single-item writes: same outcomes, same table contents",
    async () => {
      const coverage = new Coverage();
      await checkProperty(
        "dynalite transactions match DynamoDB Local",
        fc.asyncProperty(scenario, (generated) => runScenario(backends, generated, coverage)),
        settings,
      );
      if (process.env["PROJECTIONKIT_TIMINGS"] === "1") {
        process.stderr.write(`[projectionkit] differential coverage: ${JSON.stringify(Object.fromEntries(coverage.counts))}\n`);
      }
      if (settings.numRuns >= 200) {
        // The generator reaches every rule (counted over all runs, DynamoDB Local's answers).
        for (const label of [
          "TransactWriteItems ok",
          "TransactWriteItems TransactionCanceledException",
          "TransactWriteItems TransactionCanceledException with ALL_OLD item",
          "TransactWriteItems ValidationException",
          "TransactWriteItems ResourceNotFoundException",
          "TransactWriteItems IdempotentParameterMismatchException",
          "replay with token ok",
          "duplicate item",
          "TransactGetItems ok",
          "PutItem ok",
          "UpdateItem ConditionalCheckFailedException",
          "single write with ALL_OLD item",
        ]) {
          expect(coverage.count(label), `${label}\n${JSON.stringify([...coverage.counts], null, 1)}`).toBeGreaterThan(0);
        }
      }
    },
    600_000,
  );
});
