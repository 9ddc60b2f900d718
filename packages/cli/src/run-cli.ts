import { isProjectionKitError } from "@projectionkit/core";
import { CommanderError } from "commander";
import type { CliIo } from "./cli-io.js";
import { EXIT_CODES, type ExitCode } from "./exit-codes.js";
import { buildProgram } from "./program.js";

/** The exit code of each error code; errors without one exit with 1. */
const EXIT_CODE_OF: Readonly<Record<string, ExitCode>> = {
  ERR_INVALID_ARGUMENT: EXIT_CODES.usage,
  ERR_INVALID_IDENTITY: EXIT_CODES.usage,
  ERR_NO_REGION: EXIT_CODES.usage,
  ERR_TABLE_NOT_FOUND: EXIT_CODES.tableNotFound,
  ERR_TABLE_SCHEMA_MISMATCH: EXIT_CODES.schemaMismatch,
  ERR_NO_CREDENTIALS: EXIT_CODES.credentials,
  ERR_ACCESS_DENIED: EXIT_CODES.credentials,
  ERR_ENDPOINT_UNREACHABLE: EXIT_CODES.unreachable,
};

/**
 * Runs `projectionkit` with the given arguments (without the node and script paths), writing to
 * `io`, and resolves with the exit code (see {@link EXIT_CODES}); it never exits the process and
 * never rejects. The `projectionkit` bin is this function with the process's streams and SIGINT.
 *
 * @param argv - the arguments, e.g. `["check", "--table", "ProjectionVersions"]`.
 * @param io - standard output and error, and the interrupt signal.
 * @returns the exit code.
 *
 * @example
 * ```ts
 * import { runCli } from "@projectionkit/cli";
 *
 * process.exitCode = await runCli(["check", "--table", "ProjectionVersions"], { stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_CODES.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has printed the help, the version or the usage error.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help"
      ? EXIT_CODES.ok
      : EXIT_CODES.usage;
  }
  if (io.signal?.aborted === true) {
    io.stderr.write("projectionkit: interrupted before anything was done\n");
    return EXIT_CODES.interrupted;
  }
  if (isProjectionKitError(error)) {
    io.stderr.write(`projectionkit: ${error.message}\n`);
    return EXIT_CODE_OF[error.code] ?? EXIT_CODES.failure;
  }
  const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.stderr.write(`projectionkit: unexpected error: ${described}\n`);
  return EXIT_CODES.failure;
}
