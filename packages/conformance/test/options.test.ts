import { describeProjectionConformance, describeResourceRepositoryConformance, type RepositoryConformanceOptions } from "@projectionkit/conformance";
import { isProjectionKitError } from "@projectionkit/core";
import { describe, expect, it } from "vitest";
import { validateConformanceOptions } from "../src/conformance-options.js";

const good: RepositoryConformanceOptions = {
  name: "x",
  create: () => {
    throw new Error("never called: the options are rejected first");
  },
  capabilities: { concurrentCalls: true, reportsStoredVersion: true },
};

function rejection(call: () => void): { code?: string; argument?: string } | undefined {
  try {
    call();
  } catch (error) {
    expect(isProjectionKitError(error)).toBe(true);
    return error as { code?: string; argument?: string };
  }
  return undefined;
}

describe("K1/K2: the kit's options", () => {
  const cases: Array<[string, unknown, string?]> = [
    ["options", null],
    ["options.name", { ...good, name: "" }],
    ["options.create", { ...good, create: "factory" }],
    ["options.capabilities", { ...good, capabilities: undefined }],
    ["options.capabilities.concurrentCalls", { ...good, capabilities: { reportsStoredVersion: true } }],
    ["options.capabilities.concurent", { ...good, capabilities: { ...good.capabilities, concurent: true } }],
    ["options.capabilities.faults", { ...good, capabilities: { ...good.capabilities, faults: ["lost-reponse"] } }],
    ["options.capabilities.batches", { ...good, capabilities: { ...good.capabilities, batches: "yes" } }, "a string"],
    ["options.timeout", { ...good, timeout: -1 }],
    ["options.capabilities.maxResourceBytes", { ...good, capabilities: { ...good.capabilities, maxResourceBytes: 31 } }, "below 32"],
    ["options.capabilities.maxResourceBytes", { ...good, capabilities: { ...good.capabilities, maxResourceBytes: "2011" } }, "a string"],
    ["options.capabilities.maxVersionBytes", { ...good, capabilities: { ...good.capabilities, maxVersionBytes: 15 } }, "below 16"],
    ["options.capabilities.maxVersionBytes", { ...good, capabilities: { ...good.capabilities, maxVersionBytes: 4096.5 } }, "not an integer"],
    ["options.capabilities.maxVersionBytes", { ...good, capabilities: { ...good.capabilities, maxVersionBytes: Number.POSITIVE_INFINITY } }, "infinite"],
  ];
  for (const [argument, options, note] of cases) {
    it(`K1/K2: ${argument}${note === undefined ? "" : ` (${note})`} of the wrong kind is an InvalidArgumentError naming it, before any suite is registered`, () => {
      for (const entry of [describeResourceRepositoryConformance, describeProjectionConformance]) {
        const error = rejection(() => entry(options as never));
        expect(error?.code).toBe("ERR_INVALID_ARGUMENT");
        expect(error?.argument).toBe(argument);
      }
    });
  }
});

describe("K2/K9: declared maxima", () => {
  it("K2/K9: maxima of at least 32 bytes (resources) and 16 bytes (versions) are accepted, and so is leaving them out", () => {
    for (const capabilities of [
      { ...good.capabilities, maxResourceBytes: 32, maxVersionBytes: 16 },
      { ...good.capabilities, maxResourceBytes: 2011, maxVersionBytes: 4096 },
      { ...good.capabilities, maxResourceBytes: undefined },
    ]) {
      expect(() => validateConformanceOptions({ ...good, capabilities })).not.toThrow();
    }
  });
});
