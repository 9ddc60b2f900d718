import { describeProjectionConformance, describeResourceRepositoryConformance } from "@projectionkit/conformance";
import { createTable } from "@projectionkit/dynamodb";
import { beforeAll } from "vitest";
import { describeOnDynamoDBLocal, uniqueTableName } from "../support/clients.js";
import { createListsTable, DYNAMO_CAPABILITIES, dynamoProjectionBackend, dynamoRepositoryBackend, type ProbeTables } from "./probe-backend.js";

/**
 * The conformance kit against the DynamoDB adapter on the DynamoDB Local of the vitest
 * globalSetup (its dynalite twin is ./dynalite.test.ts). The tables are made once in `beforeAll`;
 * every backend the kit creates has its own random handler key, so backends share the tables but
 * nothing in them.
 */
describeOnDynamoDBLocal("the conformance kit", (emulator) => {
  const setup = emulator.client();
  let tables: ProbeTables | undefined;

  function currentTables(): ProbeTables {
    if (tables === undefined) {
      throw new Error("the conformance tables are not created yet (beforeAll did not run or failed)");
    }
    return tables;
  }

  beforeAll(async () => {
    const created = { versions: uniqueTableName("conf-versions"), lists: uniqueTableName("conf-lists") };
    await createTable(setup, created.versions);
    await createListsTable(setup, created.lists);
    tables = created;
  });

  // Room for deep runs (CONFORMANCE_RUNS=1000 takes about a minute per property on a laptop).
  const timeout = 300_000;

  describeResourceRepositoryConformance({
    name: "DynamoDB adapter on DynamoDB Local",
    create: dynamoRepositoryBackend(setup, () => currentTables().versions),
    capabilities: DYNAMO_CAPABILITIES,
    timeout,
  });

  describeProjectionConformance({
    name: "DynamoDB adapter on DynamoDB Local",
    create: dynamoProjectionBackend(() => emulator.client(), currentTables),
    capabilities: DYNAMO_CAPABILITIES,
    timeout,
  });
});
