import { describeProjectionConformance, describeResourceRepositoryConformance, type RepositoryConformanceOptions } from "@projectionkit/conformance";
import { isProjectionKitError } from "@projectionkit/core";
import { describe, expect, it } from "vitest";

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
  const cases: Array<[string, unknown]> = [
    ["options", null],
    ["options.name", { ...good, name: "" }],
    ["options.create", { ...good, create: "factory" }],
    ["options.capabilities", { ...good, capabilities: undefined }],
    ["options.capabilities.concurrentCalls", { ...good, capabilities: { reportsStoredVersion: true } }],
    ["options.capabilities.concurent", { ...good, capabilities: { ...good.capabilities, concurent: true } }],
    ["options.capabilities.faults", { ...good, capabilities: { ...good.capabilities, faults: ["lost-reponse"] } }],
    ["options.timeout", { ...good, timeout: -1 }],
  ];
  for (const [argument, options] of cases) {
    it(`K1/K2: ${argument} of the wrong kind is an InvalidArgumentError naming it, before any suite is registered`, () => {
      for (const entry of [describeResourceRepositoryConformance, describeProjectionConformance]) {
        const error = rejection(() => entry(options as never));
        expect(error?.code).toBe("ERR_INVALID_ARGUMENT");
        expect(error?.argument).toBe(argument);
      }
    });
  }
});
