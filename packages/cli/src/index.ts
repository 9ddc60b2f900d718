/**
 * `projectionkit`, the command line for the DynamoDB version table that `@projectionkit/dynamodb`
 * writes: `versions` lists a projection's resources and versions, `reset` deletes them (a dry run
 * without `--yes`), `check` checks the table. The same operations are exported for programs.
 *
 * - {@link runCli}: the whole CLI as a function (arguments and streams in, exit code out).
 * - {@link connectDynamoDB}, {@link describeVersionTable}, {@link scanVersions},
 *   {@link deleteVersions}: the operations behind the commands.
 * - {@link EXIT_CODES} and the errors with their codes.
 *
 * @example
 * ```ts
 * import { connectDynamoDB, scanVersions } from "@projectionkit/cli";
 *
 * using connection = await connectDynamoDB({ endpoint: "http://127.0.0.1:8000" });
 * await scanVersions(connection, "ProjectionVersions", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11", {
 *   onEntries: (entries) => entries.forEach((entry) => console.log(entry.resource, entry.version)),
 * });
 * ```
 *
 * @packageDocumentation
 */

export { base64, hex, printableText, showResource, showVersion, versionOffset, type ByteForm, type ShownBytes } from "./byte-forms.js";
export {
  AccessDeniedError,
  describeTarget,
  EndpointUnreachableError,
  NoCredentialsError,
  NoRegionError,
  TableNotFoundError,
  type RequestTarget,
} from "./cli-errors.js";
export type { CliIo, CliStream } from "./cli-io.js";
export { connectDynamoDB, PLACEHOLDER_CREDENTIALS, type Connection, type ConnectOptions } from "./connect.js";
export {
  DEFAULT_DELETE_CONCURRENCY,
  deleteVersions,
  type DeleteProgress,
  type DeleteSummary,
  type DeleteVersionsOptions,
  type KeptEntry,
} from "./delete-versions.js";
export { EXIT_CODES, type ExitCode } from "./exit-codes.js";
export { runCli } from "./run-cli.js";
export { scanVersions, type ScanProgress, type ScanSummary, type ScanVersionsOptions, type VersionAttributeNames } from "./scan-versions.js";
export { isMalformed, readVersionEntry, versionEntryJson, type VersionEntry, type VersionEntryJson } from "./version-entry.js";
export {
  BYTES_PER_SCAN_SEGMENT,
  defaultScanSegments,
  describeVersionTable,
  MAX_DEFAULT_SCAN_SEGMENTS,
  type DescribeVersionTableOptions,
  type VersionTableDescription,
} from "./version-table.js";
