import { describeProjectionConformance, describeResourceRepositoryConformance, resolveConformanceSettings } from "@projectionkit/conformance";
import { isProjectionKitError } from "@projectionkit/core";
import { describe, expect, it } from "vitest";

// Bad options of the conformance kit's entry points (K1, K2, K5, E2): each is refused with a typed
// error naming the option, before any suite is registered and before the backend's factory is
// called, so nothing of the backend is created or written.

let created = 0;
const create = (): never => {
  created++;
  throw new Error("never called: the options are refused first");
};
const good = { name: "bad-input", create, capabilities: { concurrentCalls: true, reportsStoredVersion: true } };
const capabilities = good.capabilities;

const cases: Array<[string, string, unknown, RegExp?]> = [
  ["options null", "options", null],
  ["options a string", "options", "memory"],
  ["an empty name", "options.name", { ...good, name: "" }],
  ["a numeric name", "options.name", { ...good, name: 5 }],
  ["no create", "options.create", { ...good, create: undefined }],
  ["no capabilities", "options.capabilities", { ...good, capabilities: undefined }],
  ["a misspelt timeout", "options.timout", { ...good, timout: 5_000 }, /did you mean "timeout"/],
  ["a misspelt capabilities beside the right one", "options.capabilites", { ...good, capabilites: {} }],
  ["runs instead of run", "options.runs", { ...good, runs: { numRuns: 10 } }],
  ["a misspelt run.seed", "options.run.sed", { ...good, run: { sed: 1 } }],
  ["a misspelt run.numRuns", "options.run.numRun", { ...good, run: { numRun: 1_000 } }],
  ["run a number", "options.run", { ...good, run: 5 }],
  ["run.seed 1.5", "options.run.seed", { ...good, run: { seed: 1.5 } }, /got 1\.5/],
  ["run.seed beyond 32 bits", "options.run.seed", { ...good, run: { seed: 2 ** 31 } }],
  ["run.numRuns 0", "options.run.numRuns", { ...good, run: { numRuns: 0 } }],
  ['run.numRuns "100"', "options.run.numRuns", { ...good, run: { numRuns: "100" } }, /got the string "100"/],
  ["run.path a number", "options.run.path", { ...good, run: { path: 3 } }],
  ["timeout -1", "options.timeout", { ...good, timeout: -1 }, /got -1/],
  ['timeout "5000"', "options.timeout", { ...good, timeout: "5000" }, /got the string "5000"/],
  ["a misspelt capability", "options.capabilities.concurent", { ...good, capabilities: { ...capabilities, concurent: true } }],
  ['reportsStoredVersion "yes"', "options.capabilities.reportsStoredVersion", { ...good, capabilities: { ...capabilities, reportsStoredVersion: "yes" } }],
  ["faults a string", "options.capabilities.faults", { ...good, capabilities: { ...capabilities, faults: "lost-response" } }],
  ["a misspelt fault", "options.capabilities.faults", { ...good, capabilities: { ...capabilities, faults: ["lost-reponse"] } }],
  ["maxResourceBytes 31", "options.capabilities.maxResourceBytes", { ...good, capabilities: { ...capabilities, maxResourceBytes: 31 } }],
  ['maxVersionBytes "4096"', "options.capabilities.maxVersionBytes", { ...good, capabilities: { ...capabilities, maxVersionBytes: "4096" } }, /got the string "4096"/],
];

const entries = [
  ["describeResourceRepositoryConformance", describeResourceRepositoryConformance],
  ["describeProjectionConformance", describeProjectionConformance],
] as const;

describe.each(entries)("E2/K1: %s refuses bad options before registering anything", (_name, entry) => {
  it.each(cases)("%s: ERR_INVALID_ARGUMENT naming %s; the factory is not called", (_label, argument, options, message) => {
    created = 0;
    let error: unknown;
    try {
      entry(options as never);
    } catch (thrown) {
      error = thrown;
    }
    expect(isProjectionKitError(error, "ERR_INVALID_ARGUMENT"), String(error)).toBe(true);
    expect((error as { argument?: string }).argument).toBe(argument);
    if (message !== undefined) {
      expect((error as Error).message).toMatch(message);
    }
    expect(created).toBe(0);
  });
});

describe("E2/K5: resolveConformanceSettings refuses an unknown option", () => {
  it("a misspelt numRuns: ERR_INVALID_ARGUMENT naming options.numRun", () => {
    expect(() => resolveConformanceSettings({ numRun: 5 } as never, {})).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.numRun" }));
  });
});
