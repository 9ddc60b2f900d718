import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { SPEC_CLAUSES } from "@projectionkit/conformance";
import type { Mutant } from "../mutants/catalogue.js";
import { isProperty, type KitTestResult } from "./mutant-run.js";

/**
 * The clauses of the contract that the kit checks, by the letter of their ids: each must have a
 * mutant that breaks it and that its tests catch.
 */
export const MUTANT_CHECKED_LETTERS: readonly string[] = ["R", "H", "B"];

/**
 * Whether a clause must have a mutant that its tests catch.
 *
 * @param id - a clause id.
 * @returns `true` for the contract's clauses.
 */
export function needsMutant(id: string): boolean {
  return MUTANT_CHECKED_LETTERS.includes(id.replace(/\d+$/, ""));
}

/** Where tests live: test files, and the conformance kit's sources (its suites register tests). */
const SOURCES = ["packages", "test", "examples"];
const SKIP = new Set(["node_modules", "dist", ".turbo"]);

/** One test of the repository, by file and title, read from the sources. */
export interface NamedTest {
  readonly file: string;
  readonly title: string;
}

async function* walk(directory: string): AsyncGenerator<string> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) {
      continue;
    }
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      yield* walk(path);
    } else if (/\.(test|conformance)\.ts$/.test(entry.name) || (path.includes(join("conformance", "src")) && entry.name.endsWith(".ts"))) {
      yield path;
    }
  }
}

