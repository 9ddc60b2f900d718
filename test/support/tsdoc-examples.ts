import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import ts from "typescript";

/** One `@example` code block of a TSDoc comment in a package's sources. */
export interface TsdocExample {
  /** The source file, from the repository root. */
  readonly file: string;
  /** The line of the comment's `@example` tag. */
  readonly line: number;
  /** Whether the comment is marked `@internal` (not part of the API). */
  readonly internal: boolean;
  /** The code of the block. */
  readonly code: string;
}

async function* sourceFiles(directory: string): AsyncGenerator<string> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

const COMMENT = /\/\*\*[\s\S]*?\*\//g;
const FENCE = /```ts\n([\s\S]*?)```/g;

/**
 * Every `@example` block in the TSDoc comments of the published packages' sources.
 *
 * @param root - the repository's root folder.
 * @returns the examples, in file order.
 */
export async function tsdocExamples(root: string): Promise<TsdocExample[]> {
  const examples: TsdocExample[] = [];
  for (const name of await readdir(join(root, "packages"))) {
    for await (const path of sourceFiles(join(root, "packages", name, "src"))) {
      const text = await readFile(path, "utf8");
      for (const comment of text.matchAll(COMMENT)) {
        const block = comment[0];
        const tag = block.indexOf("@example");
        if (tag === -1) continue;
        const internal = /@internal\b/.test(block);
        const body = block
          .slice(tag)
          .split("\n")
          .map((line) => line.replace(/^\s*\*\/?\s?/, ""))
          .join("\n");
        const line = text.slice(0, comment.index + tag).split("\n").length;
        for (const fence of body.matchAll(FENCE)) {
          examples.push({ file: relative(root, path).split("\\").join("/"), line, internal, code: fence[1] ?? "" });
        }
      }
    }
  }
  return examples;
}

/** The public entry points whose exports an example may use without importing them. */
const ENTRIES: Record<string, string> = {
  "@projectionkit/core": "packages/core/src/index.ts",
  "@projectionkit/memory": "packages/memory/src/index.ts",
  "@projectionkit/dynamodb": "packages/dynamodb/src/index.ts",
  "@projectionkit/dynamodb-testing": "packages/dynamodb-testing/src/index.ts",
  "@projectionkit/conformance": "packages/conformance/src/index.ts",
  "@projectionkit/core/telemetry": "packages/core/src/telemetry/index.ts",
};

/** Codes of "cannot find name" errors: a snippet's free variable or type, declared as `any` and checked again. */
const MISSING_NAME = new Set([2304, 2552, 2582, 2593, 18004]);

/** An example that does not compile, with the compiler's first messages. */
export interface ExampleError {
  readonly example: TsdocExample;
  readonly messages: readonly string[];
}

/**
 * Type-checks examples against the packages' sources. An example may use every export of the
 * packages without importing it (they are imported for it, unless it imports them itself), and
 * names it leaves undefined (`handler`, `event`, `AccountEvent` …) are declared as `any`; what it
 * says about the API — names, arguments, options, result types where they are known — must hold.
 *
 * @param root - the repository's root folder.
 * @param examples - the examples to check.
 * @returns the examples that do not compile.
 */
export function checkExamples(root: string, examples: readonly TsdocExample[]): ExampleError[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2024.d.ts", "lib.esnext.disposable.d.ts"],
    types: ["node"],
    skipLibCheck: true,
    customConditions: ["@projectionkit/source"],
    allowImportingTsExtensions: true,
    noUnusedLocals: false,
    // A snippet's callbacks often go to names it leaves undefined (`any`); their parameters are then untyped.
    noImplicitAny: false,
    noImplicitThis: false,
  };
  const exportsOf = entryExports(root, options);
  const files = new Map<string, { example: TsdocExample; declared: Set<string> }>();
  examples.forEach((example, index) => files.set(join(root, "test", `.tsdoc-example-${index}.ts`), { example, declared: new Set() }));

  const sourceOf = (path: string): string => {
    const entry = files.get(path);
    if (entry === undefined) return "";
    const own = new Set([...entry.example.code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) => (m[1] ?? "").split(",").map((n) => n.trim().replace(/^type\s+/, "").split(/\s+as\s+/).at(-1) ?? "")));
    const taken = new Set(own);
    const imports: string[] = [];
    for (const [specifier, names] of exportsOf) {
      const wanted = names.filter((name) => !taken.has(name) && new RegExp(`\\b${name}\\b`).test(entry.example.code));
      wanted.forEach((name) => taken.add(name));
      if (wanted.length > 0) imports.push(`import { ${wanted.join(", ")} } from "${specifier}";`);
    }
    const declarations = [...entry.declared].filter((name) => !taken.has(name)).map((name) => `declare const ${name}: any; type ${name}<A = any, B = any, C = any> = any;`);
    // The snippet is the body of a module; an import inside it moves to the top.
    const lines = entry.example.code.split("\n");
    const ownImports = lines.filter((line) => /^import\s/.test(line));
    const body = wrapped(lines.filter((line) => !/^import\s/.test(line)).join("\n"));
    return [...ownImports, ...imports, ...declarations, "export {};", body].join("\n");
  };

  let errors: ExampleError[] = [];
  for (let round = 0; round < 6; round++) {
    const host = ts.createCompilerHost(options);
    const readFileOriginal = host.readFile.bind(host);
    host.readFile = (path) => (files.has(path) ? sourceOf(path) : readFileOriginal(path));
    const fileExistsOriginal = host.fileExists.bind(host);
    host.fileExists = (path) => files.has(path) || fileExistsOriginal(path);
    const program = ts.createProgram([...files.keys()], options, host);
    let added = false;
    errors = [];
    for (const [path, entry] of files) {
      const source = program.getSourceFile(path);
      if (source === undefined) continue;
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      const messages: string[] = [];
      for (const diagnostic of diagnostics) {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
        const missing = /Cannot find name '([^']+)'|shorthand property '([^']+)'/.exec(message);
        const name = missing?.[1] ?? missing?.[2];
        if (MISSING_NAME.has(diagnostic.code) && name !== undefined && !entry.declared.has(name)) {
          entry.declared.add(name);
          added = true;
          continue;
        }
        messages.push(`TS${diagnostic.code}: ${message.split("\n")[0]}`);
      }
      if (messages.length > 0) errors.push({ example: entry.example, messages: messages.slice(0, 3) });
    }
    if (!added) break;
  }
  return errors;
}

/**
 * A snippet is a module body, or else a fragment of a function body (`return …`), of an object
 * class body (`protected async _resourceVersion(…) { … }`, whose `this` has any
 * member) or of an object literal's members (`configure(c) { … }, handleEvent(…) { … }`): the first of these that parses.
 */
function wrapped(body: string): string {
  const shapes = [
    (code: string) => code,
    (code: string) => `async function __example(): Promise<unknown> {\n${code}\n}`,
    (code: string) => `abstract class __Example {\n[name: string]: any;\n${code}\n}`,
    (code: string) => `const __example = {\n${code}\n};`,
  ];
  for (const shape of shapes) {
    const code = shape(body);
    const { diagnostics = [] } = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
    if (diagnostics.length === 0) return code;
  }
  return body;
}

/** The exported names of each public entry point, read by the compiler. */
function entryExports(root: string, options: ts.CompilerOptions): Map<string, string[]> {
  const program = ts.createProgram(Object.values(ENTRIES).map((file) => join(root, file)), options);
  const checker = program.getTypeChecker();
  const result = new Map<string, string[]>();
  for (const [specifier, file] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(join(root, file));
    const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    result.set(specifier, symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((s) => s.getName()));
  }
  return result;
}
