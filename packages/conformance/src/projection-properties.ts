import { encodeOffset, type Resource } from "@projectionkit/core";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { ProjectionBackend, ProjectionConformanceOptions } from "./backends.js";
import { byteLimits, showBytes } from "./byte-domain.js";
import type { FaultKind } from "./capabilities.js";
import { resourceFamilyArbitrary } from "./domain-arbitraries.js";
import { deliverBatchLikeAnEngine, type KitBatchDelivery } from "./engine-batch.js";
import { deliverLikeAnEngine } from "./engine-retry.js";
import { ownershipCheckedHandler } from "./ownership.js";
import { probeEvent } from "./probe.js";
import { projectionHistoryArbitrary, runProjectionHistory, STREAM_LENGTH } from "./projection-history.js";
import { checkProperty } from "./replay.js";
import type { ConformanceRunSettings } from "./run-settings.js";
import { expectUserItemFailure, offsetVersion, withBackend } from "./support.js";

const EMPTY = new Uint8Array(0);

/** The backend with its handler checking ownership on every call (K10). */
function ownershipChecked(backend: ProjectionBackend): ProjectionBackend {
  return { ...backend, handler: ownershipCheckedHandler(backend.handler) };
}

/** One delivery of a worker in the concurrency property. */
interface WorkerDelivery {
  /** Which of the case's two streams. */
  readonly stream: number;
  readonly offset: number;
  /** 1 for a single event; more for a batch of the offsets from `offset` on (to the stream's end). */
  readonly length: number;
  readonly fault: FaultKind | undefined;
  /** The projection's own write fails (a batch's last event's): the call must reject (or stop) and write nothing of it. */
  readonly failUserItem: boolean;
}

/**
 * Registers the model-based properties of the ProjectionMessageHandler contract (K3): histories of
 * deliveries with current versions drawn from {true, stale, empty, random}, redeliveries,
 * reordered and gapped stream offsets, closes, compactions, `configure` calls, undeclared events,
 * failing user items and injected faults, on resources and versions of arbitrary bytes (K9), with
 * every array changed by the kit after each call (K10), against a reference model; and concurrent
 * workers on shared resources under `fc.scheduler` (H6), whose stored effects must equal the fold
 * of the accepted events, each exactly once. Both send batches too (K11): through `handleEventBatch`
 * when the backend declares `batches: true`, else one event at a time (B4), with faults and failing
 * events inside them (B1–B3).
 *
 * @param options - the suite's options.
 * @param settings - seed and runs.
 *
 * @example
 * ```ts
 * registerProjectionProperties(options, resolveConformanceSettings(options.run));
 * ```
 */