// it("…"), it.skip("…") and it.each([…])("…"), the same for test.
const TITLE = /\b(?:it|test)(?:\.skip|\.each\([^)]*\))?\(\s*(["'`])((?:(?!\1)[^\\]|\\.)*)\1/g;

/**
 * Every test title in the repository (including the ones the conformance kit registers), read
 * from the sources without running them.
 *
 * @param root - the repository's root folder.
 * @returns the tests, sorted by file.
 */
export async function namedTests(root: string): Promise<NamedTest[]> {
  const tests: NamedTest[] = [];
  for (const source of SOURCES) {
    for await (const path of walk(join(root, source))) {
      const text = await readFile(path, "utf8");
      for (const match of text.matchAll(TITLE)) {
        tests.push({ file: relative(root, path).split("\\").join("/"), title: match[2] ?? "" });
      }
    }
  }
  return tests.sort((a, b) => a.file.localeCompare(b.file) || a.title.localeCompare(b.title));
}

/**
 * The clause ids a test title names: `R3`, `GP1`, and ranges such as `R1–R5`, `H1-H6` or `GP1–GP9`.
 *
 * @param title - the test's title.
 * @returns the ids.
 */
export function clausesOf(title: string): string[] {
  const ids = new Set<string>();
  for (const match of title.matchAll(/\b([A-Z]{1,2})(\d+)(?:\s*[–-]\s*\1?(\d+))?\b/g)) {
    const [, letter = "", from = "", to] = match;
    const last = to === undefined ? Number(from) : Number(to);
    for (let n = Number(from); n <= last; n++) {
      ids.add(`${letter}${n}`);
    }
  }
  return [...ids].filter((id) => id in SPEC_CLAUSES);
}

/** One test of the kit, and the mutants it caught. */
export interface KitTest {
  readonly suite: "repository" | "projection";
  readonly title: string;
  /** The mutants it failed on, in catalogue order. */
  readonly catches: readonly string[];
}

/** What covers one clause. */
export interface ClauseCoverage {
  readonly id: string;
  readonly summary: string;
  /** The kit's tests that name the clause, with what each caught. */
  readonly kitTests: readonly KitTest[];
  /** Mutants that break the clause and that its tests catch. */
  readonly breakingCaught: readonly string[];
  /** Other mutants its tests catch. */
  readonly otherCaught: readonly string[];
  /** The repository's tests that name it, outside the kit. */
  readonly otherTests: readonly NamedTest[];
}

/**
 * The kit's tests in a run against the mutants, each with the mutants it caught.
 *
 * @param results - the child run's results.
 * @param mutants - the catalogue.
 * @returns one entry per (suite, title), in the order they ran.
 */
export function kitTests(results: readonly KitTestResult[], mutants: readonly Mutant[]): KitTest[] {
  const byTest = new Map<string, { suite: KitTest["suite"]; title: string; caught: Set<string> }>();
  for (const result of results) {
    if (result.backend === "minimal") {
      continue;
    }
    const key = `${result.suite}\u0000${result.title}`;
    const entry = byTest.get(key) ?? { suite: result.suite, title: result.title, caught: new Set<string>() };
    byTest.set(key, entry);
    if (result.status === "failed" && result.backend !== "none") {
      entry.caught.add(result.backend);
    }
  }
  return [...byTest.values()].map(({ suite, title, caught }) => ({ suite, title, catches: mutants.map((m) => m.name).filter((name) => caught.has(name)) }));
}

/**
 * What covers each clause of the specification (clause K7): the kit's tests that name it and the
 * mutants they catch, and the repository's other tests that name it.
 *
 * @param tests - the kit's tests, from {@link kitTests}.
 * @param mutants - the catalogue.
 * @param repositoryTests - every test title of the repository, from {@link namedTests}.
 * @returns one entry per clause, in the specification's order.
 */
export function clauseCoverage(tests: readonly KitTest[], mutants: readonly Mutant[], repositoryTests: readonly NamedTest[]): ClauseCoverage[] {
  return Object.entries(SPEC_CLAUSES).map(([id, summary]) => {
    const own = tests.filter((test) => clausesOf(test.title).includes(id));
    const caught = new Set(own.flatMap((test) => test.catches));
    const ordered = mutants.filter((m) => caught.has(m.name));
    return {
      id,
      summary,
      kitTests: own,
      breakingCaught: ordered.filter((m) => m.breaks.includes(id)).map((m) => m.name),
      otherCaught: ordered.filter((m) => !m.breaks.includes(id)).map((m) => m.name),
      otherTests: repositoryTests.filter((test) => !test.file.startsWith("packages/conformance/src/") && clausesOf(test.title).includes(id)),
    };
  });
}

/** A clause id linked to its definition. */
function clauseLink(id: string): string {
  return `[${id}](docs/specification.md#${id.toLowerCase()})`;
}

function list(names: readonly string[]): string {
  return names.length === 0 ? "—" : names.map((name) => `\`${name}\``).join(", ");
}

function caughtCell(entry: ClauseCoverage, mutants: readonly Mutant[]): string {
  const count = entry.breakingCaught.length + entry.otherCaught.length;
  const found = mutants.filter((m) => m.foundBy === entry.id && entry.otherCaught.includes(m.name)).map((m) => m.name);
  return count === 0 ? "—" : found.length === 0 ? String(count) : `${count}; found through ${entry.id}: ${list(found)}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/**
 * The Markdown text of COVERAGE.md (clause K7).
 *
 * @param coverage - from {@link clauseCoverage}.
 * @param mutants - the catalogue.
 * @param tests - the kit's tests, from {@link kitTests}.
 * @returns the file's text.
 */
export function coverageMarkdown(coverage: readonly ClauseCoverage[], mutants: readonly Mutant[], tests: readonly KitTest[]): string {
  const lines = [
    "# Clause coverage",
    "",
    "How each clause of the behavioural specification ([docs/specification.md](docs/specification.md)) is tested (clause K7). Generated by",
    "`npm run coverage:clauses` from a run of the conformance kit against its mutants, the broken",
    "backends of `packages/conformance/test/mutants/` (fixed seed); `packages/conformance/test/mutants.test.ts`",
    "fails when this file is out of date, when a clause of the contract has no mutant that breaks it",
    "and that its tests catch, or when another clause has no test. A test is a test of a clause when its",
    "title names the clause.",
    "",
    "## The contract: clause → the kit's tests → mutants caught",
    "",
    `Every clause ${MUTANT_CHECKED_LETTERS.join("/")}… has at least one mutant that breaks it and that a test of the clause catches:`,
    "proof that its tests can fail for the reason they exist. The kit's tests run once per backend.",
    "",
    "| Clause | Summary | Kit tests | Mutants that break it, caught by its tests | Mutants its tests catch |",
    "|---|---|---:|---|---:|",
  ];
  const contract = coverage.filter((entry) => needsMutant(entry.id));
  for (const entry of contract) {
    lines.push(`| ${clauseLink(entry.id)} | ${cell(entry.summary)} | ${entry.kitTests.length} | ${list(entry.breakingCaught)} | ${entry.breakingCaught.length + entry.otherCaught.length} |`);
  }
  for (const entry of contract) {
    lines.push("", `### ${entry.id}: ${entry.summary}`, "", "| Suite | Test | Mutants it catches |", "|---|---|---|");
    for (const test of entry.kitTests) {
      lines.push(`| ${test.suite} | ${cell(test.title)} | ${list(test.catches)} |`);
    }
    const files = [...new Set(entry.otherTests.map((test) => `\`${test.file}\``))];
    lines.push("", `Tests outside the kit that name ${entry.id}: ${entry.otherTests.length}${files.length === 0 ? "" : ` in ${files.join(", ")}`}.`);
  }
  lines.push(
    "",
    "## The mutants",
    "",
    "| Mutant | Mistake | Breaks | Found by | Examples that catch it | Properties that catch it |",
    "|---|---|---|---|---:|---:|",
  );
  for (const mutant of mutants) {
    const catching = tests.filter((test) => test.catches.includes(mutant.name));
    const properties = catching.filter(isProperty).length;
    lines.push(`| \`${mutant.name}\` | ${cell(mutant.mistake)} | ${mutant.breaks.map(clauseLink).join(", ")} | ${mutant.foundBy ?? ""} | ${catching.length - properties} | ${properties} |`);
  }
  lines.push(
    "",
    "## Other clauses: tests that name them",
    "",
    "No mutant breaks these clauses (adapters, engine, the kit itself); each has at least one test. Where",
    "the kit's tests name one, the last column counts the mutants they catch; a kit clause that finds",
    "mutants (K4, K9, K10) lists them.",
    "",
    "| Clause | Summary | Tests | Files | Mutants the kit's tests catch |",
    "|---|---|---:|---|---|",
  );
  for (const entry of coverage.filter((e) => !needsMutant(e.id))) {
    const files = [...new Set([...(entry.kitTests.length > 0 ? ["packages/conformance/src"] : []), ...entry.otherTests.map((test) => test.file)])].map((file) => `\`${file}\``);
    lines.push(
      `| ${clauseLink(entry.id)} | ${cell(entry.summary)} | ${entry.kitTests.length + entry.otherTests.length} | ${files.join("<br>")} | ${caughtCell(entry, mutants)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
