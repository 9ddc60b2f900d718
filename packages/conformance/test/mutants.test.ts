import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CI_CONFORMANCE_SEED } from "@projectionkit/conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MUTATIONS } from "./mutants/broken-backends.js";

const run = promisify(execFile);
const vitestCli = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const config = fileURLToPath(new URL("mutants/vitest.config.ts", import.meta.url));

interface TestReport {
  readonly suite: string;
  readonly title: string;
  readonly status: string;
  readonly failure: string;
}

let folder = "";

/**
 * Runs the kit against the broken backends in a child vitest (K6) and returns each test's result.
 * The child gets a clean environment for the kit's settings, plus `environment`.
 */
async function runKit(environment: Record<string, string>, filter?: string): Promise<TestReport[]> {
  const output = join(folder, `report-${Math.random().toString(16).slice(2)}.json`);
  const env: Record<string, string | undefined> = { ...process.env, CI: "", CONFORMANCE_SEED: "", CONFORMANCE_RUNS: "", CONFORMANCE_PATH: "", ...environment };
  const args = [vitestCli, "run", "--config", config, "--reporter=json", `--outputFile=${output}`, ...(filter === undefined ? [] : ["-t", filter])];
  // The child fails (exit code 1) whenever a mutant is caught, which is the point.
  await run(process.execPath, args, { env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { code?: unknown }) => {
    if (error.code !== 1) {
      throw error;
    }
  });
  const report = JSON.parse(await readFile(output, "utf8")) as {
    testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }> }>;
  };
  return report.testResults.flatMap((file) =>
    file.assertionResults.map((test) => ({
      suite: test.ancestorTitles.join(" > "),
      title: test.title,
      status: test.status,
      failure: test.failureMessages.join("\n"),
    })),
  );
}

function mutantOf(test: TestReport): string | undefined {
  return /mutant:([a-z-]+)/.exec(test.suite)?.[1];
}

function counterexample(failure: string): string | undefined {
  return /Counterexample: ([\s\S]*?)\nShrunk/.exec(failure)?.[1];
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "projectionkit-mutants-"));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("K6: the kit catches deliberately broken backends", () => {
  let results: TestReport[] = [];

  beforeAll(async () => {
    results = await runKit({ CONFORMANCE_SEED: String(CI_CONFORMANCE_SEED) });
  }, 120_000);

  it("K6: the control backend (no mutation) passes every test of both suites", () => {
    const control = results.filter((test) => mutantOf(test) === "none");
    expect(control.filter((test) => test.status === "passed").length).toBeGreaterThan(30);
    expect(control.filter((test) => test.status === "failed").map((test) => test.title)).toEqual([]);
  });

  it("K2: a backend that declares no concurrency, no stored-version reports and no faults passes, and sees those tests skipped with the reason", () => {
    const minimal = results.filter((test) => test.suite.includes("control:minimal"));
    expect(minimal.filter((test) => test.status === "failed").map((test) => test.title)).toEqual([]);
    const skipped = minimal.filter((test) => test.status !== "passed");
    expect(skipped.map((test) => test.title.replace(/:.*/, "")).sort()).toEqual(["H6", "H7", "H7", "K3/H6", "K3/R6", "K4", "K4", "K4", "R6"]);
    for (const test of skipped) {
      expect(test.title).toMatch(/\(skipped: the backend (declares|cannot inject) /);
    }
  });

  for (const mutation of MUTATIONS.filter((m) => m !== "none")) {
    it(`K6: the mutant "${mutation}" is caught by an example test and by a model-based property`, () => {
      const failed = results.filter((test) => mutantOf(test) === mutation && test.status === "failed");
      expect(failed.filter((test) => !test.title.startsWith("K3")).length, "example tests that caught it").toBeGreaterThan(0);
      expect(failed.filter((test) => test.title.startsWith("K3")).length, "properties that caught it").toBeGreaterThan(0);
    });
  }
});

describe("K5: a failure is replayed by the seed it prints", () => {
  it("K5: CONFORMANCE_SEED set to the printed seed reproduces the same counterexample, and CONFORMANCE_PATH goes straight to it", async () => {
    const filter = "mutant:read-then-write.*K3/H6";
    const first = (await runKit({}, filter)).find((test) => test.status === "failed");
    const printed = /Replay with: CONFORMANCE_SEED=(-?\d+) CONFORMANCE_PATH=(\S+)/.exec(first?.failure ?? "");
    expect(printed, `the failure must print how to replay it:\n${first?.failure}`).not.toBeNull();
    const [, seed = "", path = ""] = printed ?? [];
    const original = counterexample(first?.failure ?? "");
    expect(original).toBeDefined();

    const again = (await runKit({ CONFORMANCE_SEED: seed }, filter)).find((test) => test.status === "failed");
    expect(counterexample(again?.failure ?? "")).toBe(original);

    const direct = (await runKit({ CONFORMANCE_SEED: seed, CONFORMANCE_PATH: path }, filter)).find((test) => test.status === "failed");
    expect(counterexample(direct?.failure ?? "")).toBe(original);
    expect(direct?.failure).toContain("Property failed after 1 tests");
  }, 120_000);
});
