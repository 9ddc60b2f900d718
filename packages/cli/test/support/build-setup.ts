import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../..", import.meta.url));

/**
 * vitest `globalSetup` of the cli project: builds the CLI and what it depends on, because the
 * child-process tests run the built bin, as users do. After `npm run build` (as in `npm test`)
 * turbo finds everything in its cache and this takes about a second.
 */
export default async function setup(): Promise<void> {
  await run(`${root}node_modules/.bin/turbo`, ["run", "build", "--filter=@projectionkit/cli...", "--output-logs=errors-only"], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
}
