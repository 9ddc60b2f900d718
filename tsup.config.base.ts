import type { Options } from "tsup";

/**
 * The build every published package shares: ESM (`.js`) and CJS (`.cjs`) with their own
 * declaration files (`.d.ts` and `.d.cts`), source maps, and no bundled dependencies.
 *
 * @param entry - entry points, relative to the package folder.
 * @param formats - the module formats. Default ESM and CJS; ESM only for a package whose
 *   dependencies cannot be required (the conformance kit: vitest is ESM-only).
 * @returns the tsup options for one package.
 */
export function packageBuild(entry: Record<string, string>, formats: Options["format"] = ["esm", "cjs"]): Options {
  return {
    entry,
    format: formats,
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "node",
    splitting: false,
    treeshake: true,
  };
}
