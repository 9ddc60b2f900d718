import { describe } from "vitest";
import type { ProjectionConformanceOptions } from "./backends.js";
import { registerBatchExamples } from "./batch-examples.js";
import { describeConformance } from "./describe-conformance.js";
import { registerProjectionDomainExamples } from "./projection-domain-examples.js";
import { registerProjectionExamples } from "./projection-examples.js";
import { registerProjectionFaults } from "./projection-faults.js";
import { registerProjectionProperties } from "./projection-properties.js";

/**
 * Registers the conformance suite of the ProjectionMessageHandler contract (H1–H7, E1, V1, and
 * R2/R5/R7 through a projection) for one backend's probe projection (clause K1): readable example
 * tests named by clause id, fault scenarios for the faults the backend can inject (K4), example
 * tests of the batch capability (B1–B4) when the backend declares `batches: true` (K11), then
 * model-based properties including concurrent workers (K3), on resources and versions of
 * arbitrary bytes up to the backend's declared maxima (K9), with every array the kit passes in or
 * gets back changed after each call (K10). Call it at the top level of a vitest
 * test file. Each test and each generated case gets a fresh backend from `create`.
 *
 * The backend implements the probe projection described by {@link ProbeEvent}; `readList` reads
 * its effects straight from storage, so the kit never trusts the handler under test to report
 * them.
 *
 * @param options - the backend's name, factory, capabilities and run settings.
 * @throws `InvalidArgumentError` for options of the wrong kind, before anything is registered.
 *
 * @example
 * ```ts
 * import { describeProjectionConformance } from "@projectionkit/conformance";
 *
 * describeProjectionConformance({
 *   name: "my backend",
 *   create: ({ pause }) => myProbeBackend({ pause }),
 *   capabilities: { concurrentCalls: true, reportsStoredVersion: false, batches: true, faults: ["before-commit"] },
 *   run: { numRuns: 100 },
 * });
 * ```
 */
export function describeProjectionConformance(options: ProjectionConformanceOptions): void {
  describeConformance("ProjectionMessageHandler", options, (settings) => {
    describe("examples", () => {
      registerProjectionExamples(options);
      registerProjectionDomainExamples(options);
    });
    describe("faults", () => registerProjectionFaults(options));
    describe("batches", () => registerBatchExamples(options));
    describe("properties", () => registerProjectionProperties(options, settings));
  });
}
