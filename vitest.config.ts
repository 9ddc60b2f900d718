import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { SkipReasonsReporter } from "./test/support/skip-reasons-reporter.ts";
import { sourceResolution } from "./vitest.shared.ts";

/**
 * One vitest run for the whole repository. Workspace packages resolve to their TypeScript sources
 * through the `@projectionkit/source` export condition, so tests need no build; the tests in
 * `test/built/` check the built packages separately.
 */
function project(name: string, root: string, extra: Record<string, unknown> = {}) {
  return { extends: true as const, test: { name, root, ...extra } };
}

/** Starts the DynamoDB Local that the DynamoDB projects share (skipped without Java, except under CI=true). */
const dynamodbLocalSetup = fileURLToPath(new URL("test/support/dynamodb-local-setup.ts", import.meta.url));

export default defineConfig({
  ...sourceResolution,
  test: {
    // Without Java, the DynamoDB Local tests are skipped: the run ends by saying which and why.
    reporters: ["default", new SkipReasonsReporter()],
    // At least two test files at a time (vitest's default is one fewer than the cores): the DynamoDB
    // suites, on dynalite and on DynamoDB Local, spend most of their time waiting for an emulator.
    maxWorkers: Math.max(availableParallelism() - 1, 2),
    setupFiles: [fileURLToPath(new URL("test/support/fast-check-setup.ts", import.meta.url))],
    projects: [
      project("core", "packages/core"),
      project("memory", "packages/memory"),
      project("conformance", "packages/conformance"),
      project("repository", "test"),
      project("example-sqlite", "examples/sqlite-backend"),
      project("dynamodb", "packages/dynamodb", { testTimeout: 60_000, hookTimeout: 180_000, globalSetup: [dynamodbLocalSetup] }),
      project("dynamodb-testing", "packages/dynamodb-testing", { testTimeout: 60_000, hookTimeout: 180_000, globalSetup: [dynamodbLocalSetup] }),
      project("example-dynalite", "examples/dynalite-testing"),
      project("cli", "packages/cli", { testTimeout: 60_000, hookTimeout: 180_000, unstubEnvs: true, globalSetup: ["test/support/build-setup.ts", dynamodbLocalSetup] }),
      project("example-lambda", "examples/lambda-dynamodb-streams", { testTimeout: 60_000, hookTimeout: 180_000 }),
      project("bench", "bench", { testTimeout: 120_000 }),
      project("reliability", "reliability", { testTimeout: 180_000, hookTimeout: 180_000, globalSetup: [dynamodbLocalSetup] }),
    ],
  },
});
