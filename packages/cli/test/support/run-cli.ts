import { execFile, spawn, type ChildProcess } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/index.ts";

/** What a run of the CLI printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built bin, as `npm install @projectionkit/cli` installs it. */
export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

/**
 * Runs the CLI in this process (`runCli`) with captured output; stderr is not a terminal.
 *
 * @param argv - the arguments.
 * @param signal - the interrupt.
 */
export async function runInProcess(argv: readonly string[], signal?: AbortSignal): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, { stdout: stdout.stream, stderr: stderr.stream, signal });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Runs the built bin in a child process with exactly `environment` (plus `PATH`), pipes for its
 * output, and resolves when it exits.
 *
 * @param argv - the arguments.
 * @param environment - the child's environment; `undefined` values are left out.
 */
export function runBin(argv: readonly string[], environment: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...argv], { env: childEnvironment(environment), timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : (error as { code?: unknown }).code;
      if (typeof code !== "number") {
        reject(error ?? new Error("no exit code"));
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts the built bin in a child process; the caller waits for it with {@link finished}.
 */
export function startBin(argv: readonly string[], environment: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, [BIN, ...argv], { env: childEnvironment(environment), stdio: ["ignore", "pipe", "pipe"] });
}

/** The output and exit code of a child started with {@link startBin}. */
export function finished(child: ChildProcess): Promise<CliRun & { readonly signal: NodeJS.Signals | null }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
}

/** `environment` without its `undefined` values, plus `PATH`. */
export function childEnvironment(environment: Record<string, string | undefined>): Record<string, string> {
  const defined = Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...Object.fromEntries(defined) };
}

function capture(): { stream: Writable & { isTTY: false }; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        callback();
      },
    }),
    { isTTY: false as const },
  );
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}
