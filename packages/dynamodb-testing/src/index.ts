/**
 * Emulators for testing projections on `@projectionkit/dynamodb`, installed as a development
 * dependency (it brings dynalite and its LevelDB binding, which production code never needs):
 * dynalite (Node.js, in this process, no Java) with the transactions it lacks, or AWS's DynamoDB
 * Local (Java, in memory), downloaded on first use into a cache.
 *
 * - {@link startDynamoDBLocal}: one emulator per call, on a free port, with a ready client.
 * - {@link startDynalite}: dynalite with `TransactWriteItems` and `TransactGetItems`, no Java needed.
 * - {@link ensureDynamoDBLocal}: only download and unpack, e.g. to warm a CI cache.
 * - {@link createDynamoDBLocalClient}: a client for an endpoint started elsewhere (a vitest
 *   `globalSetup`).
 *
 * `startDynalite` needs nothing but Node.js. `startDynamoDBLocal` and `ensureDynamoDBLocal` need
 * Java 17 or later (`apt-get install -y openjdk-17-jre-headless` on Debian/Ubuntu).
 *
 * @example
 * ```ts
 * import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
 * import { startDynamoDBLocal } from "@projectionkit/dynamodb-testing";
 *
 * await using ddb = await startDynamoDBLocal();
 * await ddb.client.send(new PutItemCommand({ TableName: "t", Item: { id: { S: "1" } } }));
 * ```
 *
 * @packageDocumentation
 */

export { startDynamoDBLocal, type DynamoDBLocal } from "./dynamodb-local.js";
export {
  defaultDynamoDBLocalCacheDirectory,
  DYNAMODB_LOCAL_DIR_ENV,
  DYNAMODB_LOCAL_PACKAGE,
  DYNAMODB_LOCAL_VERSION,
  ensureDynamoDBLocal,
  type DynamoDBLocalEmulator,
  type EnsureDynamoDBLocalOptions,
} from "./emulator-cache.js";
export {
  DynamoDBLocalDownloadFailedError,
  DynamoDBLocalStartFailedError,
  JAVA_INSTALL_HINT,
  JavaNotFoundError,
  type DynamoDBLocalStartFailure,
} from "./errors.js";
export { createDynamoDBLocalClient, DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION } from "./local-client.js";
export type { EmulatorStartOptions, StartDynaliteOptions, StartDynamoDBLocalOptions } from "./start-options.js";
export { startDynalite, type Dynalite } from "./dynalite/start-dynalite.js";
export type { RunningEmulator } from "./running-emulator.js";
