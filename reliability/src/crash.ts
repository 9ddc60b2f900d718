import { JAVA_INSTALL_HINT, JavaNotFoundError, startDynalite, startDynamoDBLocal } from "@projectionkit/dynamodb-testing";
import { fileURLToPath } from "node:url";
import { parseBreakage } from "./breakage.js";
import { crashMarkdown, crashSummary } from "./crash-report.js";
import { runCrash } from "./crash-run.js";
import { listFromEnv, positiveIntegerFromEnv } from "./environment.js";
import { runDescription, updateResultsSection } from "./results-file.js";

// `npm run crash`: 4 worker processes, 10 SIGKILLs, then the read model against the fold; the
// results go to RELIABILITY.md. CRASH_STREAMS, CRASH_EVENTS_PER_STREAM, CRASH_KILLS, CRASH_SEED and
// CRASH_BACKEND (dynalite or dynamodb-local) change the run; CRASH_BREAK=double (or 1) / split runs
// a deliberately broken projection, which must FAIL.
const streams = positiveIntegerFromEnv("CRASH_STREAMS", 40);
const eventsPerStream = positiveIntegerFromEnv("CRASH_EVENTS_PER_STREAM", 50);
const kills = positiveIntegerFromEnv("CRASH_KILLS", 10);
const seed = positiveIntegerFromEnv("CRASH_SEED", 2026);
const [backend = "dynalite"] = listFromEnv("CRASH_BACKEND", ["dynalite", "dynamodb-local"], ["dynalite"]);
const breakage = parseBreakage(process.env["CRASH_BREAK"], "CRASH_BREAK");

console.log(`crash: ${streams * eventsPerStream} events over ${streams} streams on ${backend}, 4 worker processes, ${kills} kills, seed ${seed}${breakage === "none" ? "" : `, BROKEN projection (${breakage}): expected to FAIL`}\n`);
const emulator = await startEmulator();
try {
  const result = await runCrash({ endpoint: emulator.endpoint, streams, eventsPerStream, kills, seed, breakage, progress: (line) => console.log(`  ${line}`) });
  console.log(`\n${crashSummary(result, backend).join("\n")}`);
  if (breakage === "none" && result.check.passed) {
    const file = fileURLToPath(new URL("../../RELIABILITY.md", import.meta.url));
    const settings = [
      streams === 40 ? "" : `CRASH_STREAMS=${streams}`,
      eventsPerStream === 50 ? "" : `CRASH_EVENTS_PER_STREAM=${eventsPerStream}`,
      kills === 10 ? "" : `CRASH_KILLS=${kills}`,
      seed === 2026 ? "" : `CRASH_SEED=${seed}`,
      backend === "dynalite" ? "" : `CRASH_BACKEND=${backend}`,
    ].filter(Boolean);
    await updateResultsSection(file, "crash", `${runDescription([...settings, "npm run crash"].join(" "))}\n\n${crashMarkdown(result, backend)}`);
    console.log(`results written to ${file}`);
  }
  process.exitCode = result.check.passed ? 0 : 1;
} finally {
  await emulator.stop();
}

async function startEmulator(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  if (backend === "dynalite") {
    return startDynalite();
  }
  try {
    return await startDynamoDBLocal();
  } catch (error) {
    if (error instanceof JavaNotFoundError && process.env["CI"] !== "true") {
      console.log(`crash on dynamodb-local: SKIPPED: DynamoDB Local needs Java, which was not found. ${JAVA_INSTALL_HINT}`);
      process.exit(0);
    }
    throw error;
  }
}
