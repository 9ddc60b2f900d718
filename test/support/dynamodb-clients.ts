import type { DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { createDynamoDBLocalClient } from "@projectionkit/dynamodb-testing";
import { randomBytes } from "node:crypto";
import { describe, inject } from "vitest";

/**
 * A client for the DynamoDB Local that test/support/dynamodb-local-setup.ts started: region `us-east-1`,
 * fake credentials (the same for every client, so all see the same tables), `maxAttempts: 1`
 * unless `config` says otherwise.
 *
 * @param config - more client configuration, e.g. `{ maxAttempts: 3 }`.
 * @returns a new client.
 *
 * @example
 * ```ts
 * const client = localClient({ maxAttempts: 3 });
 * await client.send(new ListTablesCommand({}));
 * ```
 */
export function localClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  const unavailable = dynamoDBLocalUnavailable();
  if (unavailable !== undefined) {
    throw new Error(`localClient() outside describeOnDynamoDBLocal: ${unavailable}`);
  }
  return createDynamoDBLocalClient(inject("dynamodbLocalEndpoint"), config);
}

/**
 * Why the shared DynamoDB Local is not available (Java not found), or `undefined` when it is.
 *
 * @returns the reason, with the install hint.
 */
export function dynamoDBLocalUnavailable(): string | undefined {
  const reason = inject("dynamodbLocalUnavailable");
  return reason === undefined || reason === "" ? undefined : reason;
}

/**
 * `describe` for a suite that needs the shared DynamoDB Local: without Java it shows as skipped,
 * with the reason and the install hint in its title (the global setup refuses that under
 * `CI=true`, so CI never skips it).
 *
 * @param title - the suite's title.
 * @param suite - the suite.
 */
export function describeOnDynamoDBLocal(title: string, suite: () => void): void {
  const unavailable = dynamoDBLocalUnavailable();
  if (unavailable === undefined) {
    describe(title, suite);
  } else {
    describe.skip(`${title} [skipped: ${unavailable}]`, suite);
  }
}

const TABLE_NAME_CHARACTERS = /^[a-zA-Z0-9_.-]*$/;
const SUFFIX_LENGTH = 17; // "-" + 16 hex digits

/**
 * A table name no other test (in any worker, in this or an earlier run on the same emulator) uses:
 * `<prefix>-<16 random hex digits>`. Always 3–255 characters of `[a-zA-Z0-9_.-]`, as DynamoDB
 * requires; a long prefix is shortened.
 *
 * @param prefix - a readable hint of the test, e.g. `"repo"`; only `[a-zA-Z0-9_.-]`.
 * @returns the table name.
 * @throws TypeError when `prefix` has other characters.
 *
 * @example
 * ```ts
 * const table = uniqueTableName("repo"); // "repo-3f9c0a1b2c3d4e5f"
 * ```
 */
export function uniqueTableName(prefix: string): string {
  if (!TABLE_NAME_CHARACTERS.test(prefix)) {
    throw new TypeError(`uniqueTableName: prefix ${JSON.stringify(prefix)} has characters other than [a-zA-Z0-9_.-]`);
  }
  return `${prefix.slice(0, 255 - SUFFIX_LENGTH)}-${randomBytes(8).toString("hex")}`;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The endpoint of the DynamoDB Local started by ./dynamodb-local-setup.ts; empty without Java. */
    dynamodbLocalEndpoint: string;
    /** Why DynamoDB Local is not available (Java not found); empty when it is. */
    dynamodbLocalUnavailable: string;
  }
}
