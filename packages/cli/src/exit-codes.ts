/**
 * The exit codes of `projectionkit`. Codes are API: scripts may test them.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | done |
 * | 1 | an unexpected error (the message says which) |
 * | 2 | bad usage: an unknown or malformed option, a handler key that is not a UUID, no region |
 * | 3 | the table does not exist |
 * | 4 | the table's key schema is not the version table's |
 * | 5 | no credentials, or the service refused them or their permissions |
 * | 6 | the endpoint cannot be reached |
 * | 7 | `reset` kept items whose version changed while it ran (a projection is still writing) |
 * | 130 | interrupted (Ctrl-C); what was done is printed, and running the command again continues |
 *
 * @example
 * ```ts
 * if (code === EXIT_CODES.tableNotFound) console.error("create the table first");
 * ```
 */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  failure: 1,
  usage: 2,
  tableNotFound: 3,
  schemaMismatch: 4,
  credentials: 5,
  unreachable: 6,
  keptChangedVersions: 7,
  interrupted: 130,
} as const);

/**
 * One of the {@link EXIT_CODES}.
 *
 * @example
 * ```ts
 * const code: ExitCode = EXIT_CODES.ok;
 * ```
 */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
