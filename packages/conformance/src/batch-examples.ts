import { createEventScope, encodeOffset, isProjectionKitError, type BatchDelivery, type BatchResult, type Resource } from "@projectionkit/core";
import { expect, it } from "vitest";
import type { ProjectionBackend, ProjectionConformanceOptions } from "./backends.js";
import { FAULT_KINDS, type FaultKind } from "./capabilities.js";
import { deliverBatchLikeAnEngine, expectBatchResult, sendBatch, type KitBatchDelivery } from "./engine-batch.js";
import { projectionExampleTest } from "./example-harness.js";
import { exampleResource } from "./neighbours.js";
import { probeEvent, UNEXPECTED_EVENT_TYPE, type ProbeEvent } from "./probe.js";
import { expectUserItemFailure, offsetVersion, settle, utf8 } from "./support.js";

const EMPTY = new Uint8Array(0);
const scope = createEventScope();

const DESCRIPTIONS: Record<FaultKind, string> = {
  "before-commit": "a commit that fails before it reaches storage",
  "lost-response": "a commit that is applied but whose response is lost",
  throttling: "a throttled commit",
};

/**
 * The deliveries of a stream's offsets `from` to `to` (inclusive), appending `<list>@<offset>` to
 * `list`; `failing` names offsets whose probe item fails.
 */
function run(list: string, from: number, to: number, failing: readonly number[] = []): KitBatchDelivery[] {
  return Array.from({ length: to - from + 1 }, (_, i) => {
    const offset = from + i;
    return { current: offsetVersion(offset - 1), next: encodeOffset(offset), event: probeEvent(list, `${list}@${offset}`, failing.includes(offset)) };
  });
}

/** The ids of a stream's offsets `from` to `to` (inclusive). */
function ids(list: string, from: number, to: number): string[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => `${list}@${from + i}`);
}

function batchOf(deliveries: readonly KitBatchDelivery[]): BatchDelivery<ProbeEvent>[] {
  return deliveries.map((d) => ({ ...d, scope }));
}

/**
 * Registers the example tests of the batch capability (K11), one or more per clause B1–B4, each
 * named by its clause id, when the backend declares `batches: true`; otherwise one visible skipped
 * test says why.
 *
 * @param options - the suite's options.
 *
 * @example
 * ```ts
 * describe("batches", () => registerBatchExamples(options));
 * ```
 */
