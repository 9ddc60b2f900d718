import { createServer } from "node:net";

/**
 * Options of {@link findFreePort}.
 *
 * @example
 * ```ts
 * const options: FindFreePortOptions = { signal: AbortSignal.timeout(1_000) };
 * ```
 */
export interface FindFreePortOptions {
  /** Aborts the search; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Asks the operating system for a TCP port that is free right now: binds a server to port 0 on all
 * interfaces (as DynamoDB Local binds `0.0.0.0`), reads the port it got, and closes the server.
 * Another process may take the port before it is used again; callers retry on `EADDRINUSE`.
 *
 * @internal
 * @param options - an abort signal.
 * @returns a port number in the ephemeral range.
 */
export async function findFreePort(options: FindFreePortOptions = {}): Promise<number> {
  const { signal } = options;
  signal?.throwIfAborted();
  const server = createServer();
  server.unref();
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error(`unexpected server address ${String(address)}`));
        return;
      }
      resolve(address.port);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
  });
  signal?.throwIfAborted();
  return port;
}
