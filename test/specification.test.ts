import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  brokenSpecificationLinks,
  clauseCitations,
  clauseDefinitions,
  externalReferences,
  repositoryFiles,
  specificationAnchors,
  undefinedCitations,
} from "./support/clause-references.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const specificationFile = fileURLToPath(new URL("../docs/specification.md", import.meta.url));

const ids = (text: string) => clauseCitations({ path: "sample.md", text }).map((citation) => citation.id);

describe("docs/specification.md defines the terms the repository uses", () => {
  it("clause ids and ranges are found wherever they are cited, and look-alikes are not", () => {
    expect(ids('"K3/R1–R3: any history"')).toEqual(["K3", "R1", "R2", "R3"]);
    expect(ids("(D4–D6), G1-G2, R1–2, | M1 |, **(D1).**, pitfall GP8.")).toEqual(["D4", "D5", "D6", "G1", "G2", "R1", "R2", "M1", "D1", "GP8"]);
    expect(ids("E2E 0xD1 #D12 K8s v0.7.1 V8.4 +D1= P99 X9 R0 §8.1 SHA-256 us-east-1 k1 AWS S3")).toEqual([]);
    expect(clauseCitations({ path: "a.ts", text: "one\n// two (H7)\n" })).toEqual([{ id: "H7", path: "a.ts", line: 2 }]);
  });

  it("every clause is a heading with its own anchor, defined once", async () => {
    const { defined, malformed } = clauseDefinitions(await readFile(specificationFile, "utf8"));
    expect(malformed).toEqual([]);
    const expected = [["R", 7], ["H", 7], ["E", 3], ["V", 1], ["B", 4], ["D", 16], ["M", 2], ["K", 11], ["G", 9], ["GP", 9]] as const;
    for (const [letter, count] of expected) {
      expect([...defined].filter((id) => new RegExp(`^${letter}\\d`).test(id)), letter).toEqual(Array.from({ length: count }, (_, i) => `${letter}${i + 1}`));
    }
    expect(clauseDefinitions('### <a id="r2"></a>R3 · Wrong anchor\n<a id="x1"></a> loose\n').malformed).toHaveLength(2);
  });

  it("every clause id cited in code, tests, examples and documentation is defined there", async () => {
    const { defined } = clauseDefinitions(await readFile(specificationFile, "utf8"));
    const files = await repositoryFiles(root);
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining(["README.md", "COVERAGE.md", "docs/specification.md", "test/specification.test.ts"]));
    expect(undefinedCitations(files, defined), "cited but not defined in docs/specification.md").toEqual([]);
    const bogus = `R${defined.size + 100}`;
    expect(undefinedCitations([{ path: "bogus.ts", text: `// see (${bogus})` }], defined)).toEqual([`${bogus} bogus.ts:1`]);
  });

  it("every link into the specification names an anchor it has", async () => {
    const anchors = specificationAnchors(await readFile(specificationFile, "utf8"));
    expect([...anchors]).toEqual(expect.arrayContaining(["r3", "r3--compare-and-set", "version-store-r", "glossary"]));
    expect(brokenSpecificationLinks(await repositoryFiles(root), anchors)).toEqual([]);
    expect(brokenSpecificationLinks([{ path: "a.md", text: `see [R3](docs/specification.md#${"r3"}x)` }], anchors)).toEqual(["a.md:1: #r3x"]);
  });

  it("nothing refers to documents outside the repository", async () => {
    expect(externalReferences(await repositoryFiles(root)), "point into docs/specification.md instead").toEqual([]);
    const spec = ["SP", "EC"].join("");
    const outside = [`${spec} §7`, ["..", "shared", "docs", "README.md"].join("/"), `pitfall 3 of ${spec}.md`];
    expect(externalReferences([{ path: "a.md", text: outside.join("\n") }])).toHaveLength(3);
  });
});
