import { InvalidArgumentError, requireKnownKeys } from "@projectionkit/core";

/**
 * How many generated cases a property runs and from which seed. Every failure prints these, so a
 * run can be replayed exactly (clause K5).
 *
 * @example
 * ```ts
 * const options: ConformanceRunOptions = { seed: 1234, numRuns: 500 };
 * ```
 */
export interface ConformanceRunOptions {
  /** The seed of the random generator: a 32-bit integer. Default: fixed in CI, random elsewhere. */
  readonly seed?: number | undefined;
  /** How many cases each property runs. Default {@link DEFAULT_CONFORMANCE_RUNS}. */
  readonly numRuns?: number | undefined;
  /** The shrink path of a failure to replay, as printed with it. */
  readonly path?: string | undefined;
}

/**
 * The settings a conformance run uses, with where the seed came from.
 *
 * @example
 * ```ts
 * const settings: ConformanceRunSettings = resolveConformanceSettings();
 * console.log(`seed ${settings.seed} (${settings.seedSource})`);
 * ```
 */
export interface ConformanceRunSettings {
  /** The seed in use. */
  readonly seed: number;
  /** Where it came from. */
  readonly seedSource: "environment" | "option" | "ci-default" | "random";
  /** How many cases each property runs. */
  readonly numRuns: number;
  /** The shrink path to replay, if any. */
  readonly path: string | undefined;
}

/** The number of cases each property runs by default. */
export const DEFAULT_CONFORMANCE_RUNS = 50;

/** The seed CI uses when none is given, so that CI runs are reproducible. */
export const CI_CONFORMANCE_SEED = 20_261_126;

/**
 * Works out the run settings (clause K5). The environment wins over options, so that a failure
 * can be replayed without changing code: `CONFORMANCE_SEED`, `CONFORMANCE_RUNS` and
 * `CONFORMANCE_PATH`. Without a seed, CI (`CI` set and not `false`) uses
 * {@link CI_CONFORMANCE_SEED} and other machines a random one.
 *
 * @param options - the suite's own settings.
 * @param environment - the environment to read. Default `process.env`.
 * @returns the settings.
 * @throws `InvalidArgumentError` for a seed that is not a 32-bit integer or a run count that is
 *   not a positive integer, naming the option or the variable, or for an unknown option (E2).
 *
 * @example
 * ```ts
 * // CONFORMANCE_SEED=42 CONFORMANCE_RUNS=1000 npm test
 * const { seed, numRuns } = resolveConformanceSettings({ numRuns: 20 });
 * ```
 */
export function resolveConformanceSettings(
  options: ConformanceRunOptions = {},
  environment: Readonly<Record<string, string | undefined>> = process.env,
): ConformanceRunSettings {
  requireKnownKeys(options, "options", ["seed", "numRuns", "path"]);
  const environmentSeed = parseInteger(environment["CONFORMANCE_SEED"], "CONFORMANCE_SEED");
  const environmentRuns = parseInteger(environment["CONFORMANCE_RUNS"], "CONFORMANCE_RUNS");
  const seedOption = checkInteger(options.seed, "options.seed");
  const runsOption = checkInteger(options.numRuns, "options.numRuns");
  const numRuns = environmentRuns ?? runsOption ?? DEFAULT_CONFORMANCE_RUNS;
  if (numRuns < 1) {
    throw new InvalidArgumentError(
      environmentRuns === undefined ? "options.numRuns" : "CONFORMANCE_RUNS",
      `expected a positive integer, got ${numRuns}`,
    );
  }
  const path = nonEmpty(environment["CONFORMANCE_PATH"]) ?? options.path;
  const inCi = nonEmpty(environment["CI"]) !== undefined && environment["CI"] !== "false" && environment["CI"] !== "0";
  if (environmentSeed !== undefined) {
    return { seed: environmentSeed, seedSource: "environment", numRuns, path };
  }
  if (seedOption !== undefined) {
    return { seed: seedOption, seedSource: "option", numRuns, path };
  }
  if (inCi) {
    return { seed: CI_CONFORMANCE_SEED, seedSource: "ci-default", numRuns, path };
  }
  return { seed: (Math.random() * 0x7fffffff) | 0, seedSource: "random", numRuns, path };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function parseInteger(value: string | undefined, name: string): number | undefined {
  const text = nonEmpty(value);
  if (text === undefined) {
    return undefined;
  }
  if (!/^-?\d+$/.test(text)) {
    throw new InvalidArgumentError(name, `expected an integer, got ${JSON.stringify(value)}`);
  }
  return checkInteger(Number(text), name);
}

function checkInteger(value: number | undefined, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new InvalidArgumentError(name, `expected a 32-bit integer, got ${value}`);
  }
  return value;
}
