import { randomBytes } from "node:crypto";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { crc32 } from "node:zlib";
import type { Store } from "./dynalite-internals.js";
import { IdempotencyTokens } from "./idempotency.js";
import { holdUntilTableSettled } from "./table-settling.js";
import { transactGetItems } from "./transact-get-items.js";
import { transactWriteItems, type WriteReplay } from "./transact-write-items.js";
import { internalFailure, WireError, type WireErrorBody } from "./wire-errors.js";

/** The `X-Amz-Target` of the operations the harness adds to dynalite. */
const OPERATIONS = {
  "DynamoDB_20120810.TransactWriteItems": "TransactWriteItems",
  "DynamoDB_20120810.TransactGetItems": "TransactGetItems",
} as const;

type Operation = (typeof OPERATIONS)[keyof typeof OPERATIONS];

const JSON_CONTENT_TYPES = new Set(["application/json", "application/x-amz-json-1.0"]);
const MAX_REQUEST_BYTES = 16 * 1024 * 1024; // as dynalite

/**
 * Options of {@link installHarnessListener}.
 *
 * @internal
 */
export interface HarnessListenerOptions {
  /** How long a `ClientRequestToken` is remembered. */
  readonly idempotencyWindowMs: number;
  /** The clock for the tokens. */
  readonly now: () => number;
  /** Answer `CreateTable` only once the table is `ACTIVE` (with `createTableMs: 0`). */
  readonly instantCreate: boolean;
  /** Answer `DeleteTable` only once the table is gone (with `deleteTableMs: 0`). */
  readonly instantDelete: boolean;
}

/**
 * Adds `TransactWriteItems` and `TransactGetItems` to a dynalite server: replaces its request
 * listener with one that answers requests whose `X-Amz-Target` names one of them, on dynalite's
 * store, and hands every other request to dynalite's own listener unchanged (holding back the
 * answer of `CreateTable`/`DeleteTable` until the change is done, when tables are instant).
 *
 * @internal
 * @param server - dynalite's server, before it listens.
 * @param store - its store.
 * @param options - token window, clock, instant tables.
 * @throws Error when the server does not have exactly one request listener (dynalite's).
 */
export function installHarnessListener(server: Server, store: Store, options: HarnessListenerOptions): void {
  const listeners = server.listeners("request");
  const [dynaliteListener] = listeners;
  if (listeners.length !== 1 || dynaliteListener === undefined) {
    throw new Error(`expected dynalite's one request listener, found ${listeners.length}`);
  }
  const forward = dynaliteListener as RequestListener;
  const tokens = new IdempotencyTokens<WriteReplay>(options.idempotencyWindowMs, options.now);
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const operation = transactionOperation(request);
    if (operation === undefined) {
      const target = request.headers["x-amz-target"];
      if (options.instantCreate && target === "DynamoDB_20120810.CreateTable") {
        holdUntilTableSettled(store, response, "create");
      } else if (options.instantDelete && target === "DynamoDB_20120810.DeleteTable") {
        holdUntilTableSettled(store, response, "delete");
      }
      forward(request, response);
      return;
    }
    void answer(request, response, operation, (body) =>
      operation === "TransactWriteItems" ? transactWriteItems(store, tokens, body) : transactGetItems(store, body),
    );
  });
}

function transactionOperation(request: IncomingMessage): Operation | undefined {
  const target = request.headers["x-amz-target"];
  if (request.method !== "POST" || typeof target !== "string" || !Object.hasOwn(OPERATIONS, target)) {
    return undefined;
  }
  // Requests dynalite would refuse before looking at the target go to dynalite, which refuses them.
  if (!JSON_CONTENT_TYPES.has(contentType(request))) {
    return undefined;
  }
  return OPERATIONS[target as keyof typeof OPERATIONS];
}

function contentType(request: IncomingMessage): string {
  return (request.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  operation: Operation,
  handle: (body: unknown) => Promise<object>,
): Promise<void> {
  const read = await readBody(request);
  if (read.kind === "aborted") {
    return;
  }
  if (read.kind === "too-large") {
    request.removeAllListeners();
    response.statusCode = 413; // as dynalite
    response.end();
    return;
  }
  response.setHeader("x-amzn-RequestId", requestId());
  if (request.headers.origin !== undefined) {
    response.setHeader("Access-Control-Allow-Origin", "*"); // as dynalite answers browsers
  }
  const type = contentType(request);
  try {
    if (!isAuthenticated(request)) {
      send(response, type, 400, {
        __type: "com.amazon.coral.service#MissingAuthenticationTokenException",
        message: "Request is missing Authentication Token",
      });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch {
      send(response, type, 400, { __type: "com.amazon.coral.service#SerializationException" });
      return;
    }
    send(response, type, 200, await handle(body));
  } catch (error) {
    if (error instanceof WireError) {
      send(response, type, error.statusCode, error.body);
      return;
    }
    process.emitWarning(`dynalite ${operation} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const failure = internalFailure();
    send(response, type, failure.statusCode, failure.body);
  }
}

type BodyRead =
  | { readonly kind: "body"; readonly text: string }
  | { readonly kind: "too-large" }
  | { readonly kind: "aborted" };

function readBody(request: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_REQUEST_BYTES) {
        resolve({ kind: "too-large" });
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve({ kind: "body", text: Buffer.concat(chunks).toString("utf8") }));
    request.on("close", () => {
      if (!request.complete) {
        resolve({ kind: "aborted" });
      }
    });
    request.on("error", () => resolve({ kind: "aborted" }));
  });
}

function isAuthenticated(request: IncomingMessage): boolean {
  const authorization = request.headers.authorization;
  if (typeof authorization === "string") {
    return authorization.trim().startsWith("AWS4-");
  }
  return new URL(request.url ?? "/", "http://localhost").searchParams.has("X-Amz-Algorithm");
}

function send(response: ServerResponse, type: string, statusCode: number, data: object | WireErrorBody): void {
  if (response.headersSent || response.destroyed) {
    return;
  }
  const body = JSON.stringify(data);
  response.statusCode = statusCode;
  response.setHeader("x-amz-crc32", String(crc32(body)));
  response.setHeader("Content-Type", type === "application/x-amz-json-1.0" ? type : "application/json");
  response.setHeader("Content-Length", Buffer.byteLength(body, "utf8"));
  response.end(body);
}

// DynamoDB's request ids are 52 characters of [A-Z0-9].
function requestId(): string {
  return randomBytes(39).toString("base64").toUpperCase().replace(/[+/]/g, "0");
}
