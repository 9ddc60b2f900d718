import { createEventScope, isRetryableError, type Resource, type Version } from "@projectionkit/core";
import { expect } from "vitest";
import type { ProjectionBackend } from "./backends.js";
import type { FaultKind } from "./capabilities.js";
import type { ProbeEvent } from "./probe.js";
import { settle } from "./support.js";

/** How many times the kit, acting as the engine, delivers one event before it gives up. */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** What became of one event that the kit delivered, retrying rejected calls like an engine. */
export interface DeliveryOutcome {
  /** The result of the call that settled, or `undefined` when every attempt rejected. */
  readonly result: boolean | undefined;
  /** The errors of the attempts that rejected, in order. */
  readonly errors: readonly unknown[];
}

/**
 * Delivers an event the way an at-least-once engine does (H2): a rejected call is retried with the
 * same (r, c, n) until one resolves. When `fault` is given it is injected before the first attempt,
 * the error it causes is checked (a throttled call must fail with a retryable error), and faults
 * still pending afterwards are dropped. A call that rejects without an injected fault fails the
 * test, unless `allowRejections` says other callers injected faults, or `mayReject` says the
 * event itself fails (a failing user item), in which case there is a single attempt.
 *
 * @param backend - the backend.
 * @param delivery - the event and its versions.
 * @returns the outcome.
 *
 * @example
 * ```ts
 * const { result } = await deliverLikeAnEngine(backend, { resource, current, next, event, fault: "lost-response" });
 * ```
 */
export async function deliverLikeAnEngine(
  backend: ProjectionBackend,
  delivery: {
    readonly resource: Resource;
    readonly current: Version;
    readonly next: Version;
    readonly event: ProbeEvent;
    readonly fault?: FaultKind | undefined;
    readonly mayReject?: boolean | undefined;
    readonly allowRejections?: boolean | undefined;
    readonly onConflict?: ((storedVersion: Version) => void) | undefined;
    /** Runs after each rejected attempt, before the retry (to check what a fault left behind). */
    readonly onRejected?: ((error: unknown) => Promise<void>) | undefined;
  },
): Promise<DeliveryOutcome> {
  const errors: unknown[] = [];
  if (delivery.fault !== undefined) {
    if (backend.faults === undefined) {
      throw new TypeError(`the backend declares the fault "${delivery.fault}" but has no faults injector`);
    }
    backend.faults.inject(delivery.fault);
  }
  try {
    return await attemptUntilSettled(backend, delivery, errors);
  } finally {
    if (delivery.fault !== undefined) {
      backend.faults?.reset();
    }
  }
}

async function attemptUntilSettled(
  backend: ProjectionBackend,
  delivery: Parameters<typeof deliverLikeAnEngine>[1],
  errors: unknown[],
): Promise<DeliveryOutcome> {
  const attempts = delivery.mayReject === true ? 1 : MAX_DELIVERY_ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const scope = createEventScope({ isPrimaryDelivery: attempt === 0 });
    const outcome = await settle(
      backend.handler.handleEvent(delivery.resource, delivery.current, delivery.next, scope, delivery.event, {
        onConflict: (conflict) => delivery.onConflict?.(conflict.storedVersion),
      }),
    );
    if (outcome.ok) {
      return { result: outcome.value, errors };
    }
    errors.push(outcome.error);
    await delivery.onRejected?.(outcome.error);
    if (delivery.mayReject !== true) {
      expect(delivery.fault !== undefined || delivery.allowRejections === true, `a call rejected without an injected fault: ${String(outcome.error)}`).toBe(true);
      if (delivery.fault === "throttling" && errors.length === 1) {
        expect(isRetryableError(outcome.error), `a throttled commit must fail with a retryable error, got ${String(outcome.error)}`).toBe(true);
      }
    }
  }
  return { result: undefined, errors };
}
