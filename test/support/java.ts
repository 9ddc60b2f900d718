// Relative imports: vitest loads globalSetup files outside the test runner, where the
// `@projectionkit/source` export condition does not apply and the package would need a build.
import { isProjectionKitError } from "../../packages/core/src/index.js";
import { JAVA_INSTALL_HINT } from "../../packages/dynamodb-testing/src/index.js";
import { defaultJavaPath, spawnJava } from "../../packages/dynamodb-testing/src/java-process.js";

/** Why the tests that need DynamoDB Local are skipped on a machine without Java. */
export const JAVA_MISSING_REASON = `Java was not found. ${JAVA_INSTALL_HINT}`;

/**
 * Whether a missing Java is an error rather than a reason to skip: under `CI=true`, so that CI
 * never skips the DynamoDB Local tests silently.
 *
 * @returns `true` under `CI=true`.
 */
export function javaRequired(): boolean {
  return process.env["CI"] === "true";
}

/**
 * For tests that start Java themselves, outside the shared setup (./dynamodb-local-setup.ts):
 * runs `java -version` the way the harness finds Java (`JAVA_HOME`, else `PATH`).
 *
 * @returns `undefined` when Java runs, else {@link JAVA_MISSING_REASON}.
 * @throws the harness's JavaNotFoundError under `CI=true` (see {@link javaRequired}).
 */
export async function javaMissing(): Promise<string | undefined> {
  try {
    const java = await spawnJava({ javaPath: defaultJavaPath(), args: ["-version"] });
    await java.exited;
    return undefined;
  } catch (error) {
    if (isProjectionKitError(error, "ERR_JAVA_NOT_FOUND") && !javaRequired()) {
      return JAVA_MISSING_REASON;
    }
    throw error;
  }
}
