import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CI_CONFORMANCE_SEED, SPEC_CLAUSES } from "@projectionkit/conformance";
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDirectory } from "../../../test/support/scratch-directory.js";
import { MUTANTS } from "./mutants/catalogue.js";
import { clausesOf, clauseCoverage, coverageMarkdown, kitTests, namedTests, needsMutant, type KitTest } from "./support/clause-coverage.js";
import { isProperty, runKitOnMutants, type KitTestResult } from "./support/mutant-run.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const coverageFile = join(root, "COVERAGE.md");

const folder = scratchDirectory("mutants");

function counterexample(failure: string): string | undefined {
  return /Counterexample: ([\s\S]*?)\nShrunk/.exec(failure)?.[1];
}

describe("K6/K7: the kit catches deliberately broken backends, and each clause's tests catch one that breaks it", () => {
  let results: KitTestResult[] = [];
  let tests: KitTest[] = [];

  beforeAll(async () => {
    results = await runKitOnMutants(folder(), { CONFORMANCE_SEED: String(CI_CONFORMANCE_SEED) });
    tests = kitTests(results, MUTANTS);
    // Which tests catch which mutant: the tests of the clauses it breaks, and every property.
    const lines = MUTANTS.map((mutant) => {
      const catching = tests.filter((test) => test.catches.includes(mutant.name));
      const own = catching.filter((test) => clausesOf(test.title).some((id) => mutant.breaks.includes(id)));
      const properties = catching.filter(isProperty);
      const named = [...new Set([...own, ...properties])].map((test) => `    ${test.suite}: ${test.title}`);
      return [`${mutant.name} (breaks ${mutant.breaks.join(", ")}): caught by ${catching.length - properties.length} examples and ${properties.length} properties`, ...named].join("\n");
    });
    console.log(`The kit against ${MUTANTS.length} mutants (seed ${CI_CONFORMANCE_SEED}):\n${lines.join("\n")}`);
  }, 240_000);

  it("K6: the control backend (no mutation) passes every test of both suites", () => {
    const control = results.filter((test) => test.backend === "none");
    expect(control.filter((test) => test.status === "passed").length).toBeGreaterThan(40);
    expect(control.filter((test) => test.status === "failed").map((test) => `${test.title}\n${test.failure}`)).toEqual([]);
  });

  it("K2: a backend that declares no concurrency, no stored-version reports and no faults passes, and sees those tests skipped with the reason", () => {
    const minimal = results.filter((test) => test.backend === "minimal");
    expect(minimal.filter((test) => test.status === "failed").map((test) => test.title)).toEqual([]);
    const skipped = minimal.filter((test) => test.status !== "passed");
    expect(skipped.map((test) => test.title.replace(/:.*/, "")).sort()).toEqual(["B1–B4", "H6", "H7", "H7", "K3/H6", "K3/R6", "K4", "K4", "K4", "R6"]);
    for (const test of skipped) {
      expect(test.title).toMatch(/\(skipped: the backend (declares|cannot inject) /);
    }
  });

  it("K6: there are at least 12 mutants, each with a different name", () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
  });

  for (const mutant of MUTANTS) {
    it(`K6/K7: the mutant "${mutant.name}" is caught by an example, by a property, and by a test of a clause it breaks (${mutant.breaks.join(", ")})`, () => {
      const catching = tests.filter((test) => test.catches.includes(mutant.name));
      expect(catching.filter((test) => !isProperty(test)).map((test) => test.title), "examples that caught it").not.toEqual([]);
      expect(catching.filter(isProperty).map((test) => test.title), "properties that caught it").not.toEqual([]);
      const own = catching.filter((test) => clausesOf(test.title).some((id) => mutant.breaks.includes(id)));
      expect(own.map((test) => test.title), `tests of ${mutant.breaks.join(", ")} that caught it`).not.toEqual([]);
      if (mutant.foundBy !== undefined) {
        const { foundBy } = mutant;
        expect(catching.filter((test) => clausesOf(test.title).includes(foundBy)).map((test) => test.title), `tests of ${foundBy} that caught it`).not.toEqual([]);
      }
    });
  }

  it("K7: every clause of the contract has a mutant that breaks it and that its tests catch; every other clause has a test", async () => {
    const coverage = clauseCoverage(tests, MUTANTS, await namedTests(root));
    expect(coverage.filter((entry) => needsMutant(entry.id) && entry.breakingCaught.length === 0).map((entry) => entry.id), "contract clauses without a caught mutant").toEqual([]);
    expect(coverage.filter((entry) => entry.kitTests.length + entry.otherTests.length === 0).map((entry) => entry.id), "clauses without a test").toEqual([]);
    expect(coverage.filter((entry) => needsMutant(entry.id)).map((entry) => entry.id)).toEqual(expect.arrayContaining(["R1", "R7", "H1", "H7"]));
  });

  it("K7: COVERAGE.md is the table generated from this run (npm run coverage:clauses)", async () => {
    const table = coverageMarkdown(clauseCoverage(tests, MUTANTS, await namedTests(root)), MUTANTS, tests);
    if (process.env["UPDATE_COVERAGE"] === "1") {
      await writeFile(coverageFile, table);
    }
    expect(await readFile(coverageFile, "utf8"), "COVERAGE.md is out of date: run npm run coverage:clauses").toBe(table);
  });
});

