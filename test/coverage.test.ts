import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

// Clause coverage (K7) is generated and checked by packages/conformance/test/mutants.test.ts, from a
// run of the conformance kit against its mutants.

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
