import type { TestProject } from "vitest/node";
// A relative import: vitest loads globalSetup files outside the test runner, where the
// `@projectionkit/source` export condition does not apply and the package would need a build.
import { startDynamoDBLocal } from "../../src/testing/index.js";

/**
 * vitest `globalSetup` of the dynamodb project: starts ONE DynamoDB Local (Java, in memory) before
 * any test file runs, gives its endpoint to the tests as `inject("dynamodbLocalEndpoint")`, and
 * stops it after the last one. Tests share it; they keep apart by using unique table names
 * (see `uniqueTableName` in ./clients.ts).
 *
 * @param project - the vitest project, to `provide` the endpoint.
 * @returns the teardown, which stops the emulator.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * project("dynamodb", "packages/dynamodb", { globalSetup: ["test/support/global-setup.ts"] });
 * // in a test
 * const endpoint = inject("dynamodbLocalEndpoint");
 * ```
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const ddb = await startDynamoDBLocal();
  if (process.env["PROJECTIONKIT_TIMINGS"] === "1") {
    process.stderr.write(`[projectionkit] DynamoDB Local ready at ${ddb.endpoint} in ${Date.now() - started} ms\n`);
  }
  project.provide("dynamodbLocalEndpoint", ddb.endpoint);
  return () => ddb.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The endpoint of the DynamoDB Local started by test/support/global-setup.ts. */
    dynamodbLocalEndpoint: string;
  }
}
