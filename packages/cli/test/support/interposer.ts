import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** A DynamoDB request as the interposer sees it: its operation (e.g. `"Scan"`) and JSON body. */
export interface InterposedRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

/** A running interposer: a plain HTTP proxy in front of an emulator. */
export interface Interposer extends AsyncDisposable {
  /** Its endpoint, to give the CLI instead of the emulator's. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts an HTTP proxy on 127.0.0.1 that forwards every request to `upstream` unchanged, after
 * `before` resolves for it: a test holds a request there (to act while the CLI waits for it) or
 * writes to the emulator first (a concurrent writer). A request whose client went away while it
 * was held is not forwarded. The emulators do not check signatures, so forwarding signed requests
 * to another port is fine.
 *
 * @param upstream - the emulator's endpoint.
 * @param before - called for each request before it is forwarded.
 */
export async function startInterposer(upstream: string, before: (request: InterposedRequest) => Promise<void> | void): Promise<Interposer> {
  const target = new URL(upstream);
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      void (async () => {
        await before({ operation, body: body.length === 0 ? {} : (JSON.parse(body.toString("utf8")) as Record<string, unknown>) });
        if (outgoing.destroyed || incoming.socket.destroyed) {
          return;
        }
        const forwarded = httpRequest(
          { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forwarded.on("error", () => outgoing.destroy());
        forwarded.end(body);
      })().catch(() => outgoing.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));
  return { endpoint: `http://127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop };
}

/** A latch: `wait()` resolves once `open()` was called. */
export function latch(): { readonly wait: () => Promise<void>; readonly open: () => void; readonly isOpen: () => boolean } {
  let open!: () => void;
  let opened = false;
  const promise = new Promise<void>((resolve) => {
    open = () => {
      opened = true;
      resolve();
    };
  });
  return { wait: () => promise, open: () => open(), isOpen: () => opened };
}