export function registerBatchExamples(options: ProjectionConformanceOptions): void {
  if (options.capabilities.batches !== true) {
    it.skip("B1–B4: the batch capability (skipped: the backend declares no batch capability, batches: true)", () => {});
    return;
  }
  const example = projectionExampleTest(options);
  const test = (title: string, body: (backend: ProjectionBackend) => Promise<void>): void => example(title, ({ backend }) => body(backend));
  const { reportsStoredVersion, concurrentCalls } = options.capabilities;
  const list = "batched";
  const r = exampleResource();
  const batch = async (backend: ProjectionBackend, deliveries: readonly KitBatchDelivery[], resource: Resource = r): Promise<BatchResult> => {
    const result = await sendBatch(backend, true, resource, deliveries);
    expectBatchResult(result, deliveries.length, `a batch of ${deliveries.map((d) => d.event.id).join(", ")}`);
    return result;
  };
  const expectStored = async (backend: ProjectionBackend, listIds: readonly string[], last: number, context: string): Promise<void> => {
    expect(await backend.readList(list), `the effects after ${context}`).toEqual(listIds);
    expect(await backend.handler.resourceVersion(r), `the version after ${context}`).toEqual(offsetVersion(last));
  };

  test("B1: a batch of consecutive events applies them all, in order, and leaves the last one's next version", async (backend) => {
    const first = await batch(backend, run(list, 0, 3));
    expect(first.applied).toBe(4);
    expect(first.requests, "a batch that applied events sent at least one request").toBeGreaterThanOrEqual(1);
    await expectStored(backend, ids(list, 0, 3), 3, "the first batch");
    const second = await batch(backend, run(list, 4, 5));
    expect(second.applied).toBe(2);
    await expectStored(backend, ids(list, 0, 5), 5, "the second batch");
  });

  test("B1: a batch stops at an event whose own write fails: at most the events before it are committed, the stop names it as an error, and nothing after it is written", async (backend) => {
    expect(await backend.handler.handleEvent(r, EMPTY, encodeOffset(0), scope, probeEvent(list, `${list}@0`))).toBe(true);
    const result = await batch(backend, run(list, 1, 4, [3]));
    expect(result.applied, "the events before the failing one, or fewer when they shared its request").toBeLessThanOrEqual(2);
    expect(result.stopped?.reason).toBe("error");
    expectUserItemFailure(backend, result.stopped?.reason === "error" ? result.stopped.error : undefined, `${list}@3 with a failing user item in a batch`);
    await expectStored(backend, ids(list, 0, result.applied), result.applied, "a batch that stopped at a failing event");
    const rest = await batch(backend, run(list, 1 + result.applied, 4));
    expect(rest.applied).toBe(4 - result.applied);
    await expectStored(backend, ids(list, 0, 4), 4, "the rest of the batch without the failure");
  });

  test("B1/E1/E2/H3: deliveries that are not consecutive, bad arguments, unknown options and undeclared events are typed errors before any I/O, and nothing is written", async (backend) => {
    const handler = backend.handler;
    const good = batchOf(run(list, 0, 1));
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["ERR_INVALID_ARGUMENT", () => handler.handleEventBatch?.(r, batchOf([...run(list, 0, 0), ...run(list, 2, 2)])) ?? Promise.resolve()],
      ["ERR_INVALID_ARGUMENT", () => handler.handleEventBatch?.(r, "deliveries" as never) ?? Promise.resolve()],
      ["ERR_INVALID_RESOURCE", () => handler.handleEventBatch?.(new Uint8Array(0), good) ?? Promise.resolve()],
      ["ERR_INVALID_VERSION", () => handler.handleEventBatch?.(r, [{ ...good[0], next: "1" } as never]) ?? Promise.resolve()],
      ["ERR_INVALID_ARGUMENT", () => handler.handleEventBatch?.(r, good, { sginal: AbortSignal.timeout(1_000) } as never) ?? Promise.resolve()],
      ["ERR_UNEXPECTED_MESSAGE", () => handler.handleEventBatch?.(r, [good[0], { ...good[1], event: { type: UNEXPECTED_EVENT_TYPE, list, id: "x" } }] as never) ?? Promise.resolve()],
    ];
    for (const [code, call] of calls) {
      const outcome = await settle(Promise.resolve().then(call));
      const error = outcome.ok ? undefined : outcome.error;
      expect(isProjectionKitError(error), `expected a typed error ${code}, got ${outcome.ok ? "a result" : String(error)}`).toBe(true);
      expect((error as { code?: string }).code).toBe(code);
    }
    await expectStored(backend, [], -1, "batches with bad arguments");
  });

  test("B1/E1: a batch with an aborted signal writes nothing: it rejects with the signal's reason, or stops at its first delivery with it", async (backend) => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    const outcome = await settle(Promise.resolve().then(() => backend.handler.handleEventBatch?.(r, batchOf(run(list, 0, 2)), { signal: controller.signal })));
    if (outcome.ok) {
      expect(outcome.value?.applied).toBe(0);
      expect(outcome.value?.stopped).toMatchObject({ index: 0, reason: "error", error: reason });
    } else {
      expect(outcome.error).toBe(reason);
    }
    await expectStored(backend, [], -1, "a batch with an aborted signal");
  });

  test("B2: a batch whose first current version is not the stored one stops at once with a conflict that reports the stored version, and writes nothing", async (backend) => {
    await batch(backend, run(list, 0, 1));
    for (const [deliveries, what] of [
      [run(list, 4, 5), "a gap"],
      [[{ current: EMPTY, next: Uint8Array.of(7), event: probeEvent(list, "as-new") }], "an empty current version"],
      [[{ current: Uint8Array.of(9, 0), next: Uint8Array.of(7), event: probeEvent(list, "random") }], "a version never stored"],
    ] as const) {
      const result = await batch(backend, deliveries);
      expect(result.applied, what).toBe(0);
      expect(result.stopped?.reason, what).toBe("conflict");
      if (reportsStoredVersion && result.stopped?.reason === "conflict") {
        expect(result.stopped.storedVersion, `the stored version reported for ${what}`).toEqual(encodeOffset(1));
      }
      await expectStored(backend, ids(list, 0, 1), 1, `a batch that starts with ${what}`);
    }
  });

  test("B2: a batch that starts with events already applied (a redelivered prefix) stops at its first delivery, reports where the resource is, and writes nothing after it", async (backend) => {
    await batch(backend, run(list, 0, 1));
    const again = await batch(backend, run(list, 0, 3));
    expect(again.applied).toBe(0);
    expect(again.stopped).toMatchObject({ index: 0, reason: "conflict" });
    if (reportsStoredVersion && again.stopped?.reason === "conflict") {
      expect(again.stopped.storedVersion).toEqual(encodeOffset(1));
    }
    await expectStored(backend, ids(list, 0, 1), 1, "a redelivered batch");
    const rest = await batch(backend, run(list, 2, 3));
    expect(rest.applied).toBe(2);
    await expectStored(backend, ids(list, 0, 3), 3, "the rest of the redelivered batch");
  });

  const supported = new Set(options.capabilities.faults ?? []);
  for (const kind of FAULT_KINDS) {
    if (!supported.has(kind)) {
      it.skip(`B3/K4: ${DESCRIPTIONS[kind]} inside a batch (skipped: the backend cannot inject "${kind}")`, () => {});
      continue;
    }
    test(`B3/K4: ${DESCRIPTIONS[kind]} inside a batch loses nothing and doubles nothing when the engine sends the rest again`, async (backend) => {
      expect(await backend.handler.handleEvent(r, EMPTY, encodeOffset(0), scope, probeEvent(list, `${list}@0`))).toBe(true);
      const outcome = await deliverBatchLikeAnEngine(backend, {
        batches: true,
        resource: r,
        deliveries: run(list, 1, 4),
        fault: kind,
        onError: async (settledBefore, result) => {
          const committed = 1 + settledBefore + result.applied;
          const effects = await backend.readList(list);
          if (kind === "lost-response") {
            // The failed request may have committed: a longer prefix, never anything else.
            expect(effects, "after a lost response: a prefix of the batch").toEqual(ids(list, 0, effects.length - 1));
            expect(effects.length).toBeGreaterThanOrEqual(committed);
          } else {
            expect(effects, `after ${DESCRIPTIONS[kind]}: exactly what the result says was applied`).toEqual(ids(list, 0, committed - 1));
            expect(await backend.handler.resourceVersion(r)).toEqual(encodeOffset(committed - 1));
          }
        },
      });
      expect(outcome.settled, `the engine's retries must settle the batch: ${outcome.errors.map(String).join("; ")}`).toBe(4);
      await expectStored(backend, ids(list, 0, 4), 4, `${DESCRIPTIONS[kind]} inside a batch`);
      // The fault is gone: the batch again is a conflict, and the next one applies.
      const again = await batch(backend, run(list, 1, 4));
      expect(again.stopped?.reason).toBe("conflict");
      expect((await batch(backend, run(list, 5, 6))).applied).toBe(2);
      await expectStored(backend, ids(list, 0, 6), 6, "the next batch");
    });
  }

  if (concurrentCalls) {
    test("B3/H6: batches racing on one resource, redelivered and overlapping, never both apply the same delivery, and each result says what it applied", async (backend) => {
      const deliveries = run(list, 0, 5);
      const starts = [0, 0, 1, 2, 2, 3, 4];
      const results = await Promise.all(starts.map((start) => batch(backend, deliveries.slice(start))));
      const claims = results.flatMap((result, i) => Array.from({ length: result.applied }, (_, k) => (starts[i] ?? 0) + k));
      expect(claims.length, `offsets claimed by more than one batch: ${claims.sort((a, b) => a - b).join(",")}`).toBe(new Set(claims).size);
      const effects = await backend.readList(list);
      expect(effects, "the effects: a gapless prefix of the stream, each event once").toEqual(ids(list, 0, effects.length - 1));
      expect([...claims].sort((a, b) => a - b), "the applied events are exactly those the results claim").toEqual(Array.from({ length: effects.length }, (_, i) => i));
      expect(await backend.handler.resourceVersion(r)).toEqual(offsetVersion(effects.length - 1));
    });
  } else {
    it.skip("B3/H6: racing batches (skipped: the backend declares concurrentCalls: false)", () => {});
  }

  test("B4: a batch has the outcomes of its events delivered one at a time: what applies, where a conflict stops it, the stored version it reports", async (backend) => {
    const single = { resource: utf8("one-at-a-time"), list: "single" };
    const steps: Array<[string, number, number]> = [
      ["the first events", 0, 2],
      ["a redelivered prefix", 1, 3],
      ["a gap", 5, 6],
      ["the next events", 3, 4],
    ];
    for (const [what, from, to] of steps) {
      const batched = await batch(backend, run(list, from, to));
      const alone = await sendBatch(backend, false, single.resource, run(single.list, from, to));
      expect(batched.applied, `${what}: applied`).toBe(alone.applied);
      expect(batched.stopped?.reason, `${what}: the reason it stopped`).toBe(alone.stopped?.reason);
      if (reportsStoredVersion && batched.stopped?.reason === "conflict" && alone.stopped?.reason === "conflict") {
        expect(batched.stopped.storedVersion, `${what}: the stored version reported`).toEqual(alone.stopped.storedVersion);
      }
      const effects = (await backend.readList(list)).map((id) => id.replace(`${list}@`, "@"));
      expect(effects, `${what}: the effects`).toEqual((await backend.readList(single.list)).map((id) => id.replace(`${single.list}@`, "@")));
      expect(await backend.handler.resourceVersion(r), `${what}: the version`).toEqual(await backend.handler.resourceVersion(single.resource));
    }
    await expectStored(backend, ids(list, 0, 4), 4, "every step");
  });
}
