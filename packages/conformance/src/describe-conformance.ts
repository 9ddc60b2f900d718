import { describe } from "vitest";
import { validateConformanceOptions } from "./conformance-options.js";
import { settingsLabel } from "./replay.js";
import { resolveConformanceSettings, type ConformanceRunOptions, type ConformanceRunSettings } from "./run-settings.js";

/**
 * The frame of every conformance entry point: checks the options before anything is registered,
 * resolves the run settings, and registers the contract's groups in one suite whose title names
 * the contract and the backend and shows the seed (K5).
 *
 * @param contract - the contract's name, e.g. `ResourceRepository`.
 * @param options - the entry point's options, as given.
 * @param registerGroups - registers the contract's groups, given the settings.
 * @throws `InvalidArgumentError` for options of the wrong kind.
 *
 * @internal
 */
export function describeConformance(
  contract: string,
  options: { readonly name: string; readonly run?: ConformanceRunOptions | undefined },
  registerGroups: (settings: ConformanceRunSettings) => void,
): void {
  validateConformanceOptions(options);
  const settings = resolveConformanceSettings(options.run);
  describe(`${contract} conformance: ${options.name} ${settingsLabel(settings)}`, () => registerGroups(settings));
}
