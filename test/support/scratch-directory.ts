import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * A directory of the suite's own in the system's temporary directory (its name starts with
 * `projectionkit-<name>-`): made before the suite's tests, removed with all it holds after them.
 * Returns the directory's getter, which can be called from the suite's hooks and tests.
 */
export function scratchDirectory(name: string): () => string {
  let directory: string | undefined;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), `projectionkit-${name}-`));
  });
  afterAll(async () => {
    if (directory !== undefined) {
      await rm(directory, { recursive: true, force: true });
    }
  });
  return () => {
    if (directory === undefined) throw new Error("the scratch directory is used before the suite's beforeAll made it");
    return directory;
  };
}
