import type { DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";

/**
 * What {@link startDynalite} and {@link startDynamoDBLocal} both return: an emulator on 127.0.0.1
 * with a ready client. Write test helpers against this type to run them on either emulator.
 *
 * @example
 * ```ts
 * async function tableNames(emulator: RunningEmulator): Promise<string[]> {
 *   const { TableNames = [] } = await emulator.client.send(new ListTablesCommand({}));
 *   return TableNames;
 * }
 * ```
 */
export interface RunningEmulator extends AsyncDisposable {
  /** The HTTP endpoint, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** The TCP port it listens on (127.0.0.1). */
  readonly port: number;
  /**
   * A client for this instance: region `us-east-1`, fake credentials, `maxAttempts: 1` unless
   * `clientConfig` says otherwise. Destroyed by `stop`.
   */
  readonly client: DynamoDBClient;
  /**
   * Makes another client for this instance, e.g. with a different retry or logging setup. It is
   * destroyed by `stop` too.
   *
   * @param config - merged over the defaults and `options.clientConfig`; `endpoint` cannot be changed.
   * @returns a new client.
   */
  createClient(config?: DynamoDBClientConfig): DynamoDBClient;
  /**
   * Stops the emulator and resolves once its port is free; the clients are destroyed first.
   * Idempotent: later calls return the same promise.
   */
  stop(): Promise<void>;
  /** Same as `stop`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}
