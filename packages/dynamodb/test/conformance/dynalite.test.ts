import { describeProjectionConformance, describeResourceRepositoryConformance } from "@projectionkit/conformance";
import { createTable } from "@projectionkit/dynamodb";
import { startDynalite, type Dynalite } from "@projectionkit/dynamodb-testing";
import { afterAll, beforeAll } from "vitest";
import { createListsTable, DYNAMO_CAPABILITIES, dynamoProjectionBackend, dynamoRepositoryBackend, type ProbeTables } from "./probe-backend.js";

/**
 * The conformance kit against the DynamoDB adapter on dynalite with the transactions of
 * `startDynalite()` (in this process, no Java). One dynalite for the file; every backend the kit
 * creates has its own random handler key, so backends share the tables but nothing in them.
 */

let dynalite: Dynalite | undefined;
let tables: ProbeTables | undefined;

function running(): Dynalite {
  if (dynalite === undefined) {
    throw new Error("dynalite is not started yet (beforeAll did not run or failed)");
  }
  return dynalite;
}

function currentTables(): ProbeTables {
  if (tables === undefined) {
    throw new Error("the conformance tables are not created yet (beforeAll did not run or failed)");
  }
  return tables;
}

beforeAll(async () => {
  dynalite = await startDynalite();
  await createTable(dynalite.client, "conf-versions");
  await createListsTable(dynalite.client, "conf-lists");
  tables = { versions: "conf-versions", lists: "conf-lists" };
});

afterAll(async () => {
  await dynalite?.stop();
});

// Room for deep runs (CONFORMANCE_RUNS=1000).
const timeout = 300_000;

describeResourceRepositoryConformance({
  name: "DynamoDB adapter on dynalite",
  // The backend is made per test, after beforeAll has started dynalite.
  create: () => dynamoRepositoryBackend(running().client, () => currentTables().versions)(),
  capabilities: DYNAMO_CAPABILITIES,
  timeout,
});

// Here the probe coalesces (D16): a batch commits its run in one transaction. On DynamoDB Local it
// does not, so each event of a run is its own transaction; the kit sees both ways of batching.
describeProjectionConformance({
  name: "DynamoDB adapter on dynalite, coalescing",
  create: dynamoProjectionBackend(() => running().createClient(), currentTables, { coalescing: true }),
  capabilities: DYNAMO_CAPABILITIES,
  timeout,
});
