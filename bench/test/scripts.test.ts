// A smoke run (BENCH_SMOKE=1) of the benchmarks that are plain scripts, each in a child process on
// the TypeScript sources (no build needed): each must exit cleanly and print its table.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const benchDirectory = fileURLToPath(new URL("..", import.meta.url));
const sourceResolution = fileURLToPath(new URL("../../reliability/src/source-resolution.ts", import.meta.url));

async function smoke(script: string, ...flags: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [...flags, "--import", sourceResolution, script], {
    cwd: benchDirectory,
    env: { ...process.env, BENCH_SMOKE: "1" },
    timeout: 60_000,
  });
  return stdout;
}

describe.concurrent("benchmark scripts, smoke run", () => {
  it("P5 memory prints a row per case, the baseline at 1.00×", async () => {
    const out = await smoke("src/memory.bench.ts", "--expose-gc");
    expect(out).toMatch(/SMOKE RUN/);
    expect(out).toMatch(/^\| baseline: hand-written Map projection \| [\d.]+ \| 1\.00× \|/m);
    expect(out.match(/^\| memoryProjection/gm)?.length).toBeGreaterThanOrEqual(5);
  });

  it("P5's collection probe prints a row per kind of collection, a figure per chunk", async () => {
    const out = await smoke("src/memory-gc-transient.bench.ts", "--expose-gc");
    expect(out).toMatch(/SMOKE RUN/);
    for (const kind of ["full", "young-generation"]) {
      expect(out).toMatch(new RegExp(`^\\| a ${kind} collection \\| [\\d.]+ / [\\d.]+ \\| [\\d.]+ / [\\d.]+ \\|$`, "m"));
    }
  });

  it("the emulators bench prints dynalite's row", async () => {
    const out = await smoke("src/emulators.bench.ts");
    expect(out).toMatch(/^\| dynalite \+ startDynalite transactions \| \d+ \| 1\.000× \|/m);
  });

  it("the batch-size bench prints a row per size and kind of projection, 1.0 write request per event at size 1", async () => {
    const out = await smoke("src/batch-size.bench.ts");
    expect(out.match(/^\| 1 \| [\d.]+ \| 1\.0000 \|/gm)?.length).toBe(4);
    expect(out.match(/^\| 10 \| /gm)?.length).toBe(4);
  });
});
