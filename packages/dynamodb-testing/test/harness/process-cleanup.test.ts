import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { describeNeedingJava } from "../support/clients.js";
import { scratchDirectory } from "../../../../test/support/scratch-directory.js";

const scratch = scratchDirectory("process-cleanup");

/** Whether `pid` is a live process; a zombie (exited, not yet reaped by its new parent) is not. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  return stat === undefined || !/\) Z /.test(stat);
}

describeNeedingJava("a forgotten DynamoDB Local", () => {
  it.skipIf(process.platform === "win32")(
    "a DynamoDB Local that a test never stops dies with vitest's worker (SIGTERM), leaving no JVM",
    async () => {
      const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
      const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
      const pidFile = join(scratch(), "java.pid");
      await new Promise<void>((resolve, reject) => {
        execFile(
          process.execPath,
          [vitest, "run", "--config", join(fixtures, "vitest.config.ts"), "--root", fixtures],
          { cwd: fixtures, env: { ...process.env, PROJECTIONKIT_PID_FILE: pidFile, FORCE_COLOR: "0" }, timeout: 120_000 },
          (error, stdout, stderr) => (error === null ? resolve() : reject(new Error(`${error.message}\n${stdout}\n${stderr}`))),
        );
      });
      const pid = Number(await readFile(pidFile, "utf8"));
      expect(pid).toBeGreaterThan(0);
      const deadline = Date.now() + 5_000;
      while ((await isAlive(pid)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const alive = await isAlive(pid);
      if (alive) {
        process.kill(pid, "SIGKILL"); // do not leak it from this test either
      }
      expect(alive).toBe(false);
    },
  );
});
