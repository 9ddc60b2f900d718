import { ListTablesCommand, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { setTimeout as delay } from "node:timers/promises";
import { installEmulator, type DynamoDBLocalEmulator } from "./emulator-cache.js";
import { DynamoDBLocalStartFailedError } from "./errors.js";
import { findFreePort } from "./free-port.js";
import { spawnJava, type JavaProcess } from "./java-process.js";
import { createDynamoDBLocalClient } from "./local-client.js";
import { runningEmulator, type RunningEmulator } from "./running-emulator.js";
import { resolveStartOptions, type ResolvedStartOptions, type StartDynamoDBLocalOptions } from "./start-options.js";

/**
 * A running DynamoDB Local (in memory, one database per instance), as {@link startDynamoDBLocal}
 * returns it. Stop it with {@link DynamoDBLocal.stop} or `await using`.
 *
 * If it is never stopped, it does not keep Node.js running, and it is killed when Node.js exits.
 *
 * @example
 * ```ts
 * await using ddb = await startDynamoDBLocal();
 * await ddb.client.send(new ListTablesCommand({}));
 * ```
 */
export interface DynamoDBLocal extends RunningEmulator {
  /** The process id of the Java process. */
  readonly pid: number;
  /**
   * Destroys the clients, stops Java (SIGTERM, then SIGKILL after 5 s) and resolves once it has
   * exited and the port is free. Idempotent: later calls return the same promise.
   */
  stop(): Promise<void>;
}

/**
 * Starts AWS's DynamoDB Local 1.25.1 (Java) in memory on a free port and resolves once it answers
 * requests. The emulator is downloaded into a cache on first use (see {@link ensureDynamoDBLocal});
 * Java 17 or later must be installed.
 *
 * Each instance is a separate, empty, in-memory database (no `-sharedDb`); tables vanish when it
 * stops. It runs with `-disableTelemetry`, so it sends nothing to AWS.
 *
 * @param options - port, cache directory, java executable, timeout, abort signal, client configuration.
 * @returns the running instance.
 * @throws `InvalidArgumentError` for a malformed option, naming it (e.g. `options.port`).
 * @throws {@link JavaNotFoundError} when Java cannot be run; the message says how to install it.
 * @throws {@link DynamoDBLocalDownloadFailedError} when the emulator cannot be downloaded.
 * @throws {@link DynamoDBLocalStartFailedError} when Java exits, cannot bind the port, or is not ready in time.
 * @throws the signal's reason when `options.signal` aborts.
 *
 * @example
 * ```ts
 * import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
 * import { startDynamoDBLocal } from "@projectionkit/dynamodb-testing";
 *
 * const ddb = await startDynamoDBLocal();
 * try {
 *   await ddb.client.send(
 *     new CreateTableCommand({
 *       TableName: "Balances",
 *       AttributeDefinitions: [{ AttributeName: "account", AttributeType: "S" }],
 *       KeySchema: [{ AttributeName: "account", KeyType: "HASH" }],
 *       BillingMode: "PAY_PER_REQUEST",
 *     }),
 *   );
 * } finally {
 *   await ddb.stop();
 * }
 * ```
 */
export async function startDynamoDBLocal(options?: StartDynamoDBLocalOptions): Promise<DynamoDBLocal> {
  const resolved = resolveStartOptions(options);
  const { signal } = resolved;
  const emulator = await installEmulator({ cacheDirectory: resolved.cacheDirectory, signal });
  const attempts = resolved.port === undefined ? PORT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt += 1) {
    const port = resolved.port ?? (await findFreePort({ signal }));
    const outcome = await launch(emulator, port, resolved);
    if (outcome.kind === "ready") {
      return outcome.instance;
    }
    if (attempt >= attempts) {
      throw outcome.error;
    }
  }
}

const PORT_ATTEMPTS = 4;
const POLL_INTERVAL_MS = 50;
const PROBE_TIMEOUT_MS = 5_000;
const BIND_FAILURE = /Failed to bind|Address already in use|BindException/;

type LaunchOutcome =
  | { readonly kind: "ready"; readonly instance: DynamoDBLocal }
  | { readonly kind: "port-in-use"; readonly error: DynamoDBLocalStartFailedError };

async function launch(
  emulator: DynamoDBLocalEmulator,
  port: number,
  options: ResolvedStartOptions,
): Promise<LaunchOutcome> {
  const { signal, startTimeoutMs } = options;
  signal?.throwIfAborted();
  // Jetty's own log line "Started ServerConnector@…{0.0.0.0:PORT}" proves that this process bound
  // the port. Answers to requests alone do not: if another process took the port meanwhile, Java
  // logs a bind failure but keeps running, and the other process would answer.
  const listeningLine = new RegExp(`Started ServerConnector@.*:${port}\\}`);
  let listening = false;
  let bindFailed = false;
  const java = await spawnJava({
    javaPath: options.javaPath,
    args: [
      `-Djava.library.path=${emulator.libraryPath}`,
      "-Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.StdErrLog",
      "-Dorg.eclipse.jetty.server.LEVEL=INFO",
      "-jar",
      emulator.jarPath,
      "-inMemory",
      "-disableTelemetry",
      "-port",
      String(port),
    ],
    onLine: (line) => {
      listening ||= listeningLine.test(line);
      bindFailed ||= BIND_FAILURE.test(line);
    },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const fail = (reason: string, cause?: unknown): DynamoDBLocalStartFailedError =>
    new DynamoDBLocalStartFailedError(
      reason,
      { port, exitCode: java.exit?.code ?? null, output: java.output() },
      cause === undefined ? {} : { cause },
    );

  const probe = createDynamoDBLocalClient(endpoint);
  const deadline = Date.now() + startTimeoutMs;
  let lastProbeError: unknown;
  try {
    for (;;) {
      signal?.throwIfAborted();
      if (bindFailed) {
        await java.kill();
        return { kind: "port-in-use", error: fail(`port ${port} is already in use`) };
      }
      if (java.exit !== undefined) {
        const { code, signal: killedBy } = java.exit;
        throw fail(code === null ? `java was killed by ${String(killedBy)}` : `java exited with code ${code}`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw fail(
          listening
            ? `it did not answer requests within ${startTimeoutMs} ms`
            : `it did not report listening on port ${port} within ${startTimeoutMs} ms`,
          lastProbeError,
        );
      }
      if (listening) {
        const timeout = AbortSignal.timeout(Math.min(remaining, PROBE_TIMEOUT_MS));
        try {
          await probe.send(new ListTablesCommand({ Limit: 1 }), {
            abortSignal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
          });
          break;
        } catch (error) {
          lastProbeError = error;
        }
      }
      await delay(POLL_INTERVAL_MS, undefined, signal === undefined ? {} : { signal }).catch(() => undefined);
    }
  } catch (error) {
    await java.kill();
    throw error;
  } finally {
    probe.destroy();
  }

  java.keepNodeAlive(false);
  return { kind: "ready", instance: runningInstance(java, endpoint, port, options.clientConfig) };
}

function runningInstance(
  java: JavaProcess,
  endpoint: string,
  port: number,
  clientConfig: DynamoDBClientConfig,
): DynamoDBLocal {
  return { ...runningEmulator(endpoint, port, clientConfig, async () => void (await java.kill())), pid: java.pid };
}
