/**
 * The conformance kit of projectionkit: vitest suites, property-based and model-based, that prove
 * a backend keeps the contract of `@projectionkit/core` (clauses K1–K11 of docs/specification.md),
 * on resources and versions of arbitrary bytes up to the maxima the backend declares (K9), with
 * every array it passes in or gets back changed after each call (K10), batches included when the
 * backend offers them (K11).
 *
 * - {@link describeResourceRepositoryConformance}: the ResourceRepository contract (R1–R7).
 * - {@link describeProjectionConformance}: the ProjectionMessageHandler contract (H1–H7, and the
 *   batch capability B1–B4), through a small probe projection ({@link ProbeEvent}) the backend
 *   implements, with fault scenarios.
 * - {@link resolveConformanceSettings}: seeds and run counts; `CONFORMANCE_SEED`,
 *   `CONFORMANCE_RUNS` and `CONFORMANCE_PATH` replay or deepen a run without code changes.
 *
 * @example
 * ```ts
 * import { describeResourceRepositoryConformance } from "@projectionkit/conformance";
 * import { MemoryResourceRepository } from "@projectionkit/memory";
 *
 * describeResourceRepositoryConformance({
 *   name: "MemoryResourceRepository",
 *   create: () => ({ repository: new MemoryResourceRepository() }),
 *   capabilities: { concurrentCalls: true, reportsStoredVersion: true },
 * });
 * ```
 *
 * @packageDocumentation
 */

export type { ProjectionBackend, ProjectionConformanceOptions, RepositoryBackend, RepositoryConformanceOptions } from "./backends.js";
export {
  FAULT_KINDS,
  MIN_DECLARED_RESOURCE_BYTES,
  MIN_DECLARED_VERSION_BYTES,
  UNBOUNDED_GENERATION_BYTES,
  type BackendCapabilities,
  type FaultInjector,
  type FaultKind,
} from "./capabilities.js";
export { SPEC_CLAUSES } from "./clauses.js";
export { describeProjectionConformance } from "./describe-projection-conformance.js";
export { describeResourceRepositoryConformance } from "./describe-resource-repository-conformance.js";
export { deliverLikeAnEngine, MAX_DELIVERY_ATTEMPTS, type DeliveryOutcome } from "./engine-retry.js";
export { PROBE_EVENT_TYPE, probeEvent, UNEXPECTED_EVENT_TYPE, type BackendContext, type ProbeEvent } from "./probe.js";
export { checkProperty, settingsLabel } from "./replay.js";
export {
  CI_CONFORMANCE_SEED,
  DEFAULT_CONFORMANCE_RUNS,
  resolveConformanceSettings,
  type ConformanceRunOptions,
  type ConformanceRunSettings,
} from "./run-settings.js";
