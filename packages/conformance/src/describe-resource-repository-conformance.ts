import { describe } from "vitest";
import type { RepositoryConformanceOptions } from "./backends.js";
import { describeConformance } from "./describe-conformance.js";
import { registerRepositoryDomainExamples } from "./repository-domain-examples.js";
import { registerRepositoryExamples } from "./repository-examples.js";
import { registerRepositoryProperties } from "./repository-properties.js";

/**
 * Registers the conformance suite of the ResourceRepository contract (R1–R7, H7, E1) for one
 * backend (clause K1): readable example tests named by clause id, then model-based properties,
 * on resources and versions of arbitrary bytes up to the backend's declared maxima (K9), with
 * every array the kit passes in or gets back changed after each call (K10).
 * Call it at the top level of a vitest test file. Each test and each generated case gets a fresh
 * backend from `create` and tears it down afterwards. The suite's title shows the seed; a failing
 * property prints the environment variables that replay it (K5).
 *
 * @param options - the backend's name, factory, capabilities and run settings.
 * @throws `InvalidArgumentError` for options of the wrong kind, before anything is registered.
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
 */
export function describeResourceRepositoryConformance(options: RepositoryConformanceOptions): void {
  describeConformance("ResourceRepository", options, (settings) => {
    describe("examples", () => {
      registerRepositoryExamples(options);
      registerRepositoryDomainExamples(options);
    });
    describe("properties", () => registerRepositoryProperties(options, settings));
  });
}
