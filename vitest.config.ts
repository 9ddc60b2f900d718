import { fileURLToPath } from "node:url";
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * One vitest run for the whole repository. Workspace packages resolve to their TypeScript sources
 * through the `@projectionkit/source` export condition, so tests need no build; the tests in
 * `test/built/` check the built packages separately.
 */
const conditions = ["@projectionkit/source", ...defaultServerConditions];

function project(name: string, root: string, extra: Record<string, unknown> = {}) {
  return { extends: true as const, test: { name, root, ...extra } };
}

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    setupFiles: [fileURLToPath(new URL("test/support/fast-check-setup.ts", import.meta.url))],
    projects: [
      project("core", "packages/core"),
      project("memory", "packages/memory"),
      project("conformance", "packages/conformance"),
      project("repository", "test"),
    ],
  },
});
