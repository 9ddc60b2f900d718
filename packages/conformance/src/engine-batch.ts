import {
  createEventScope,
  isRetryableError,
  versionsEqual,
  type BatchDelivery,
  type BatchResult,
  type BatchStop,
  type Resource,
  type Version,
} from "@projectionkit/core";
import { expect } from "vitest";
import type { ProjectionBackend } from "./backends.js";
import type { FaultKind } from "./capabilities.js";
import { MAX_DELIVERY_ATTEMPTS } from "./engine-retry.js";
import type { ProbeEvent } from "./probe.js";
import { settle } from "./support.js";

/**
 * One event of a batch the kit delivers: its versions and its probe event.
 *
 * @internal
 */
export interface KitBatchDelivery {
  readonly current: Version;
  readonly next: Version;
  readonly event: ProbeEvent;
}

/**
 * What became of a batch that the kit delivered like an engine.
 *
 * @internal
 */
export interface BatchOutcome {
  /**
   * How many deliveries, from the first, are applied when the engine stopped: by its calls, or by
   * an attempt whose answer was lost (see {@link BatchOutcome.claimed}).
   */
  readonly settled: number;
  /** How many of them the calls' results said they applied: those the engine knows are its own. */
  readonly claimed: readonly number[];
  /** Why the engine stopped before the end: the last call's stop, with `index` into the whole batch. */
  readonly stopped: BatchStop | undefined;
  /** The errors of the calls that stopped on one, in order. */
  readonly errors: readonly unknown[];
}

/**
 * Checks what a batch call resolved with against clause B1: a prefix applied, and a stop exactly
 * where it ended when it did not apply everything.
 *
 * @param result - what `handleEventBatch` resolved with.
 * @param length - how many deliveries it was given.
 * @param context - what was delivered, for the messages.
 *
 * @internal
 */
export function expectBatchResult(result: BatchResult, length: number, context: string): void {
  expect(typeof result === "object" && result !== null, `B1: ${context}: the result is an object`).toBe(true);
  const { applied, requests, stopped } = result;
  expect(Number.isInteger(applied) && applied >= 0 && applied <= length, `B1: ${context}: applied is a count of deliveries, got ${String(applied)}`).toBe(true);
  expect(Number.isInteger(requests) && requests >= 0, `B1: ${context}: requests is a count, got ${String(requests)}`).toBe(true);
  if (applied === length) {
    expect(stopped, `B1: ${context}: every delivery applied, yet the result says it stopped`).toBeUndefined();
    return;
  }
  expect(stopped, `B1: ${context}: ${applied} of ${length} applied, yet the result does not say where and why it stopped`).toBeDefined();
  expect(stopped?.index, `B1: ${context}: the stop's index is the first delivery not applied`).toBe(applied);
  expect(["conflict", "error"], `B1: ${context}: the reason of the stop`).toContain(stopped?.reason);
}

/**
 * Sends a batch once: through `handleEventBatch` when the backend declares the capability, else one
 * event at a time through `handleEvent`, stopping at the first that does not apply, as an engine
 * drives a handler without it (B4).
 *
 * @param backend - the backend.
 * @param batches - whether the backend declares `batches: true`.
 * @param resource - the resource of every delivery.
 * @param deliveries - the deliveries.
 * @param attempt - 0 for the first delivery, more for retries (sets `isPrimaryDelivery`).
 * @returns the result; a rejection is an error of the caller (bad arguments).
 *
 * @internal
 */
export async function sendBatch(
  backend: ProjectionBackend,
  batches: boolean,
  resource: Resource,
  deliveries: readonly KitBatchDelivery[],
  attempt = 0,
): Promise<BatchResult> {
  const scope = createEventScope({ isPrimaryDelivery: attempt === 0 });
  const { handler } = backend;
  if (batches) {
    if (handler.handleEventBatch === undefined) {
      throw new TypeError("the backend declares batches: true, but its handler has no handleEventBatch");
    }
    const sent: BatchDelivery<ProbeEvent>[] = deliveries.map((d) => ({ current: d.current, next: d.next, event: d.event, scope }));
    return handler.handleEventBatch(resource, sent);
  }
  for (const [index, d] of deliveries.entries()) {
    let storedVersion: Version | undefined;
    const outcome = await settle(
      handler.handleEvent(resource, d.current, d.next, scope, d.event, {
        onConflict: (conflict) => {
          storedVersion = conflict.storedVersion;
        },
      }),
    );
    if (!outcome.ok) {
      return { applied: index, requests: index + 1, stopped: { index, reason: "error", error: outcome.error } };
    }
    if (!outcome.value) {
      return { applied: index, requests: index + 1, stopped: { index, reason: "conflict", storedVersion } };
    }
  }
  return { applied: deliveries.length, requests: deliveries.length, stopped: undefined };
}

