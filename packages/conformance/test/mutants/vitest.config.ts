import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../../../vitest.shared.ts";

/** The child run of test/mutants.test.ts: the kit against every broken backend. */
export default defineConfig({
  ...sourceResolution,
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["*.conformance.ts"],
    testTimeout: 60_000,
  },
});
