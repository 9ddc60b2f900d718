import { createEventScope, encodeOffset, isRetryableError } from "@projectionkit/core";
import { expect, it } from "vitest";
import type { ProjectionConformanceOptions } from "./backends.js";
import { FAULT_KINDS, type FaultKind } from "./capabilities.js";
import { deliverLikeAnEngine } from "./engine-retry.js";
import { projectionExampleTest } from "./example-harness.js";
import { exampleResource } from "./neighbours.js";
import { probeEvent } from "./probe.js";

const EMPTY = new Uint8Array(0);
const scope = createEventScope({ isPrimaryDelivery: false });

const DESCRIPTIONS: Record<FaultKind, string> = {
  "before-commit": "a commit that fails before it reaches storage",
  "lost-response": "a commit that is applied but whose response is lost",
  throttling: "a throttled commit",
};

/**
 * Registers the fault scenarios (K4): for each fault the backend can inject, an event delivered
 * like an engine (retrying rejected calls) is applied exactly once, and the next event applies as
 * usual, and the resources next to the event's are left alone. Faults the backend cannot inject
 * are reported as skipped, with the reason.
 *
 * @param options - the suite's options.
 *
 * @example
 * ```ts
 * registerProjectionFaults(options);
 * ```
 */
export function registerProjectionFaults(options: ProjectionConformanceOptions): void {
  const supported = new Set(options.capabilities.faults ?? []);
  const test = projectionExampleTest(options);
  for (const kind of FAULT_KINDS) {
    if (!supported.has(kind)) {
      it.skip(`K4: ${DESCRIPTIONS[kind]} (skipped: the backend cannot inject "${kind}")`, () => {});
      continue;
    }
    test(`K4: ${DESCRIPTIONS[kind]} loses nothing and doubles nothing`, async ({ backend }) => {
      const list = "faulty";
      const resource = exampleResource();
      const first = await deliverLikeAnEngine(backend, { resource, current: EMPTY, next: encodeOffset(0), event: probeEvent(list, "e0") });
      expect(first.result).toBe(true);

      const faulty = await deliverLikeAnEngine(backend, {
        resource,
        current: encodeOffset(0),
        next: encodeOffset(1),
        event: probeEvent(list, "e1"),
        fault: kind,
        onRejected:
          kind === "before-commit"
            ? async () => {
                expect(await backend.readList(list), "a failure before commit must leave nothing behind").toEqual(["e0"]);
                expect(await backend.handler.resourceVersion(resource)).toEqual(encodeOffset(0));
              }
            : undefined,
      });
      expect(faulty.result, "the engine's retries must settle the call").toBeDefined();
      if (faulty.errors.length === 0) {
        expect(faulty.result, "a call that hid the fault must have applied the event").toBe(true);
      }
      if (kind === "throttling") {
        for (const error of faulty.errors) {
          expect(isRetryableError(error), `a throttled commit must fail with a retryable error, got ${String(error)}`).toBe(true);
        }
      }
      expect(await backend.readList(list)).toEqual(["e0", "e1"]);
      expect(await backend.handler.resourceVersion(resource)).toEqual(encodeOffset(1));

      // The fault is gone: the next event applies at once, and a redelivery of e1 does not.
      expect(await backend.handler.handleEvent(resource, encodeOffset(0), encodeOffset(1), scope, probeEvent(list, "e1"))).toBe(false);
      expect(await backend.handler.handleEvent(resource, encodeOffset(1), encodeOffset(2), scope, probeEvent(list, "e2"))).toBe(true);
      expect(await backend.readList(list)).toEqual(["e0", "e1", "e2"]);
    });
  }
}

