import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { SPEC_CLAUSES } from "@projectionkit/conformance";
import { describe, expect, it } from "vitest";
import { clausesOf, coverageTable, namedTests } from "./support/clause-coverage.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const coverageFile = fileURLToPath(new URL("../COVERAGE.md", import.meta.url));

describe("K7: clause coverage", () => {
  it("K7: clause ids and ranges are read from test titles", () => {
    expect(clausesOf("K3/R1–R5: any history")).toEqual(["K3", "R1", "R2", "R3", "R4", "R5"]);
    expect(clausesOf("H2/M1: a throwing handler")).toEqual(["H2", "M1"]);
    expect(clausesOf("D10: batching; not a clause: X9, §8.1")).toEqual(["D10"]);
  });

  it("K7: every clause of the specification has at least one test", async () => {
    const tests = await namedTests(root);
    const uncovered = Object.keys(SPEC_CLAUSES).filter((id) => !tests.some((test) => clausesOf(test.title).includes(id)));
    expect(uncovered).toEqual([]);
  });

  it("K7: COVERAGE.md is the table generated from the tests (npm run coverage:clauses)", async () => {
    const table = coverageTable(await namedTests(root));
    if (process.env["UPDATE_COVERAGE"] === "1") {
      await writeFile(coverageFile, table);
    }
    expect(await readFile(coverageFile, "utf8"), "COVERAGE.md is out of date: run npm run coverage:clauses").toBe(table);
  });
});

describe("K8: the kit runs against every backend of this repository", () => {
  it("K8: memory, DynamoDB Local, dynalite, opt-in AWS and the SQLite example each run both suites", async () => {
    const files = [
      "packages/memory/test/conformance.test.ts",
      "packages/dynamodb/test/conformance/dynamodb-local.test.ts",
      "packages/dynamodb/test/conformance/dynalite.test.ts",
      "packages/dynamodb/test/conformance/aws.test.ts",
      "examples/sqlite-backend/test/conformance.test.ts",
    ];
    for (const file of files) {
      const text = await readFile(new URL(`../${file}`, import.meta.url), "utf8");
      expect(text, file).toMatch(/describeResourceRepositoryConformance\(/);
      expect(text, file).toMatch(/describeProjectionConformance\(/);
    }
  });
});
