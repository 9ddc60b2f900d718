import fc from "fast-check";
import { expect } from "vitest";
import type { ConformanceRunSettings } from "./run-settings.js";

/**
 * Runs a property with the suite's settings. A failure throws an error whose message starts with
 * the command that replays it (the environment variables and a `-t` filter for this test alone,
 * since a shrink path belongs to one property), then fast-check's own report (counterexample,
 * seed, shrink path), so that every failure can be reproduced without code changes (clause K5).
 *
 * @param title - what the property checks, for the message.
 * @param property - the property.
 * @param settings - seed, runs and replay path.
 * @throws Error with the replay line when the property fails.
 *
 * @example
 * ```ts
 * await checkProperty("R3: compare-and-set", property, resolveConformanceSettings());
 * ```
 */
export async function checkProperty<Ts>(
  title: string,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  settings: ConformanceRunSettings,
): Promise<void> {
  const details = await fc.check(property, {
    seed: settings.seed,
    numRuns: settings.numRuns,
    ...(settings.path === undefined ? {} : { path: settings.path }),
  });
  if (!details.failed) {
    return;
  }
  const path = details.counterexamplePath ?? "";
  // The path belongs to this property only, so the replay runs this test alone.
  const testName = expect.getState().currentTestName ?? title;
  const filter = testName.split(" > ").at(-1) ?? testName;
  const replay = `CONFORMANCE_SEED=${details.seed} CONFORMANCE_PATH=${path} CONFORMANCE_RUNS=${settings.numRuns} npx vitest run -t ${JSON.stringify(escapeRegExp(filter))}`;
  const report = fc.defaultReportMessage(details) ?? "";
  throw new Error(`Conformance property failed: ${title}\nReplay with: ${replay}\n\n${report}`, {
    cause: details.errorInstance,
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The title suffix every suite shows, so the seed of a run is visible even when nothing fails.
 *
 * @param settings - the run's settings.
 * @returns e.g. `"(seed 42 from environment, 50 runs)"`.
 *
 * @example
 * ```ts
 * describe(`memory ${settingsLabel(settings)}`, () => {});
 * ```
 */
export function settingsLabel(settings: ConformanceRunSettings): string {
  return `(seed ${settings.seed} from ${settings.seedSource}, ${settings.numRuns} runs)`;
}
