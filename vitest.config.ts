import { fileURLToPath } from "node:url";
import { defaultExternalConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * One vitest run for the whole repository. Workspace packages resolve to their TypeScript sources
 * through the `@projectionkit/source` export condition, so tests need no build; the tests in
 * `test/built/` check the built packages separately.
 */
// Without Vite's "module" condition: it would resolve dependencies such as the AWS SDK to their
// bundler-only builds (extensionless imports) and hand those to Node.js.
const conditions = ["@projectionkit/source", ...defaultServerConditions.filter((condition) => condition !== "module")];
const externalConditions = ["@projectionkit/source", ...defaultExternalConditions];

function project(name: string, root: string, extra: Record<string, unknown> = {}) {
  return { extends: true as const, test: { name, root, ...extra } };
}

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions } },
  test: {
    setupFiles: [fileURLToPath(new URL("test/support/fast-check-setup.ts", import.meta.url))],
    projects: [
      project("core", "packages/core"),
      project("memory", "packages/memory"),
      project("conformance", "packages/conformance"),
      project("repository", "test"),
      project("dynamodb", "packages/dynamodb", { testTimeout: 60_000, hookTimeout: 180_000, globalSetup: ["test/support/global-setup.ts"] }),
    ],
  },
});
