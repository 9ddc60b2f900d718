import { JAVA_INSTALL_HINT, JavaNotFoundError, startDynalite, startDynamoDBLocal } from "@projectionkit/dynamodb-testing";
import { fileURLToPath } from "node:url";
import { parseBreakage } from "./breakage.js";
import { makeDepositHistory } from "./deposit-history.js";
import { listFromEnv, positiveIntegerFromEnv } from "./environment.js";
import { SOAK_FAULT_RATES } from "./fault-plan.js";
import { runDescription, updateResultsSection } from "./results-file.js";
import { dynamoBackend, memoryBackend, type BackendName, type SoakBackend } from "./soak-backends.js";
import { SOAK_MODES } from "./soak-modes.js";
import { soakSummary, soakTable } from "./soak-report.js";
import { runSoak, type SoakResult } from "./soak-run.js";
import { seededRandom } from "./seeded-random.js";

// `npm run soak`: the soak on every backend and mode; the results go to RELIABILITY.md.
// SOAK_EVENTS, SOAK_STREAMS, SOAK_WORKERS, SOAK_SEED, SOAK_BACKENDS change the run;
// SOAK_BREAK=double (or 1) / split runs a deliberately broken projection, which must FAIL.
const events = positiveIntegerFromEnv("SOAK_EVENTS", 50_000);
const streams = positiveIntegerFromEnv("SOAK_STREAMS", 500);
const workers = positiveIntegerFromEnv("SOAK_WORKERS", 8);
const seed = positiveIntegerFromEnv("SOAK_SEED", 2026);
const backends = listFromEnv<BackendName>("SOAK_BACKENDS", ["memory", "dynalite", "dynamodb-local"], ["memory", "dynalite", "dynamodb-local"]);
const breakage = parseBreakage(process.env["SOAK_BREAK"], "SOAK_BREAK");
if (events % streams !== 0) {
  throw new Error(`SOAK_EVENTS (${events}) must be a multiple of SOAK_STREAMS (${streams})`);
}
const history = makeDepositHistory(streams, events / streams, seededRandom(seed));

console.log(`soak: ${events} events over ${streams} streams, ${workers} workers, each event delivered 1–3 times, faults ${JSON.stringify(SOAK_FAULT_RATES)}, seed ${seed}${breakage === "none" ? "" : `, BROKEN projection (${breakage}): expected to FAIL`}\n`);

const results: SoakResult[] = [];
const skipped: string[] = [];
for (const name of backends) {
  const emulator = name === "memory" ? undefined : await startEmulator(name);
  if (emulator === null) {
    continue;
  }
  try {
    for (const mode of SOAK_MODES) {
      const options = { rates: SOAK_FAULT_RATES, breakage, random: seededRandom(seed + 7) };
      const backend: SoakBackend = emulator === undefined ? memoryBackend(options) : await dynamoBackend(name as "dynalite" | "dynamodb-local", emulator.endpoint, options);
      try {
        const result = await runSoak({ backend, history, mode, workers, seed, progress: (line) => console.log(`  … ${line}`) });
        results.push(result);
        console.log(`${soakSummary(result).join("\n")}\n`);
      } finally {
        backend.close();
      }
    }
  } finally {
    await emulator?.stop();
  }
}

const passed = results.every((result) => result.check.passed);
console.log(`soak: ${passed ? "PASS" : "FAIL"} (${results.length} runs${skipped.length > 0 ? `; skipped: ${skipped.join("; ")}` : ""})`);
if (breakage === "none" && passed && results.length > 0) {
  const file = fileURLToPath(new URL("../../RELIABILITY.md", import.meta.url));
  const settings = [
    events === 50_000 ? "" : `SOAK_EVENTS=${events}`,
    streams === 500 ? "" : `SOAK_STREAMS=${streams}`,
    workers === 8 ? "" : `SOAK_WORKERS=${workers}`,
    seed === 2026 ? "" : `SOAK_SEED=${seed}`,
    process.env["SOAK_BACKENDS"] ? `SOAK_BACKENDS=${backends.join(",")}` : "",
  ].filter(Boolean);
  const notes = skipped.map((reason) => `\n\nSkipped: ${reason}`).join("");
  await updateResultsSection(file, "soak", `${runDescription([...settings, "npm run soak"].join(" "))}\n\n${soakTable(results)}${notes}`);
  console.log(`results written to ${file}`);
}
process.exitCode = passed ? 0 : 1;

/** Starts an emulator; `null` (with a message) when DynamoDB Local cannot run for want of Java, except under CI=true. */
async function startEmulator(name: BackendName): Promise<{ endpoint: string; stop(): Promise<void> } | null> {
  if (name === "dynalite") {
    return startDynalite();
  }
  try {
    return await startDynamoDBLocal();
  } catch (error) {
    if (error instanceof JavaNotFoundError && process.env["CI"] !== "true") {
      const reason = `DynamoDB Local needs Java, which was not found. ${JAVA_INSTALL_HINT}`;
      skipped.push(`dynamodb-local (${reason})`);
      console.log(`dynamodb-local: SKIPPED: ${reason}\n`);
      return null;
    }
    throw error;
  }
}
