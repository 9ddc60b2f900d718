import { describeValue, InvalidArgumentError } from "@projectionkit/core";
import { FAULT_KINDS, MIN_DECLARED_RESOURCE_BYTES, MIN_DECLARED_VERSION_BYTES } from "./capabilities.js";

/**
 * Checks the options of a conformance entry point, so that a misspelt capability or a missing
 * factory is an error rather than a silently smaller suite.
 *
 * @param options - the options as given.
 * @throws `InvalidArgumentError` naming the option.
 *
 * @example
 * ```ts
 * validateConformanceOptions({ name: "memory", create, capabilities });
 * ```
 */
export function validateConformanceOptions(options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", `expected an object, got ${describeValue(options)}`);
  }
  const { name, create, capabilities, timeout } = options as Record<string, unknown>;
  if (typeof name !== "string" || name.trim() === "") {
    throw new InvalidArgumentError("options.name", "expected a non-empty string");
  }
  if (typeof create !== "function") {
    throw new InvalidArgumentError("options.create", `expected a function, got ${describeValue(create)}`);
  }
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0))) {
    throw new InvalidArgumentError("options.timeout", "expected a positive number of milliseconds");
  }
  if (typeof capabilities !== "object" || capabilities === null) {
    throw new InvalidArgumentError("options.capabilities", `expected an object, got ${describeValue(capabilities)}`);
  }
  const known = new Set(["concurrentCalls", "reportsStoredVersion", "faults", "maxResourceBytes", "maxVersionBytes"]);
  for (const key of Object.keys(capabilities)) {
    if (!known.has(key)) {
      throw new InvalidArgumentError(`options.capabilities.${key}`, `unknown capability; expected one of ${[...known].join(", ")}`);
    }
  }
  const { concurrentCalls, reportsStoredVersion, faults, maxResourceBytes, maxVersionBytes } = capabilities as Record<string, unknown>;
  for (const [key, value] of [
    ["concurrentCalls", concurrentCalls],
    ["reportsStoredVersion", reportsStoredVersion],
  ] as const) {
    if (typeof value !== "boolean") {
      throw new InvalidArgumentError(`options.capabilities.${key}`, `expected a boolean, got ${describeValue(value)}`);
    }
  }
  if (faults !== undefined) {
    if (!Array.isArray(faults)) {
      throw new InvalidArgumentError("options.capabilities.faults", `expected an array, got ${describeValue(faults)}`);
    }
    for (const fault of faults) {
      if (!FAULT_KINDS.includes(fault)) {
        throw new InvalidArgumentError("options.capabilities.faults", `unknown fault ${JSON.stringify(fault)}; expected ${FAULT_KINDS.join(", ")}`);
      }
    }
  }
  requireOptionalMaximum("maxResourceBytes", maxResourceBytes, MIN_DECLARED_RESOURCE_BYTES);
  requireOptionalMaximum("maxVersionBytes", maxVersionBytes, MIN_DECLARED_VERSION_BYTES);
}

function requireOptionalMaximum(key: string, value: unknown, minimum: number): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isSafeInteger(value) || value < minimum)) {
    throw new InvalidArgumentError(`options.capabilities.${key}`, `expected an integer number of bytes of at least ${minimum}, got ${typeof value === "number" ? value : describeValue(value)}`);
  }
}
