import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";

/**
 * The fake credentials the harness's clients use. DynamoDB Local accepts any credentials made of
 * letters and digits, and keeps a separate database per access key and region (without
 * `-sharedDb`), so every client made by this harness sees the same tables.
 *
 * @example
 * ```ts
 * new DynamoDBClient({ endpoint, region: DYNAMODB_LOCAL_REGION, credentials: DYNAMODB_LOCAL_CREDENTIALS });
 * ```
 */
export const DYNAMODB_LOCAL_CREDENTIALS: Readonly<{ accessKeyId: string; secretAccessKey: string }> = Object.freeze({
  accessKeyId: "projectionkit",
  secretAccessKey: "projectionkit",
});

/**
 * The region the harness's clients use.
 *
 * @example
 * ```ts
 * const region = DYNAMODB_LOCAL_REGION; // "us-east-1"
 * ```
 */
export const DYNAMODB_LOCAL_REGION = "us-east-1";

/**
 * Makes a `DynamoDBClient` for a DynamoDB Local endpoint: region `us-east-1`, the fake
 * {@link DYNAMODB_LOCAL_CREDENTIALS}, and `maxAttempts: 1` so that a test fails at once instead of
 * retrying against an emulator that is gone. `config` is merged over these defaults.
 *
 * Useful when the endpoint comes from elsewhere, e.g. a vitest `globalSetup` that `provide`s it.
 *
 * @param endpoint - e.g. `"http://127.0.0.1:8000"`.
 * @param config - more client configuration; it wins over the defaults.
 * @returns a new client; call `destroy()` when done.
 *
 * @example
 * ```ts
 * import { inject } from "vitest";
 * import { createDynamoDBLocalClient } from "@projectionkit/dynamodb-testing";
 *
 * declare module "vitest" {
 *   export interface ProvidedContext {
 *     dynamodbLocalEndpoint: string;
 *   }
 * }
 *
 * const client = createDynamoDBLocalClient(inject("dynamodbLocalEndpoint"), { maxAttempts: 3 });
 * ```
 */
export function createDynamoDBLocalClient(endpoint: string, config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    region: DYNAMODB_LOCAL_REGION,
    credentials: { ...DYNAMODB_LOCAL_CREDENTIALS },
    maxAttempts: 1,
    ...config,
    endpoint,
  });
}
