import http from "node:http";
import net from "node:net";

/** A TCP port on 127.0.0.1 that nothing listens on: a connection to it is refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * An HTTP agent whose name resolution fails the way Node.js reports a name that does not resolve
 * (`getaddrinfo ENOTFOUND`), without asking any DNS server.
 */
export function unresolvableAgent(): http.Agent {
  return new http.Agent({
    lookup: (hostname, _options, callback) => {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", errno: -3008, syscall: "getaddrinfo", hostname });
      process.nextTick(() => (callback as (error: Error) => void)(error));
    },
  });
}

/**
 * A TCP proxy on 127.0.0.1 to `target` (e.g. DynamoDB Local). After {@link LosingProxy.loseNextAnswer},
 * the next request is forwarded, and when its answer starts to come back (the request was
 * processed) the proxy stops listening and cuts the connection: the client never gets the answer,
 * and its next connection is refused.
 */
export interface LosingProxy {
  readonly endpoint: string;
  loseNextAnswer(): void;
  close(): Promise<void>;
}

export async function startLosingProxy(target: string): Promise<LosingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let lose = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      if (lose) {
        lose = false;
        server.close();
        for (const socket of sockets) socket.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: own } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${own}`,
    loseNextAnswer: () => {
      lose = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