describe("K7: clause ids in test titles", () => {
  it("K7: clause ids and ranges are read from test titles", () => {
    expect(clausesOf("K3/R1–R5: any history")).toEqual(["K3", "R1", "R2", "R3", "R4", "R5"]);
    expect(clausesOf("H2/M1: a throwing handler")).toEqual(["H2", "M1"]);
    expect(clausesOf("D10: batching; not a clause: X9, §8.1")).toEqual(["D10"]);
    expect(clausesOf("GP1–GP3: pitfalls; B1/K11: batches")).toEqual(["GP1", "GP2", "GP3", "B1", "K11"]);
    expect(needsMutant("R7") && needsMutant("H1") && needsMutant("B3") && !needsMutant("D1") && !needsMutant("K9") && !needsMutant("GP1")).toBe(true);
  });

  it("K7: the clauses the coverage knows are exactly those docs/specification.md defines, in its order", async () => {
    const specification = await readFile(join(root, "docs", "specification.md"), "utf8");
    const defined = [...specification.matchAll(/^### <a id="([a-z]+\d+)"><\/a>/gm)].map((match) => (match[1] ?? "").toUpperCase());
    expect(defined.length).toBeGreaterThan(60);
    expect(Object.keys(SPEC_CLAUSES)).toEqual(defined);
  });
});

describe("K5: a failure is replayed by the seed it prints", () => {
  it("K5: CONFORMANCE_SEED set to the printed seed reproduces the same counterexample, and CONFORMANCE_PATH goes straight to it", async () => {
    const filter = "mutant:read-then-write.*K3/.*H6";
    const first = (await runKitOnMutants(folder(), {}, filter)).find((test) => test.status === "failed");
    const printed = /Replay with: CONFORMANCE_SEED=(-?\d+) CONFORMANCE_PATH=(\S+)/.exec(first?.failure ?? "");
    expect(printed, `the failure must print how to replay it:\n${first?.failure}`).not.toBeNull();
    const [, seed = "", path = ""] = printed ?? [];
    const original = counterexample(first?.failure ?? "");
    expect(original).toBeDefined();

    const again = (await runKitOnMutants(folder(), { CONFORMANCE_SEED: seed }, filter)).find((test) => test.status === "failed");
    expect(counterexample(again?.failure ?? "")).toBe(original);

    const direct = (await runKitOnMutants(folder(), { CONFORMANCE_SEED: seed, CONFORMANCE_PATH: path }, filter)).find((test) => test.status === "failed");
    expect(counterexample(direct?.failure ?? "")).toBe(original);
    expect(direct?.failure).toContain("Property failed after 1 tests");
  }, 120_000);
});
