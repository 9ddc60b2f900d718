import type { DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { createDynamoDBLocalClient } from "./local-client.js";

/**
 * What {@link startDynalite} and {@link startDynamoDBLocal} both return: an emulator on 127.0.0.1
 * with a ready client. Write test helpers against this type to run them on either emulator.
 *
 * @example
 * ```ts
 * import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
 *
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

/**
 * The {@link RunningEmulator} of an emulator at `endpoint`: its clients (each destroyed by `stop`),
 * and a `stop` that runs once, destroying the clients and then calling `shutdown`.
 *
 * @internal
 */
export function runningEmulator(
  endpoint: string,
  port: number,
  clientConfig: DynamoDBClientConfig,
  shutdown: () => Promise<void>,
): RunningEmulator {
  const clients = new Set<DynamoDBClient>();
  const createClient = (config: DynamoDBClientConfig = {}): DynamoDBClient => {
    const client = createDynamoDBLocalClient(endpoint, { ...clientConfig, ...config });
    clients.add(client);
    return client;
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const client of clients) {
        client.destroy();
      }
      await shutdown();
    })());
  return { endpoint, port, client: createClient(), createClient, stop, [Symbol.asyncDispose]: stop };
}
