import { describeValue, InvalidArgumentError, requireKnownKeys } from "@projectionkit/core";
import { FAULT_KINDS, MIN_DECLARED_RESOURCE_BYTES, MIN_DECLARED_VERSION_BYTES } from "./capabilities.js";

/**
 * Checks the options of a conformance entry point, so that a misspelt option or capability, or a
 * missing factory, is an error rather than a silently smaller suite (E2: unknown keys are refused at
 * every level).
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
  requireKnownKeys(options, "options", ["name", "create", "capabilities", "run", "timeout"]);
  const { name, create, capabilities, run, timeout } = options as Record<string, unknown>;
  if (typeof name !== "string" || name.trim() === "") {
    throw new InvalidArgumentError("options.name", "expected a non-empty string");
  }
  if (typeof create !== "function") {
    throw new InvalidArgumentError("options.create", `expected a function, got ${describeValue(create)}`);
  }
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0))) {
    throw new InvalidArgumentError("options.timeout", `expected a positive number of milliseconds, got ${shown(timeout)}`);
  }
  validateRunOptions(run);
  if (typeof capabilities !== "object" || capabilities === null) {
    throw new InvalidArgumentError("options.capabilities", `expected an object, got ${describeValue(capabilities)}`);
  }
  const known = new Set(["concurrentCalls", "reportsStoredVersion", "batches", "faults", "maxResourceBytes", "maxVersionBytes"]);
  for (const key of Object.keys(capabilities)) {
    if (!known.has(key)) {
      throw new InvalidArgumentError(`options.capabilities.${key}`, `unknown capability; expected one of ${[...known].join(", ")}`);
    }
  }
  const { concurrentCalls, reportsStoredVersion, batches, faults, maxResourceBytes, maxVersionBytes } = capabilities as Record<string, unknown>;
  for (const [key, value] of [
    ["concurrentCalls", concurrentCalls],
    ["reportsStoredVersion", reportsStoredVersion],
  ] as const) {
    if (typeof value !== "boolean") {
      throw new InvalidArgumentError(`options.capabilities.${key}`, `expected a boolean, got ${describeValue(value)}`);
    }
  }
  if (batches !== undefined && typeof batches !== "boolean") {
    throw new InvalidArgumentError("options.capabilities.batches", `expected a boolean, got ${describeValue(batches)}`);
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
    throw new InvalidArgumentError(`options.capabilities.${key}`, `expected an integer number of bytes of at least ${minimum}, got ${shown(value)}`);
  }
}

/** `run`: absent, or an object of `seed` (a 32-bit integer), `numRuns` (a positive integer) and `path` (a string). */
function validateRunOptions(run: unknown): void {
  if (run === undefined) {
    return;
  }
  if (typeof run !== "object" || run === null || Array.isArray(run)) {
    throw new InvalidArgumentError("options.run", `expected an object, got ${describeValue(run)}`);
  }
  const { seed, numRuns, path } = requireKnownKeys(run, "options.run", ["seed", "numRuns", "path"]);
  if (seed !== undefined && (typeof seed !== "number" || !Number.isInteger(seed) || seed < -0x80000000 || seed > 0x7fffffff)) {
    throw new InvalidArgumentError("options.run.seed", `expected a 32-bit integer, got ${shown(seed)}`);
  }
  if (numRuns !== undefined && (typeof numRuns !== "number" || !Number.isSafeInteger(numRuns) || numRuns < 1)) {
    throw new InvalidArgumentError("options.run.numRuns", `expected a positive integer, got ${shown(numRuns)}`);
  }
  if (path !== undefined && typeof path !== "string") {
    throw new InvalidArgumentError("options.run.path", `expected a shrink path (a string), got ${describeValue(path)}`);
  }
}

/** A number as itself, a string quoted (so that "4" is not read as 4), anything else by its type. */
function shown(value: unknown): string {
  if (typeof value === "number") {
    return String(value);
  }
  return typeof value === "string" ? `the string ${JSON.stringify(value.length <= 40 ? value : `${value.slice(0, 40)}…`)}` : describeValue(value);
}
