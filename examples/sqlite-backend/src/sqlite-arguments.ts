import { describeValue, InvalidArgumentError, validateIdentityKey } from "@projectionkit/core";
import type { DatabaseSync } from "node:sqlite";

/**
 * The version table's name when none is given, shared by `SqliteResourceRepository` and
 * `sqliteProjection`.
 *
 * @example
 * ```ts
 * database.prepare(`SELECT count(*) AS versions FROM ${DEFAULT_VERSION_TABLE}`).get();
 * ```
 */
export const DEFAULT_VERSION_TABLE = "projectionkit_versions";

/** Plain SQL identifiers only, so that a name can be put into SQL text without escaping games. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Checks that `value` looks like a `DatabaseSync` from `node:sqlite` (duck-typed, so that this
 * module needs no value import of `node:sqlite`). Throws before any I/O.
 *
 * @param value - the argument as received.
 * @param argument - its name, for the error.
 * @returns the database.
 * @throws `InvalidArgumentError` when `value` has no `prepare` and `exec` methods.
 *
 * @example
 * ```ts
 * const database = requireDatabase(value, "database");
 * ```
 */
export function requireDatabase(value: unknown, argument = "database"): DatabaseSync {
  const candidate = value as Partial<DatabaseSync> | null | undefined;
  if (typeof candidate?.prepare !== "function" || typeof candidate.exec !== "function") {
    throw new InvalidArgumentError(argument, `expected a DatabaseSync from node:sqlite, got ${describeValue(value)}`);
  }
  return value as DatabaseSync;
}

/**
 * Checks a table name option and returns it quoted for SQL text: letters, digits and underscores,
 * not starting with a digit, at most 128 characters. Absent means {@link DEFAULT_VERSION_TABLE}.
 *
 * @param value - the option as received.
 * @param argument - its name, for the error.
 * @returns the name in double quotes, e.g. `"projectionkit_versions"`.
 * @throws `InvalidArgumentError` for anything else.
 *
 * @example
 * ```ts
 * requireTableName("my_versions", "options.table"); // '"my_versions"'
 * ```
 */
export function requireTableName(value: unknown, argument: string): string {
  const name = value ?? DEFAULT_VERSION_TABLE;
  if (typeof name !== "string" || !TABLE_NAME.test(name)) {
    throw new InvalidArgumentError(
      argument,
      `expected a table name of letters, digits and underscores not starting with a digit, got ${typeof name === "string" ? JSON.stringify(name) : describeValue(name)}`,
    );
  }
  return `"${name}"`;
}

/**
 * Checks a handler key option: a handler's identity key (a UUID string), or the empty string for
 * versions that belong to no handler. Absent means the empty string.
 *
 * @param value - the option as received.
 * @param argument - its name, for the error.
 * @returns the key.
 * @throws `InvalidArgumentError` for anything else.
 *
 * @example
 * ```ts
 * requireHandlerKey(projection.identity.key, "options.handlerKey");
 * ```
 */
export function requireHandlerKey(value: unknown, argument: string): string {
  if (value === undefined || value === "") {
    return "";
  }
  try {
    return validateIdentityKey(value as string);
  } catch (error) {
    throw new InvalidArgumentError(argument, `expected a handler's identity key (a UUID string) or "", got ${describeValue(value)}`, {
      cause: error,
    });
  }
}
