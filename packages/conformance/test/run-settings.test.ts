import { describe, expect, it } from "vitest";
import { CI_CONFORMANCE_SEED, DEFAULT_CONFORMANCE_RUNS, resolveConformanceSettings } from "@projectionkit/conformance";

describe("K5 run settings", () => {
  it("K5: the environment overrides options, so a failure replays without code changes", () => {
    const settings = resolveConformanceSettings(
      { seed: 1, numRuns: 2, path: "0:1" },
      { CONFORMANCE_SEED: "77", CONFORMANCE_RUNS: "1000", CONFORMANCE_PATH: "3:4:5" },
    );
    expect(settings).toEqual({ seed: 77, seedSource: "environment", numRuns: 1000, path: "3:4:5" });
  });

  it("K5: options apply when the environment is silent", () => {
    expect(resolveConformanceSettings({ seed: -5, numRuns: 3 }, {})).toEqual({
      seed: -5,
      seedSource: "option",
      numRuns: 3,
      path: undefined,
    });
  });

  it("K5: CI runs a fixed seed; elsewhere the seed is random and the run count is the default", () => {
    expect(resolveConformanceSettings({}, { CI: "true" })).toMatchObject({
      seed: CI_CONFORMANCE_SEED,
      seedSource: "ci-default",
      numRuns: DEFAULT_CONFORMANCE_RUNS,
    });
    const seeds = new Set(Array.from({ length: 5 }, () => resolveConformanceSettings({}, { CI: "false" }).seed));
    expect(resolveConformanceSettings({}, {}).seedSource).toBe("random");
    expect(seeds.size).toBeGreaterThan(1);
  });

  it.each([
    [{ CONFORMANCE_SEED: "abc" }, {}, "CONFORMANCE_SEED"],
    [{ CONFORMANCE_SEED: "99999999999" }, {}, "CONFORMANCE_SEED"],
    [{ CONFORMANCE_RUNS: "0" }, {}, "CONFORMANCE_RUNS"],
    [{}, { numRuns: 1.5 }, "options.numRuns"],
    [{}, { seed: Number.NaN }, "options.seed"],
  ])("K5: a malformed setting (%j, %j) is an InvalidArgumentError naming %s", (environment, options, argument) => {
    expect(() => resolveConformanceSettings(options, environment)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument }),
    );
  });
});
