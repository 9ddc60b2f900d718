/**
 * The conformance kit of projectionkit: property-based suites that prove a backend keeps the
 * contract of `@projectionkit/core` (SPEC §6). This release provides the run settings (clause K5);
 * the suites follow.
 *
 * @example
 * ```ts
 * import { resolveConformanceSettings } from "@projectionkit/conformance";
 *
 * const { seed, numRuns } = resolveConformanceSettings({ numRuns: 100 });
 * ```
 *
 * @packageDocumentation
 */

export {
  CI_CONFORMANCE_SEED,
  DEFAULT_CONFORMANCE_RUNS,
  resolveConformanceSettings,
  type ConformanceRunOptions,
  type ConformanceRunSettings,
} from "./run-settings.js";
