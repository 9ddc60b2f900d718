/**
 * An output stream of the CLI: `process.stdout`/`process.stderr`, or any writable stream in tests.
 * `isTTY` decides whether progress bars are drawn.
 *
 * @example
 * ```ts
 * const stream: CliStream = process.stderr;
 * ```
 */
export type CliStream = NodeJS.WritableStream & { readonly isTTY?: boolean | undefined; readonly columns?: number | undefined };

/**
 * Where the CLI reads its interrupt from and writes its output: the process's streams and SIGINT
 * for the `projectionkit` bin, anything alike in tests.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * process.once("SIGINT", () => controller.abort());
 * const io: CliIo = { stdout: process.stdout, stderr: process.stderr, signal: controller.signal };
 * ```
 */
export interface CliIo {
  /** Results: listings, reports, JSON. */
  readonly stdout: CliStream;
  /** Errors, notes and progress bars (only when it is a terminal). */
  readonly stderr: CliStream;
  /** Aborted on Ctrl-C: the command stops cleanly and exits with 130. */
  readonly signal?: AbortSignal | undefined;
}
