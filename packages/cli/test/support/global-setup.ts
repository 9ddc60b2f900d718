import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../..", import.meta.url));

/**
 * vitest `globalSetup` of the cli project: builds the CLI and what it depends on (the child-process
 * tests run the built bin, as users do; turbo makes this a cache hit after `npm run build`), and
 * starts one DynamoDB Local for every test file, given to them as `inject("dynamodbLocalEndpoint")`.
 *
 * @param project - the vitest project, to `provide` the endpoint.
 * @returns the teardown, which stops the emulator.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await run(fileURLToPath(new URL("node_modules/.bin/turbo", `file://${root}/`)), ["run", "build", "--filter=@projectionkit/cli...", "--output-logs=errors-only"], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  // Imported once built: vitest loads globalSetup files without the `@projectionkit/source`
  // export condition, so the harness resolves to the built package here.
  const { startDynamoDBLocal } = await import("./emulators.ts");
  const local = await startDynamoDBLocal();
  project.provide("dynamodbLocalEndpoint", local.endpoint);
  return () => local.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The endpoint of the DynamoDB Local started by test/support/global-setup.ts. */
    dynamodbLocalEndpoint: string;
  }
}
