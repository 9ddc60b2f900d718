import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it, type TestContext } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorEnvironment } from "./support/aws-environment.ts";
import { describeOnEmulators } from "../../../test/support/dynamodb-clients.js";
import { countsItems, HANDLER, seededItemCount, seedVersionTable, uniqueTable } from "./support/fixtures.ts";
import { latch, startInterposer, type Interposer } from "./support/interposer.ts";
import { BIN, childEnvironment } from "./support/run-cli.ts";

/**
 * The progress bar in a real pseudo-terminal: the built bin runs in a tmux pane, typed in with
 * `send-keys`, read back with `capture-pane`. A proxy in front of the emulator holds the second
 * Scan page, so the CLI is mid-scan for as long as the test looks. Without tmux these tests are skipped
 * and say so, except under CI=true, where .ci/run installs tmux and they must run.
 */
const run = promisify(execFile);
const tmuxInstalled = spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
const SKIP_REASON = "tmux is not installed (apt-get install -y tmux): the progress bar is not checked in a real terminal";

const socket = `projectionkit-cli-test-${process.pid}-${randomBytes(4).toString("hex")}`;
const tmux = (...args: string[]) => run("tmux", ["-L", socket, ...args]);
const screen = async (): Promise<string> => (await tmux("capture-pane", "-p", "-t", "cli")).stdout;

/**
 * Polls the pane until `predicate` holds (a wait with a generous deadline, not a timing check);
 * fails at once when the command ended (`EXIT=`) without it.
 */
async function waitForScreen(predicate: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await screen();
    if (predicate(text)) {
      return text;
    }
    if (/^(EXIT=\d+|DONE)$/m.test(text)) {
      throw new Error(`the command ended without showing ${what}; the terminal shows:\n${text}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`the terminal never showed ${what}; it shows:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The bar against the table's item count (DynamoDB Local keeps it up to date). */
const BAR = new RegExp(`scanning \\[[=-]{24}\\] \\d+% \\| 5/~${seededItemCount({ handlerExtra: 10, fillers: 10 })} items read \\| \\d+ found`);
/** The count alone, when the item count is out of date (dynalite's stays 0). */
const COUNT = /scanning \| 5 items read \(the table's item count, 0, is out of date\) \| \d+ found/;
/** Either (the summary after the listing also says "items read", but never "scanning"). */
const ANY_PROGRESS = /scanning [[|]/;

let endpoint: string;
let table: string;
let folder: string;

function requireTmux(context: TestContext): void {
  if (!tmuxInstalled) {
    if (process.env["CI"] === "true") {
      throw new Error("tmux is required under CI=true (.ci/run installs it)");
    }
    context.skip(SKIP_REASON);
  }
}

/**
 * Types `versions` in the pane through a proxy that holds the second Scan, waits for the progress
 * bar (`progressLine`), then runs `body` while the scan is held; the scan is released and the proxy
 * stopped however `body` ends.
 */
async function duringHeldScan(
  context: TestContext,
  progressLine: RegExp,
  body: (scan: { readonly during: string; readonly release: () => void }) => Promise<void>,
): Promise<void> {
  requireTmux(context);
  const held = latch();
  const release = latch();
  let scans = 0;
  const proxy: Interposer = await startInterposer(endpoint, async ({ operation }) => {
    if (operation === "Scan" && ++scans === 2) {
      held.open();
      await release.wait();
    }
  });
  const command = `'${process.execPath}' '${BIN}' versions --endpoint ${proxy.endpoint} --table ${table} --handler-key ${HANDLER} --page-size 5`;
  try {
    await tmux("send-keys", "-t", "cli", "clear", "Enter");
    await tmux("send-keys", "-t", "cli", `${command}; echo EXIT=$?`, "Enter");
    await waitForScreen(() => held.isOpen(), "a scan waiting for its second page");
    const during = await waitForScreen((text) => progressLine.test(text), "a progress bar");
    await body({ during, release: () => release.open() });
  } finally {
    release.open();
    await proxy.stop();
  }
}

beforeAll(() => {
  if (!tmuxInstalled && process.env["CI"] !== "true") {
    console.warn(`projectionkit CLI terminal tests SKIPPED: ${SKIP_REASON}`);
  }
});

describeOnEmulators("progress in a real terminal (tmux)", (emulator) => {
  const progressLine = countsItems(emulator) ? BAR : COUNT;

  beforeAll(async () => {
    if (!tmuxInstalled) {
      return;
    }
    endpoint = await emulator.endpoint();
    table = uniqueTable("pty");
    folder = await mkdtemp(join(tmpdir(), "projectionkit-cli-pty-"));
    await seedVersionTable(emulator.client(), table, { handlerExtra: 10, fillers: 10 });
    // The pane's shell inherits the tmux server's environment, which is this one.
    await run("tmux", ["-L", socket, "new-session", "-d", "-s", "cli", "-x", "160", "-y", "50", "sh"], {
      env: { ...childEnvironment(emulatorEnvironment()), TERM: "xterm-256color", PS1: "$ " },
    });
  });

  afterAll(async () => {
    if (tmuxInstalled) {
      await tmux("kill-server").catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("draws a progress bar on stderr while scanning, and clears it when done", async (context) => {
    await duringHeldScan(context, progressLine, async ({ during, release }) => {
      expect(during).not.toContain("RESOURCE"); // the listing comes after the scan

      release();
      const after = await waitForScreen((text) => /^EXIT=\d+$/m.test(text), "the exit code");
      expect(after).toMatch(/^EXIT=0$/m);
      expect(after).toMatch(/^14 resources of handler /m);
      expect(after).not.toMatch(ANY_PROGRESS);
    });
  });

  if (countsItems(emulator)) {
    return; // the rest does not depend on the emulator: dynalite's run is enough
  }

  it("Ctrl-C in the terminal stops the scan, removes the bar, says the list is incomplete and exits with 130", async (context) => {
    await duringHeldScan(context, progressLine, async () => {
      await tmux("send-keys", "-t", "cli", "C-c");

      const after = await waitForScreen((text) => /^EXIT=\d+$/m.test(text), "the exit code");
      expect(after).toMatch(/^EXIT=130$/m);
      expect(after).toMatch(/^interrupted: the list is incomplete \(\d+ resources? found, 5 items read of ~\d+\)$/m);
      expect(after).not.toMatch(ANY_PROGRESS);
    });
  });

  it("draws no progress bar when stderr is redirected and stdout piped", async (context) => {
    requireTmux(context);
    const stderrFile = join(folder, "stderr.txt");
    await tmux("send-keys", "-t", "cli", "clear", "Enter");
    await tmux("send-keys", "-t", "cli", `'${process.execPath}' '${BIN}' versions --endpoint ${endpoint} --table ${table} --handler-key ${HANDLER} --page-size 5 2>'${stderrFile}' | cat; echo DONE`, "Enter");

    const after = await waitForScreen((text) => /^DONE$/m.test(text), "the end of the command");
    expect(after).toMatch(/^14 resources of handler /m);
    expect(after).not.toMatch(ANY_PROGRESS);
    expect(await readFile(stderrFile, "utf8")).toBe("");
  });
});