/**
 * Delivers a batch the way an at-least-once engine does (B1–B3): the part after a stop on an error
 * is sent again; when that meets a conflict after an error, the stored version (as reported, or read)
 * tells which deliveries the lost attempt applied, and the engine goes on after them, like the
 * delivery driver skipping a duplicate prefix. A conflict without an earlier error ends the
 * delivery. Every result is checked against B1 first.
 *
 * When `fault` is given it is injected before the first call and faults still pending afterwards are
 * dropped. An error without an injected fault fails the test, unless `allowRejections` says other
 * callers injected faults, or `mayReject` says an event fails by itself (a failing user item): then
 * there is a single call.
 *
 * @param backend - the backend.
 * @param delivery - the resource, deliveries, and what to expect.
 * @returns the outcome.
 *
 * @internal
 */
export async function deliverBatchLikeAnEngine(
  backend: ProjectionBackend,
  delivery: {
    readonly batches: boolean;
    readonly resource: Resource;
    readonly deliveries: readonly KitBatchDelivery[];
    readonly fault?: FaultKind | undefined;
    readonly mayReject?: boolean | undefined;
    readonly allowRejections?: boolean | undefined;
    /** Runs after each call that stopped on an error, with how many deliveries were settled before that call. */
    readonly onError?: ((settledBefore: number, result: BatchResult) => Promise<void>) | undefined;
  },
): Promise<BatchOutcome> {
  if (delivery.fault !== undefined) {
    if (backend.faults === undefined) {
      throw new TypeError(`the backend declares the fault "${delivery.fault}" but has no faults injector`);
    }
    backend.faults.inject(delivery.fault);
  }
  try {
    return await sendUntilSettled(backend, delivery);
  } finally {
    if (delivery.fault !== undefined) {
      backend.faults?.reset();
    }
  }
}

async function sendUntilSettled(backend: ProjectionBackend, delivery: Parameters<typeof deliverBatchLikeAnEngine>[1]): Promise<BatchOutcome> {
  const { deliveries, resource } = delivery;
  const errors: unknown[] = [];
  const claimed: number[] = [];
  let settled = 0;
  const attempts = delivery.mayReject === true ? 1 : MAX_DELIVERY_ATTEMPTS;
  let stopped: BatchStop | undefined;
  for (let attempt = 0; attempt < attempts && settled < deliveries.length; attempt++) {
    const remaining = deliveries.slice(settled);
    const result = await sendBatch(backend, delivery.batches, resource, remaining, attempt);
    expectBatchResult(result, remaining.length, `a batch of ${remaining.length} from ${deliveries[settled]?.event.id ?? "?"}`);
    for (let i = 0; i < result.applied; i++) {
      claimed.push(settled + i);
    }
    const before = settled;
    settled += result.applied;
    stopped = result.stopped === undefined ? undefined : { ...result.stopped, index: settled };
    if (result.stopped === undefined) {
      break;
    }
    if (result.stopped.reason === "error") {
      errors.push(result.stopped.error);
      await delivery.onError?.(before, result);
      if (delivery.mayReject !== true) {
        expect(delivery.fault !== undefined || delivery.allowRejections === true, `a batch stopped on an error without an injected fault: ${String(result.stopped.error)}`).toBe(true);
        if (delivery.fault === "throttling" && errors.length === 1) {
          expect(isRetryableError(result.stopped.error), `a throttled commit must fail with a retryable error, got ${String(result.stopped.error)}`).toBe(true);
        }
      }
      continue;
    }
    if (errors.length === 0) {
      break;
    }
    // A conflict after an error: an earlier call may have committed deliveries whose answer was lost.
    const stored = result.stopped.storedVersion ?? (await backend.handler.resourceVersion(resource));
    const last = lastIndexWithNext(deliveries, settled, stored);
    if (last === undefined) {
      break;
    }
    settled = last + 1;
    stopped = undefined;
  }
  return { settled, claimed, stopped, errors };
}

function lastIndexWithNext(deliveries: readonly KitBatchDelivery[], from: number, stored: Version): number | undefined {
  for (let i = deliveries.length - 1; i >= from; i--) {
    if (versionsEqual((deliveries[i] as KitBatchDelivery).next, stored)) {
      return i;
    }
  }
  return undefined;
}
