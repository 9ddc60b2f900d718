import type { TestProject } from "vitest/node";
import type {} from "./dynamodb-clients.js"; // the provided context's types
// A relative import: vitest loads globalSetup files outside the test runner, where the
// `@projectionkit/source` export condition does not apply and the package would need a build.
import { JavaNotFoundError, startDynamoDBLocal } from "../../packages/dynamodb-testing/src/index.js";
import { JAVA_MISSING_REASON, javaRequired } from "./java.js";

/**
 * vitest `globalSetup` of the projects that test against AWS's DynamoDB Local: starts ONE
 * emulator (Java, in memory) before any test file runs, gives its endpoint to the tests as
 * `inject("dynamodbLocalEndpoint")`, and stops it after the last one. Tests share it; they keep
 * apart by using unique table names (see `uniqueTableName` in ./dynamodb-clients.ts).
 *
 * Without Java, the endpoint is empty and `inject("dynamodbLocalUnavailable")` says why: the
 * suites that need DynamoDB Local show as skipped with that reason (see `describeOnEmulators` and
 * `describeNeedingJava` in ./dynamodb-clients.ts),
 * and their dynalite twins still run. With `CI=true` a missing Java is an error, so that CI never
 * skips them silently.
 *
 * @param project - the vitest project, to `provide` the endpoint.
 * @returns the teardown, which stops the emulator.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  let ddb: Awaited<ReturnType<typeof startDynamoDBLocal>>;
  try {
    ddb = await startDynamoDBLocal();
  } catch (error) {
    if (error instanceof JavaNotFoundError && !javaRequired()) {
      project.provide("dynamodbLocalEndpoint", "");
      project.provide("dynamodbLocalUnavailable", JAVA_MISSING_REASON);
      return async () => {};
    }
    if (error instanceof JavaNotFoundError) {
      throw new Error(`CI=true: the ${project.name} tests need DynamoDB Local, never skipped on CI, and ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (process.env["PROJECTIONKIT_TIMINGS"] === "1") {
    process.stderr.write(`[projectionkit] DynamoDB Local ready at ${ddb.endpoint} in ${Date.now() - started} ms\n`);
  }
  project.provide("dynamodbLocalEndpoint", ddb.endpoint);
  project.provide("dynamodbLocalUnavailable", "");
  return () => ddb.stop();
}
