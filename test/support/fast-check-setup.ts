import fc from "fast-check";
import { resolveConformanceSettings } from "@projectionkit/conformance";

// Every property test in this repository draws from one seed: fixed in CI, random elsewhere, and
// CONFORMANCE_SEED / CONFORMANCE_RUNS replay or deepen a run. fast-check prints the seed and the
// shrink path of any failure.
const settings = resolveConformanceSettings();
fc.configureGlobal({
  seed: settings.seed,
  ...(process.env["CONFORMANCE_RUNS"] === undefined ? {} : { numRuns: settings.numRuns }),
});
