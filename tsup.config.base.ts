import type { Options } from "tsup";

/**
 * The build every published package shares: ESM (`.js`) and CJS (`.cjs`) with their own
 * declaration files (`.d.ts` and `.d.cts`), source maps, and no bundled dependencies.
 *
 * @param entry - entry points, relative to the package folder.
 * @returns the tsup options for one package.
 */
export function packageBuild(entry: Record<string, string>): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "node",
    splitting: false,
    treeshake: true,
  };
}
