import { startDynalite } from "@projectionkit/dynamodb-testing";
import { expect, it } from "vitest";
import { crashSummary } from "../src/crash-report.js";
import { killPlan, runCrash } from "../src/crash-run.js";

// The crash run of `npm run crash` (2,000 events, 10 kills) with 300 events and 3 kills: 4 worker
// processes on one dynalite server, SIGKILLed at a random moment and in the middle of commits,
// each replaced by a worker that resumes from the stored versions.
it("crash: after 3 SIGKILLs (2 with a commit on the wire) and restarts, nothing is lost and nothing doubled", async () => {
  expect(killPlan(3)).toEqual(["after-apply", "random", "before-apply"]);
  await using dynalite = await startDynalite();
  const result = await runCrash({ endpoint: dynalite.endpoint, streams: 15, eventsPerStream: 20, kills: 3, seed: 2026 });
  expect(result.check.mismatches, crashSummary(result, "dynalite").join("\n")).toEqual([]);
  expect(result.check).toMatchObject({ passed: true, lost: 0, doubled: 0, rowCount: 300 });
  expect(result.kills.map((kill) => kill.moment)).toEqual(["after-apply", "random", "before-apply"]);
  expect(result.kills[0]?.commit).toEqual({ operation: "TransactWriteItems", applied: true });
  expect(result.kills[2]?.commit).toEqual({ operation: "TransactWriteItems", applied: false });
  expect(result.processes).toBe(4 + 3);
  // The replacements resumed from stored versions: some of their streams' events were already there.
  expect(result.kills.some((kill) => (kill.replacement?.stored ?? 0) > 0)).toBe(true);
});