export function registerProjectionProperties(options: ProjectionConformanceOptions, settings: ConformanceRunSettings): void {
  const faults = options.capabilities.faults ?? [];
  const reportsStoredVersion = options.capabilities.reportsStoredVersion;
  const batches = options.capabilities.batches === true;
  const limits = byteLimits(options.capabilities);

  it(
    "K3/K9/K10/K11/H1–H5/R7/B1–B4: any history of deliveries, batches, redeliveries, gaps, closes, compactions, configure calls, undeclared events and faults, on resources and versions of arbitrary bytes, leaves the fold of the accepted events, each once",
    () =>
      checkProperty(
        "H1–H5, R7, B1–B4 model",
        fc.asyncProperty(projectionHistoryArbitrary(faults, limits), (history) =>
          withBackend(
            () => options.create({ pause: () => Promise.resolve() }),
            (backend) => runProjectionHistory(ownershipChecked(backend), { reportsStoredVersion, batches }, history),
          ),
        ),
        settings,
      ),
    options.timeout,
  );

  if (!options.capabilities.concurrentCalls) {
    it.skip("K3/H6: concurrent workers (skipped: the backend declares concurrentCalls: false)", () => {});
    return;
  }

  const delivery: fc.Arbitrary<WorkerDelivery> = fc.record({
    stream: fc.constantFrom(0, 1),
    // Often the stream's start, where a redelivering source begins again.
    offset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: STREAM_LENGTH - 1 })),
    length: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: STREAM_LENGTH })),
    fault: faults.length === 0 ? fc.constant(undefined) : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...faults) }),
    failUserItem: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });

  it(
    "K3/K9/K11/H6/B3: concurrent workers redelivering and reordering two streams of related resources, in single events and batches, some with failing user items, apply each event exactly once, in order",
    () =>
      checkProperty(
        "H6, B3 concurrent workers",
        fc.asyncProperty(
          fc.scheduler(),
          resourceFamilyArbitrary(limits.resourceBytes, { min: 1, max: 1 }),
          fc.array(fc.array(delivery, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 4 }),
          (scheduler, family, workers) =>
            withBackend(
              () => options.create({ pause: () => scheduler.schedule(Promise.resolve(), "pause in the projection") }),
              async (unchecked) => {
                const backend = ownershipChecked(unchecked);
                const streams = family.slice(0, 2).map((resource: Resource, i) => ({ resource, list: `stream-${i}` }));
                const streamOf = (d: { readonly stream: number }): { readonly resource: Resource; readonly list: string } => streams[d.stream % streams.length] ?? { resource: EMPTY, list: "" };
                const faulty = workers.some((deliveries) => deliveries.some((d) => d.fault !== undefined));
                const claims: Array<{ list: string; offset: number }> = [];
                /** A batch of the offsets `from` to `to`, delivered like an engine; the last one fails when asked. */
                const deliverRun = async (resource: Resource, list: string, from: number, to: number, failLast: boolean): Promise<void> => {
                  const deliveries: KitBatchDelivery[] = [];
                  for (let offset = from; offset <= to; offset++) {
                    deliveries.push({ current: offsetVersion(offset - 1), next: encodeOffset(offset), event: probeEvent(list, `${list}@${offset}${failLast && offset === to ? "!failing" : ""}`, failLast && offset === to) });
                  }
                  const name = `${list}@${from}..${to}`;
                  const outcome = await deliverBatchLikeAnEngine(backend, { batches, resource, deliveries, mayReject: failLast, allowRejections: faulty });
                  if (failLast) {
                    expect(outcome.claimed.includes(to - from), `${name} with a failing last event claimed it`).toBe(false);
                  } else if (!faulty) {
                    expect(outcome.errors, `${name} stopped on errors without faults`).toEqual([]);
                  }
                  claims.push(...outcome.claimed.map((i) => ({ list, offset: from + i })));
                };
                const deliver = async (d: WorkerDelivery): Promise<void> => {
                  const { resource, list } = streamOf(d);
                  const current = offsetVersion(d.offset - 1);
                  const next = encodeOffset(d.offset);
                  const name = `${list}@${d.offset}`;
                  await scheduler.schedule(Promise.resolve(), `start ${name}`);
                  if (d.fault !== undefined) {
                    backend.faults?.inject(d.fault);
                  }
                  const last = Math.min(d.offset + d.length, STREAM_LENGTH) - 1;
                  if (last > d.offset) {
                    await deliverRun(resource, list, d.offset, last, d.failUserItem);
                    return;
                  }
                  if (d.failUserItem) {
                    const outcome = await deliverLikeAnEngine(backend, { resource, current, next, event: probeEvent(list, `${name}!failing`, true), mayReject: true });
                    expect(outcome.result === true, `${name} with a failing user item resolved true`).toBe(false);
                    if (outcome.result === undefined && !faulty) {
                      // With faults about, another worker's fault may be the last thing this call met.
                      expectUserItemFailure(backend, outcome.errors.at(-1), `${name} with a failing user item`);
                    }
                    return;
                  }
                  const outcome = await deliverLikeAnEngine(backend, { resource, current, next, event: probeEvent(list, name), allowRejections: faulty });
                  expect(outcome.result, `${name} never settled: ${outcome.errors.map(String).join("; ")}`).toBeDefined();
                  if (outcome.result === true) {
                    claims.push({ list, offset: d.offset });
                  }
                };
                await scheduler.waitFor(
                  Promise.all(
                    workers.map(async (deliveries) => {
                      for (const d of deliveries) {
                        await deliver(d);
                      }
                    }),
                  ),
                );
                for (const { resource, list } of streams) {
                  const claimed = claims.filter((c) => c.list === list).map((c) => c.offset);
                  expect(new Set(claimed).size, `offsets of ${list} that more than one call claimed: ${claimed.join(",")}`).toBe(claimed.length);
                  const effects = await backend.readList(list);
                  const applied = effects.length;
                  expect(effects, `the effects of ${list}: a gapless prefix of the stream, each event once`).toEqual(
                    Array.from({ length: applied }, (_, offset) => `${list}@${offset}`),
                  );
                  for (const offset of claimed) {
                    expect(offset, `${list}@${offset} was claimed but is not in the effects`).toBeLessThan(applied);
                  }
                  if (!faulty) {
                    // Without lost responses, every applied event is one that a call said it applied (B1).
                    expect(new Set(claimed).size, `events of ${list} applied without a call saying so: claimed ${claimed.join(",")}, applied ${applied}`).toBe(applied);
                  }
                  expect(await backend.handler.resourceVersion(resource), `the version of ${showBytes(resource)}`).toEqual(applied === 0 ? EMPTY : encodeOffset(applied - 1));
                }
                // The gaps are filled later: one worker delivers every offset in order, without faults.
                backend.faults?.reset();
                for (const [stream, { resource, list }] of streams.entries()) {
                  for (let offset = 0; offset < STREAM_LENGTH; offset++) {
                    await scheduler.waitFor(deliver({ stream, offset, length: 1, fault: undefined, failUserItem: false }));
                  }
                  expect(await backend.readList(list)).toEqual(Array.from({ length: STREAM_LENGTH }, (_, offset) => `${list}@${offset}`));
                  expect(await backend.handler.resourceVersion(resource), `the version of ${showBytes(resource)}`).toEqual(encodeOffset(STREAM_LENGTH - 1));
                }
              },
            ),
        ),
        settings,
      ),
    options.timeout,
  );
}
