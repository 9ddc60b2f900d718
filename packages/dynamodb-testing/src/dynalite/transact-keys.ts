import { callDynalite, dynaliteDb, isServiceError, type Item, type Store, type Table } from "./dynalite-internals.js";

/**
 * What is wrong with an action's key, in DynamoDB Local's words. Transactions report these
 * differently from PutItem/GetItem (and from each other), so they are classified here and each
 * operation decides how to answer.
 *
 * - `count`: a `Key` with another number of attributes than the key schema.
 * - `missing`: a key attribute is absent.
 * - `empty`: an empty string or binary key value.
 * - `type`: a key value of another type than the attribute definition.
 * - `size`: a key value above DynamoDB's limits (2048 bytes hash, 1024 bytes range).
 *
 * @internal
 */
export interface KeyProblem {
  readonly kind: "count" | "missing" | "empty" | "type" | "size";
  readonly message: string;
}

/**
 * The result of {@link checkKey}: the item's key as dynalite stores it, or what is wrong.
 *
 * @internal
 */
export type KeyCheck = { readonly ok: true; readonly key: string } | ({ readonly ok: false } & KeyProblem);

const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;

/**
 * Checks a `Key` (or a Put's `Item`) against the table's key schema and computes dynalite's
 * storage key for it (`db.createKey`, which also makes `1` and `1.0` the same key).
 *
 * @internal
 * @param attributes - the `Key`, or the `Item` of a Put.
 * @param table - the table, as dynalite stores it.
 * @param isItem - `true` for a Put's item (other attributes allowed).
 * @returns the key or the problem.
 */
export function checkKey(attributes: Item, table: Table, isItem: boolean): KeyCheck {
  const schema = table.KeySchema.map(({ AttributeName }) => ({
    name: AttributeName,
    type: table.AttributeDefinitions.find((definition) => definition.AttributeName === AttributeName)?.AttributeType ?? "S",
  }));
  if (!isItem && Object.keys(attributes).length !== schema.length) {
    return { ok: false, kind: "count", message: "The number of conditions on the keys is invalid" };
  }
  if (schema.some(({ name }) => attributes[name] === undefined)) {
    return { ok: false, kind: "missing", message: "One of the required keys was not given a value" };
  }
  for (const [position, { name, type }] of schema.entries()) {
    const value = attributes[name]?.[type];
    if (typeof value !== "string") {
      return { ok: false, kind: "type", message: "One or more parameter values were invalid: Type mismatch for key" };
    }
    if (value === "" && type !== "N") {
      return {
        ok: false,
        kind: "empty",
        message:
          "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an " +
          `empty ${type === "S" ? "string" : "binary"} value. Key: ${name}`,
      };
    }
    const bytes = type === "S" ? Buffer.byteLength(value, "utf8") : type === "B" ? Buffer.from(value, "base64").length : 0;
    if (bytes > (position === 0 ? MAX_HASH_KEY_BYTES : MAX_RANGE_KEY_BYTES)) {
      return {
        ok: false,
        kind: "size",
        message: "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes",
      };
    }
  }
  return { ok: true, key: dynaliteDb.createKey(attributes, table) };
}

/**
 * Looks up the tables a transaction names, as dynalite's actions do (`store.getTable`: a table
 * being created or deleted counts as missing).
 *
 * @internal
 * @param store - dynalite's store.
 * @param tableNames - the names, possibly repeated.
 * @returns each distinct name with its table, or `undefined` when it does not exist.
 */
export async function loadTables(store: Store, tableNames: readonly string[]): Promise<Map<string, Table | undefined>> {
  const names = [...new Set(tableNames)];
  const tables = await Promise.all(
    names.map((name) =>
      callDynalite<Table>((callback) => store.getTable(name, callback)).catch((error: unknown) => {
        if (isServiceError(error) && error.body.__type.endsWith("#ResourceNotFoundException")) {
          return undefined;
        }
        throw error;
      }),
    ),
  );
  return new Map(names.map((name, index) => [name, tables[index]]));
}

/**
 * A process-wide identifier of an item: table name and dynalite's key.
 *
 * @internal
 * @param tableName - the table.
 * @param key - dynalite's key (`db.createKey`).
 * @returns the identifier.
 */
export function itemId(tableName: string, key: string): string {
  return `${tableName}\u0000${key}`;
}
