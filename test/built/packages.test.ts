import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * The built packages, as users get them: each is loaded in a fresh Node.js process, once with
 * `import` and once with `require`, without the source condition the other tests use, and one of
 * its functions is called. `npm test` builds before it runs the tests. The conformance kit is
 * ESM only, because vitest, which it registers suites with, cannot be required; Node.js 22.12+
 * still loads it with `require` (require of ES modules).
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

interface Probe {
  readonly specifier: string;
  /** A JavaScript expression over the module `m` whose JSON value is checked. */
  readonly expression: string;
  readonly expected: unknown;
}

const probes: Probe[] = [
  { specifier: "@projectionkit/core", expression: "[...m.encodeOffset(258)]", expected: [0, 0, 0, 0, 0, 0, 1, 2] },
  {
    specifier: "@projectionkit/memory",
    expression: `(async () => {
      const p = m.memoryProjection({
        configure(c) { c.identity("dist", "8f1d1c3e-2a5b-4c47-9d0e-6b7a8c9d0e1f"); c.handlesEvents("Added"); },
        initialState: 0,
        handleEvent: (n, _s, e) => n + e.amount,
      });
      const r = new Uint8Array([1]);
      const first = await p.handleEvent(r, undefined, new Uint8Array([1]), { recordedAt: new Date(), isPrimaryDelivery: true, log() {} }, { type: "Added", amount: 2 });
      const again = await p.handleEvent(r, undefined, new Uint8Array([1]), { recordedAt: new Date(), isPrimaryDelivery: true, log() {} }, { type: "Added", amount: 2 });
      return [first, again, p.state];
    })()`,
    expected: [true, false, 2],
  },
  {
    specifier: "@projectionkit/dynamodb",
    expression: `[...m.versionItemKey("8f1d1c3e-2a5b-4c47-9d0e-6b7a8c9d0e1f", new Uint8Array([7]))].slice(35)`,
    expected: [102, 32, 7],
  },
  {
    specifier: "@projectionkit/dynamodb-testing",
    expression: `(async () => {
      const client = m.createDynamoDBLocalClient("http://127.0.0.1:1");
      const region = await client.config.region();
      client.destroy();
      return [typeof m.startDynamoDBLocal, region];
    })()`,
    expected: ["function", "us-east-1"],
  },
  {
    specifier: "@projectionkit/core/telemetry",
    expression: "Object.keys(m.driverTelemetry()).sort()",
    expected: ["onConflict", "onOutcome", "onRetry"],
  },
  {
    specifier: "@projectionkit/cli",
    expression: `[m.defaultScanSegments(1024 ** 3), m.showVersion(new Uint8Array([0, 0, 0, 0, 0, 0, 1, 2])).shown, m.EXIT_CODES.tableNotFound]`,
    expected: [4, "258", 3],
  },
  {
    specifier: "@projectionkit/conformance",
    expression: "m.resolveConformanceSettings({}, { CONFORMANCE_SEED: '7' }).seed",
    expected: 7,
  },
];

async function evaluate(kind: "import" | "require", probe: Probe): Promise<unknown> {
  const load =
    kind === "import"
      ? `const m = await import(${JSON.stringify(probe.specifier)});`
      : `const m = require(${JSON.stringify(probe.specifier)});`;
  const script = `${load}\nPromise.resolve(${probe.expression}).then((v) => process.stdout.write(JSON.stringify(v)));`;
  const args = kind === "import" ? ["--input-type=module", "--eval", script] : ["--input-type=commonjs", "--eval", script];
  const { stdout } = await run(process.execPath, args, { cwd: root });
  return JSON.parse(stdout);
}

describe("built packages", () => {
  it.each(probes.map((probe) => [probe.specifier, probe] as const))("%s: dist has ESM and CJS with declaration files (the conformance kit: ESM)", (_, probe) => {
    const [, name, subpath] = probe.specifier.split("/");
    const folder = `${root}/packages/${name}`;
    const manifest = JSON.parse(readFileSync(`${folder}/package.json`, "utf8")) as {
      exports: Record<string, { import?: { types: string; default: string }; require?: { types: string; default: string }; types?: string; default?: string }>;
    };
    const entry = manifest.exports[subpath === undefined ? "." : `./${subpath}`];
    if (entry === undefined) throw new Error(`${probe.specifier} is not in the exports map`);
    const esmOnly = probe.specifier === "@projectionkit/conformance";
    const files = esmOnly ? [entry.types, entry.default] : [entry.import?.types, entry.import?.default, entry.require?.types, entry.require?.default];
    expect(files.every((file) => typeof file === "string")).toBe(true);
    for (const file of files) {
      expect(existsSync(`${folder}/${file}`), `${probe.specifier}: ${file} is missing; run npm run build`).toBe(true);
    }
  });

  it.each(probes.flatMap((probe) => (["import", "require"] as const).map((kind) => [probe.specifier, kind, probe] as const)))(
    "%s loads with %s and its function works",
    async (_, kind, probe) => {
      expect(await evaluate(kind, probe)).toEqual(probe.expected);
    },
  );

  it("an error made by the CJS build is recognised by the ESM build's guard and instanceof", async () => {
    const script = `
      import { createRequire } from "node:module";
      const esm = await import("@projectionkit/core");
      const cjs = createRequire(process.cwd() + "/")("@projectionkit/core");
      const error = new cjs.UnexpectedMessageError("p", "T");
      process.stdout.write(JSON.stringify([
        esm.isProjectionKitError !== cjs.isProjectionKitError,
        esm.isProjectionKitError(error, "ERR_UNEXPECTED_MESSAGE"),
        error instanceof esm.UnexpectedMessageError,
        error instanceof esm.InvalidResourceError,
      ]));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "--eval", script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual([true, true, true, false]);
  });
});

describe("package boundaries", () => {
  it("@projectionkit/dynamodb runs on core and AWS packages only: the emulators are in @projectionkit/dynamodb-testing", () => {
    const manifest = JSON.parse(readFileSync(`${root}/packages/dynamodb/package.json`, "utf8")) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      exports: Record<string, unknown>;
    };
    const runtime = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
    expect(runtime.filter((name) => name !== "@projectionkit/core" && !name.startsWith("@aws-sdk/"))).toEqual([]);
    expect(Object.keys(manifest.exports)).toEqual([".", "./package.json"]);
    const testing = JSON.parse(readFileSync(`${root}/packages/dynamodb-testing/package.json`, "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(testing.dependencies)).toEqual(expect.arrayContaining(["dynalite", "tar"]));
  });
});
