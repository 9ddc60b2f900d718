import { startDynalite } from "@projectionkit/dynamodb-testing";
import { describe, expect, it } from "vitest";
import { makeDepositHistory } from "../src/deposit-history.js";
import { SOAK_FAULT_RATES } from "../src/fault-plan.js";
import { runCrash } from "../src/crash-run.js";
import { memoryBackend } from "../src/soak-backends.js";
import { UNBATCHED } from "../src/soak-modes.js";
import { runSoak } from "../src/soak-run.js";
import { seededRandom } from "../src/seeded-random.js";

// The checks can fail: the same runs with a deliberately broken projection report the doubles and
// the losses (SOAK_BREAK / CRASH_BREAK run these variants at full size).
const history = makeDepositHistory(10, 50, seededRandom(7));

describe("the soak's check catches a broken projection", () => {
  it("double: with the version check skipped, redelivered events are counted again", async () => {
    const backend = memoryBackend({ rates: SOAK_FAULT_RATES, breakage: "double", random: seededRandom(8) });
    const { check } = await runSoak({ backend, history, mode: UNBATCHED, seed: 9 });
    expect(check.passed).toBe(false);
    expect(check.doubled).toBeGreaterThan(0);
    expect(check.wrongBalances).toBeGreaterThan(0);
  });

  it("split: with the read model written after the version commit, an answer lost in between loses the event", async () => {
    const backend = memoryBackend({ rates: SOAK_FAULT_RATES, breakage: "split", random: seededRandom(8) });
    const { check } = await runSoak({ backend, history, mode: UNBATCHED, seed: 9 });
    expect(check.passed).toBe(false);
    expect(check.lost).toBeGreaterThan(0);
    expect(check.rowCount).toBeLessThan(history.events.length);
  });
});

describe("the crash run's check catches a broken projection", () => {
  it("split: a worker killed after its version commit and before its read-model write loses the event", async () => {
    await using dynalite = await startDynalite();
    const result = await runCrash({ endpoint: dynalite.endpoint, streams: 4, eventsPerStream: 30, workers: 2, kills: 1, seed: 11, breakage: "split" });
    // The kill landed after the emulator applied the version write alone (a single-item write).
    expect(result.kills).toMatchObject([{ moment: "after-apply", commit: { applied: true } }]);
    expect(result.kills[0]?.commit?.operation).toMatch(/^(PutItem|UpdateItem)$/);
    expect(result.check.passed).toBe(false);
    expect(result.check.lost).toBeGreaterThan(0);
  });
});
