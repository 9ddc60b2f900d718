import { startDynalite } from "@projectionkit/dynamodb-testing";
import { describe, expect, it } from "vitest";
import { makeDepositHistory } from "../src/deposit-history.js";
import { SOAK_FAULT_RATES } from "../src/fault-plan.js";
import { dynamoBackend, memoryBackend, type SoakBackend } from "../src/soak-backends.js";
import { SOAK_MODES } from "../src/soak-modes.js";
import { soakSummary } from "../src/soak-report.js";
import { runSoak, type SoakResult } from "../src/soak-run.js";
import { seededRandom } from "../src/seeded-random.js";
import { describeOnDynamoDBLocal } from "./support/dynamodb-local.js";

// The soak of `npm run soak` (50,000 events over 500 streams) with 2,000 events over 20 streams:
// 8 workers, each event delivered 1–3 times in shuffled order, unsettled ones again, faults at the
// soak's rates on every request or commit.
const SEED = 2026;
const history = makeDepositHistory(20, 100, seededRandom(SEED));

async function soak(backend: SoakBackend, mode: (typeof SOAK_MODES)[number]): Promise<SoakResult> {
  try {
    return await runSoak({ backend, history, mode, seed: SEED });
  } finally {
    backend.close();
  }
}

/** Commit attempts: write requests on DynamoDB, commits in memory (faulted ones included). */
function commitAttempts(result: SoakResult): number {
  return ["commit", "TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem"].reduce((sum, command) => sum + (result.requests.get(command) ?? 0), 0);
}

/** The run exercised what it claims: every fault, duplicates, gaps, retries; and nothing was lost or doubled. */
function expectExactFold(result: SoakResult): void {
  expect(result.check.mismatches, soakSummary(result).join("\n")).toEqual([]);
  expect(result.check).toMatchObject({ passed: true, lost: 0, doubled: 0, wrongBalances: 0, wrongVersions: 0, rowCount: history.events.length });
  expect(result.counts.delivered).toBe(result.deliveries);
  expect(result.deliveries).toBeGreaterThan(history.events.length);
  for (const kind of ["throttled", "refused", "lost", "conflict"] as const) {
    expect(result.injected[kind], kind).toBeGreaterThan(0);
  }
  expect(result.counts.duplicates).toBeGreaterThan(0);
  expect(result.counts.gaps + result.counts.held).toBeGreaterThan(0);
  expect(result.counts.retries).toBeGreaterThan(0);
  expect(result.counts.failed + result.counts.cancelled).toBe(0);
  // Unbatched, every commit carries one event; batched (G8), a commit carries a run of a stream.
  if (result.mode === "unbatched") {
    expect(commitAttempts(result)).toBeGreaterThanOrEqual(result.counts.applied);
  } else {
    expect(commitAttempts(result)).toBeLessThan(result.counts.applied / 2);
  }
}

describe.each(SOAK_MODES)("soak, 2,000 events, $name: the read model is the fold of each event exactly once", (mode) => {
  it("memory (faults in the commit hooks)", async () => {
    const backend = memoryBackend({ rates: SOAK_FAULT_RATES, breakage: "none", random: seededRandom(SEED + 7) });
    const result = await soak(backend, mode);
    expectExactFold(result);
    // Every kind of fault reached the drivers as a failed attempt.
    expect([...result.observed.keys()].sort()).toEqual(["injected conflict", "injected lost", "injected refused", "injected throttled"]);
  });

  it("dynalite (faults as client middleware on the wire)", async () => {
    await using dynalite = await startDynalite();
    const backend = await dynamoBackend("dynalite", dynalite.endpoint, { rates: SOAK_FAULT_RATES, breakage: "none", random: seededRandom(SEED + 7) });
    const result = await soak(backend, mode);
    expectExactFold(result);
    expect(result.observed.get("ERR_THROTTLED")).toBeGreaterThan(0);
    expect(result.observed.get("ERR_TRANSACTION_CONFLICT")).toBeGreaterThan(0);
    // A refused connection never reached DynamoDB: a retryable request failure, not an ambiguous commit (E3).
    expect(result.observed.get("ERR_DYNAMODB_REQUEST_FAILED")).toBeGreaterThan(0);
  });

  describeOnDynamoDBLocal("the soak", (emulator) => {
    it("DynamoDB Local (faults as client middleware on the wire)", async () => {
      const backend = await dynamoBackend("dynamodb-local", await emulator.endpoint(), { rates: SOAK_FAULT_RATES, breakage: "none", random: seededRandom(SEED + 7) });
      const result = await soak(backend, mode);
      expectExactFold(result);
      expect(result.observed.get("ERR_THROTTLED")).toBeGreaterThan(0);
    });
  });
});
