import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describeProjectionConformance, describeResourceRepositoryConformance } from "@projectionkit/conformance";
import { createTable } from "@projectionkit/dynamodb";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createListsTable, DYNAMO_CAPABILITIES, dynamoProjectionBackend, dynamoRepositoryBackend, type ProbeTables } from "./probe-backend.js";

/**
 * The conformance kit against real DynamoDB, opt-in: set `PROJECTIONKIT_AWS_TABLE_PREFIX` (and
 * AWS credentials from the default chain, and `AWS_REGION` or `AWS_DEFAULT_REGION`). The tables
 * `<prefix>-versions` and `<prefix>-lists` are created if missing (PAY_PER_REQUEST) and kept for
 * the next run; every backend writes under its own random handler key. The properties run 10
 * cases each unless `CONFORMANCE_RUNS` says otherwise.
 *
 * ```sh
 * PROJECTIONKIT_AWS_TABLE_PREFIX=projectionkit-conformance AWS_REGION=eu-west-1 \
 *   npx vitest run --project dynamodb test/conformance/aws.test.ts
 * ```
 */

const prefix = process.env["PROJECTIONKIT_AWS_TABLE_PREFIX"]?.trim() || undefined;

if (prefix === undefined) {
  describe("ProjectionKit conformance on real AWS DynamoDB", () => {
    it.skip("real AWS DynamoDB: skipped because PROJECTIONKIT_AWS_TABLE_PREFIX is not set (set it and AWS credentials to run the kit against real DynamoDB)", () => {});
  });
} else {
  const region = process.env["AWS_REGION"]?.trim() || process.env["AWS_DEFAULT_REGION"]?.trim() || undefined;
  const makeClient = (): DynamoDBClient => new DynamoDBClient({ maxAttempts: 3, ...(region === undefined ? {} : { region }) });
  const setup = makeClient();
  const tables: ProbeTables = { versions: `${prefix}-versions`, lists: `${prefix}-lists` };
  let ready = false;

  const readyTables = (): ProbeTables => {
    if (!ready) {
      throw new Error(`the tables ${tables.versions} and ${tables.lists} are not ready (beforeAll did not run or failed)`);
    }
    return tables;
  };

  beforeAll(async () => {
    await createTable(setup, tables.versions);
    await createListsTable(setup, tables.lists);
    ready = true;
  }, 600_000);

  afterAll(() => setup.destroy());

  const common = {
    name: `DynamoDB adapter on AWS DynamoDB (${region ?? "default region"}, tables ${prefix}-*)`,
    capabilities: DYNAMO_CAPABILITIES,
    run: { numRuns: 10 },
    timeout: 600_000,
  } as const;

  describeResourceRepositoryConformance({ ...common, create: dynamoRepositoryBackend(setup, () => readyTables().versions) });
  describeProjectionConformance({ ...common, create: dynamoProjectionBackend(makeClient, readyTables) });
}
