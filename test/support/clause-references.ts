import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** Where the repository cites clauses: folders searched whole, and the Markdown files at its root. */
const FOLDERS = ["packages", "examples", "bench", "reliability", "test", "docs"];
const SKIP = new Set(["node_modules", "dist", ".turbo"]);
/** Generated folders (ignored by git): the API reference that `npm run docs` writes. */
const SKIP_PATHS = new Set([join("docs", "api")]);
const TEXT = /\.(?:[cm]?[jt]s|json|md|ya?ml)$/;

/** A text file of the repository, by its path from the root. */
export interface RepositoryFile {
  readonly path: string;
  readonly text: string;
}

/** One place where a file cites something. */
export interface Citation {
  readonly id: string;
  readonly path: string;
  readonly line: number;
}

async function* walk(directory: string): AsyncGenerator<string> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || [...SKIP_PATHS].some((skipped) => join(directory, entry.name).endsWith(skipped))) {
      continue;
    }
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      yield* walk(path);
    } else if (TEXT.test(entry.name)) {
      yield path;
    }
  }
}

/**
 * The repository's own text files: sources, tests, examples, benchmarks, documentation and the
 * Markdown files at the root (not `node_modules`, build output, the lock file or changesets).
 *
 * @param root - the repository's root folder.
 * @returns the files, sorted by path.
 */
export async function repositoryFiles(root: string): Promise<RepositoryFile[]> {
  const paths: string[] = [];
  for (const folder of FOLDERS) {
    for await (const path of walk(join(root, folder))) {
      paths.push(path);
    }
  }
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".md")) {
      paths.push(join(root, entry.name));
    }
  }
  const files = await Promise.all(paths.map(async (path) => ({ path: relative(root, path).split("\\").join("/"), text: await readFile(path, "utf8") })));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * A clause id (`R3`, `D16`, pitfall `GP4`), alone or as a range (`R1–R6`, `G1-G4`, `R1–5`). It must
 * stand on its own: not inside a word or a number (`E2E`, `0xD1`, `K8s`, `v0.7.1`), not a dotted
 * version (`V8.4`), not in base64 or a hex colour (`+D1=`, `#D12`). Go pitfalls are `GP1`–`GP9` only. Ids start at 1.
 */
const CLAUSE = /(?<![\w.#$@\\+=])(?<letter>GP|[RHEVBDMKG])(?<from>[1-9]\d*)(?:\s*[–-]\s*\k<letter>?(?<to>[1-9]\d*))?(?![\w+=]|\.\d)/g;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
    line++;
  }
  return line;
}

/**
 * Every clause id a file cites, ranges expanded (`R1–R3` cites R1, R2 and R3).
 *
 * @param file - the file.
 * @returns the citations, in the order they appear.
 */
export function clauseCitations(file: RepositoryFile): Citation[] {
  const citations: Citation[] = [];
  for (const match of file.text.matchAll(CLAUSE)) {
    const { letter = "", from = "", to } = match.groups ?? {};
    const first = Number(from);
    const last = to === undefined ? first : Number(to);
    const numbers = last >= first ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : [first, last];
    const line = lineAt(file.text, match.index);
    for (const number of numbers) {
      if (letter !== "GP" || number <= 9) {
        citations.push({ id: `${letter}${number}`, path: file.path, line });
      }
    }
  }
  return citations;
}

/** A clause's heading in the specification: `### <a id="r3"></a>R3 · Compare-and-set`. */
const DEFINITION = /^#{2,6} <a id="(?<anchor>[^"]*)"><\/a>(?<id>[A-Z]{1,2}\d+) · \S/;

/**
 * The clause ids the specification defines: each is a heading that starts with an explicit anchor,
 * the id in lower case (so that `docs/specification.md#r3` links to R3), then the id itself.
 *
 * @param specification - the text of `docs/specification.md`.
 * @returns the ids defined, and the anchors that do not define a clause as they should (a wrong
 *   anchor, an anchor outside such a heading, an id defined twice).
 */
export function clauseDefinitions(specification: string): { defined: Set<string>; malformed: string[] } {
  const defined = new Set<string>();
  const malformed: string[] = [];
  specification.split("\n").forEach((text, index) => {
    if (!text.includes("<a id=")) {
      return;
    }
    const { anchor, id } = DEFINITION.exec(text)?.groups ?? {};
    if (anchor === undefined || id === undefined || anchor !== id.toLowerCase() || defined.has(id)) {
      malformed.push(`line ${index + 1}: ${text}`);
    } else {
      defined.add(id);
    }
  });
  return { defined, malformed };
}

/**
 * Citations of clause ids that the specification does not define.
 *
 * @param files - the files to check.
 * @param defined - the ids the specification defines.
 * @returns one `id path:line` entry per undefined citation.
 */
export function undefinedCitations(files: readonly RepositoryFile[], defined: ReadonlySet<string>): string[] {
  return files.flatMap((file) => clauseCitations(file).filter((citation) => !defined.has(citation.id)).map(({ id, path, line }) => `${id} ${path}:${line}`));
}

/**
 * The anchors a link into the specification may name: the clauses' explicit anchors and the
 * headings' own, made the way GitHub makes them (lower case, punctuation dropped, spaces as `-`).
 *
 * @param specification - the text of `docs/specification.md`.
 * @returns the anchors.
 */
export function specificationAnchors(specification: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading = ""] of specification.matchAll(/^#{1,6} (.*)$/gm)) {
    for (const [, id = ""] of heading.matchAll(/<a id="([^"]*)"><\/a>/g)) {
      anchors.add(id);
    }
    const text = heading.replace(/<[^>]*>/g, "").trim().toLowerCase();
    anchors.add(text.replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-"));
  }
  return anchors;
}

/**
 * Links into the specification (`docs/specification.md#r3`, or `#r3` inside it) whose anchor it
 * does not have.
 *
 * @param files - the files to check.
 * @param anchors - the specification's anchors.
 * @returns one `path:line: #anchor` entry per broken link.
 */
export function brokenSpecificationLinks(files: readonly RepositoryFile[], anchors: ReadonlySet<string>): string[] {
  return files.flatMap((file) => {
    const link = file.path === "docs/specification.md" ? /\]\(#([^)\s]+)\)/g : /specification\.md#([\w-]+)/g;
    return [...file.text.matchAll(link)].filter(([, anchor = ""]) => !anchors.has(anchor)).map((match) => `${file.path}:${lineAt(file.text, match.index)}: #${match[1] ?? ""}`);
  });
}

/** Ways of pointing at documents that live outside the repository. */
const EXTERNAL = [/\.\.\/shared\b/, /\bshared\/(?:docs|reference|tools)\b/, /\bSPEC\s*§/i, /\bSPEC\.md\b/i, /\bthe issue that builds\s+it\b/i];

/**
 * References to documents outside the repository, such as a section of the specification's
 * former home or a path into a folder next to the checkout: the repository defines its own terms.
 *
 * @param files - the files to check.
 * @returns one `path:line: text` entry per line that refers outside.
 */
export function externalReferences(files: readonly RepositoryFile[]): string[] {
  return files.flatMap((file) =>
    file.text.split("\n").flatMap((text, index) => (EXTERNAL.some((pattern) => pattern.test(text)) ? [`${file.path}:${index + 1}: ${text.trim()}`] : [])),
  );
}
