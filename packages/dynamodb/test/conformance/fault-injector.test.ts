import { PROBE_EVENT_TYPE, type ProbeEvent, type ProjectionBackend } from "@projectionkit/conformance";
import { createEventScope, EMPTY_VERSION, encodeOffset, isProjectionKitError, isRetryableError } from "@projectionkit/core";
import { createTable } from "@projectionkit/dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterEach, beforeAll, expect, it } from "vitest";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { logRequests, type RequestLog } from "../support/faults.js";
import { createListsTable, dynamoFaultInjector, dynamoProjectionBackend, type ProbeTables } from "./probe-backend.js";

/**
 * The DynamoDB backend of the conformance kit, checked on its own: each fault kind really breaks
 * the commit request it should, and the adapter answers it as the kit expects (K4). Without this,
 * the kit's fault scenarios could pass because no fault ever fired.
 */

const scope = createEventScope();
const resource = new TextEncoder().encode("a");

function event(id: string, failUserItem = false): ProbeEvent {
  return failUserItem ? { type: PROBE_EVENT_TYPE, list: "a", id, failUserItem } : { type: PROBE_EVENT_TYPE, list: "a", id };
}

describeOnEmulators("the DynamoDB conformance backend", (emulator) => {
  const setup = emulator.client();
  let tables: ProbeTables | undefined;
  const teardowns: Array<() => void | Promise<void>> = [];

  beforeAll(async () => {
    const created = { versions: uniqueTableName("conf-faults-versions"), lists: uniqueTableName("conf-faults-lists") };
    await createTable(setup, created.versions);
    await createListsTable(setup, created.lists);
    await createListsTable(setup, created.lists); // idempotent
    tables = created;
  });

  afterEach(async () => {
    for (const teardown of teardowns.splice(0)) {
      await teardown();
    }
  });

  /** A backend whose client logs its requests. */
  function backend(): { backend: ProjectionBackend; log: RequestLog; client: DynamoDBClient } {
    let client: DynamoDBClient | undefined;
    const made = dynamoProjectionBackend(
      () => (client = emulator.client()),
      () => tables as ProbeTables,
    )({ pause: () => Promise.resolve() });
    if (client === undefined || made.teardown === undefined) {
      throw new Error("the factory did not make a client and a teardown");
    }
    teardowns.push(made.teardown);
    return { backend: made, log: logRequests(client), client };
  }

  it("applies probe events to its own list, and a failing user item cancels the whole transaction", async () => {
    const { backend: one } = backend();
    const { backend: two } = backend();
    expect(await one.readList("a")).toEqual([]);
    expect(await one.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0"))).toBe(true);
    expect(await one.handler.handleEvent(resource, encodeOffset(0), encodeOffset(1), scope, event("e1"))).toBe(true);
    const failed = await one.handler.handleEvent(resource, encodeOffset(1), encodeOffset(2), scope, event("e2", true)).catch((error: unknown) => error);
    expect(isProjectionKitError(failed, "ERR_ITEM_CONDITION_FAILED")).toBe(true);
    expect(await one.readList("a")).toEqual(["e0", "e1"]);
    expect(await one.handler.resourceVersion(resource)).toEqual(encodeOffset(1));
    // Another backend on the same tables shares nothing.
    expect(await two.readList("a")).toEqual([]);
    expect(await two.handler.resourceVersion(resource)).toEqual(EMPTY_VERSION);
  });

  it.each([
    { fault: "before-commit", code: "ERR_DYNAMODB_REQUEST_FAILED", request: "never reaches DynamoDB" },
    { fault: "throttling", code: "ERR_THROTTLED", request: "is refused by DynamoDB" },
  ] as const)("E3: $fault: the request $request; the call rejects at once with a retryable $code, never an ambiguous commit, and writes nothing; the next attempt commits", async ({ fault, code }) => {
    const { backend: b, log } = backend();
    b.faults?.inject(fault);
    const error = await b.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0")).catch((e: unknown) => e);
    expect(isProjectionKitError(error, code), String(error)).toBe(true);
    expect(isProjectionKitError(error, "ERR_AMBIGUOUS_COMMIT")).toBe(false);
    expect(isRetryableError(error)).toBe(true);
    // What could not have committed is not retried by the adapter: one request.
    expect(log.count("TransactWriteItemsCommand")).toBe(1);
    expect(await b.readList("a")).toEqual([]);
    expect(await b.handler.resourceVersion(resource)).toEqual(EMPTY_VERSION);
    // The engine's retry applies it.
    expect(await b.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0"))).toBe(true);
    expect(await b.readList("a")).toEqual(["e0"]);
  });

  it('"lost-response": the commit lands, its answer is lost; the adapter\'s retry resolves true and the event shows once', async () => {
    const { backend: b, log } = backend();
    b.faults?.inject("lost-response");
    expect(await b.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0"))).toBe(true);
    expect(log.count("TransactWriteItemsCommand")).toBe(2);
    expect(await b.readList("a")).toEqual(["e0"]);
    expect(await b.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0"))).toBe(false);
    expect(await b.readList("a")).toEqual(["e0"]);
  });

  it("faults are taken in order, one per commit request (the adapter's own retries included); reads are never broken", async () => {
    const { backend: b, log } = backend();
    b.faults?.inject("throttling");
    b.faults?.inject("lost-response");
    b.faults?.inject("throttling");
    // resourceVersion (GetItem) is not a commit: it takes no fault.
    expect(await b.handler.resourceVersion(resource)).toEqual(EMPTY_VERSION);
    // closeResource is a version-only DeleteItem: it takes the first fault.
    const closed = await b.handler.closeResource(resource).catch((e: unknown) => e);
    expect(isProjectionKitError(closed, "ERR_THROTTLED")).toBe(true);
    // The first attempt takes only lost-response (it commits), the adapter's retry the throttling:
    // the outcome is unknown to the adapter, so it says so, with the throttling as the cause.
    const error = await b.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0")).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_AMBIGUOUS_COMMIT")).toBe(true);
    expect(isProjectionKitError((error as Error).cause, "ERR_THROTTLED")).toBe(true);
    expect(isRetryableError(error)).toBe(true);
    expect(log.count("TransactWriteItemsCommand")).toBe(2);
    expect(await b.readList("a")).toEqual(["e0"]);
    // The engine's retry learns that it had been applied.
    expect(await b.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0"))).toBe(false);
    expect(await b.readList("a")).toEqual(["e0"]);
  });

  it("reset drops the faults not taken yet", async () => {
    const { backend: b } = backend();
    b.faults?.inject("throttling", 2);
    b.faults?.reset();
    expect(await b.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0"))).toBe(true);
    expect(await b.readList("a")).toEqual(["e0"]);
  });

  it("the injector counts what it broke and refuses nonsense", async () => {
    const client = emulator.client();
    teardowns.push(() => client.destroy());
    const faults = dynamoFaultInjector(client);
    expect(faults.injected()).toEqual({ "before-commit": 0, "lost-response": 0, throttling: 0 });
    expect(() => faults.inject("crash" as never)).toThrow(TypeError);
    expect(() => faults.inject("throttling", -1)).toThrow(TypeError);
    const { backend: b } = backend();
    b.faults?.inject("lost-response");
    await b.handler.handleEvent(resource, EMPTY_VERSION, encodeOffset(0), scope, event("e0"));
    expect((b.faults as ReturnType<typeof dynamoFaultInjector>).injected()).toEqual({ "before-commit": 0, "lost-response": 1, throttling: 0 });
  });
});
