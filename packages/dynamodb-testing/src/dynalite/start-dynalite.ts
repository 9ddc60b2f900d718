import { runningEmulator, type RunningEmulator } from "../running-emulator.js";
import type { Server } from "node:http";
import { createDynaliteServer, loadDynalite } from "./dynalite-internals.js";
import { resolveDynaliteOptions, type StartDynaliteOptions } from "../start-options.js";
import { installSingleWriteReturnValues } from "./single-write-return-values.js";
import { installHarnessListener } from "./request-listener.js";

/**
 * A running dynalite (in this process, in memory) with `TransactWriteItems` and
 * `TransactGetItems`, as {@link startDynalite} returns it. The same shape as
 * {@link DynamoDBLocal}, without the Java process. Stop it with {@link Dynalite.stop} or
 * `await using`.
 *
 * If it is never stopped, it does not keep Node.js running.
 *
 * @example
 * ```ts
 * await using ddb = await startDynalite();
 * await ddb.client.send(new ListTablesCommand({}));
 * ```
 */
export interface Dynalite extends RunningEmulator {
  /**
   * Destroys the clients, closes the server (dropping open connections) and dynalite's database,
   * and resolves once the port is free. Idempotent: later calls return the same promise.
   */
  stop(): Promise<void>;
}

/**
 * Starts dynalite 4.0.0 (the Node.js DynamoDB emulator on an in-memory LevelDB) in this process on
 * 127.0.0.1, with tables created and deleted at once, and adds the two operations it lacks:
 * `TransactWriteItems` and `TransactGetItems`. No Java, no Docker; a fresh, empty database per
 * call.
 *
 * The transactions are built on dynalite's own store, item locks, validations, condition
 * evaluation and update application, and answer as DynamoDB Local 1.25.1 does (checked by a
 * differential test): all-or-nothing Put/Update/Delete/ConditionCheck with
 * `TransactionCanceledException` reasons per action (and the item with
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD`), the 100-action and 4 MB limits, one action per
 * item, `ClientRequestToken` idempotency for 10 minutes, and isolation from concurrent single-item
 * writes (a transaction holds dynalite's locks on all its items and commits in one batch).
 *
 * @param options - port, abort signal, table timings, token window, client configuration.
 * @returns the running instance.
 * @throws `InvalidArgumentError` for a malformed option, naming it (e.g. `options.port`).
 * @throws the listen error (e.g. `EADDRINUSE` for a given port that is taken).
 * @throws the signal's reason when `options.signal` aborts.
 *
 * @example
 * ```ts
 * import { TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
 * import { startDynalite } from "@projectionkit/dynamodb-testing";
 *
 * await using ddb = await startDynalite();
 * // … CreateTableCommand …
 * await ddb.client.send(
 *   new TransactWriteItemsCommand({
 *     TransactItems: [
 *       { Put: { TableName: "orders", Item: { pk: { S: "o1" } }, ConditionExpression: "attribute_not_exists(pk)" } },
 *       { Update: { TableName: "totals", Key: { pk: { S: "all" } }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } } },
 *     ],
 *   }),
 * );
 * ```
 */
export async function startDynalite(options?: StartDynaliteOptions): Promise<Dynalite> {
  const resolved = resolveDynaliteOptions(options);
  const { signal } = resolved;
  await loadDynalite();
  installSingleWriteReturnValues();
  signal?.throwIfAborted();
  const { server, store } = createDynaliteServer({
    createTableMs: resolved.createTableMs,
    deleteTableMs: resolved.deleteTableMs,
    updateTableMs: resolved.updateTableMs,
  });
  installHarnessListener(server, store, {
    idempotencyWindowMs: resolved.idempotencyWindowMs,
    now: Date.now,
    instantCreate: resolved.createTableMs === 0,
    instantDelete: resolved.deleteTableMs === 0,
  });
  const port = await listen(server, resolved.port, signal);
  server.unref();
  const endpoint = `http://127.0.0.1:${port}`;

  return runningEmulator(endpoint, port, resolved.clientConfig, () => close(server));
}

/** Listens on 127.0.0.1; on abort (or a listen error) closes the server and rejects. */
async function listen(server: Server, port: number, signal: AbortSignal | undefined): Promise<number> {
  try {
    signal?.throwIfAborted();
    return await new Promise<number>((resolve, reject) => {
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason);
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const onListening = (): void => {
        cleanup();
        if (signal?.aborted === true) {
          reject(signal.reason);
          return;
        }
        const address = server.address();
        if (address === null || typeof address === "string") {
          reject(new Error(`unexpected server address ${String(address)}`));
          return;
        }
        resolve(address.port);
      };
      const cleanup = (): void => {
        signal?.removeEventListener("abort", onAbort);
        server.off("error", onError);
        server.off("listening", onListening);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen({ port, host: "127.0.0.1", exclusive: true });
    });
  } catch (error) {
    await close(server).catch(() => undefined);
    throw error;
  }
}

/**
 * Closes the server through dynalite's `close` (which then closes its database) and drops open
 * keep-alive connections, so that the port is free when this resolves.
 */
function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      // Nothing to wait for; dynalite's close would fail with ERR_SERVER_NOT_RUNNING.
      server.close(() => resolve());
      server.closeAllConnections();
      return;
    }
    server.close((error) => (error === null || error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
  });
}
