import type { TableDescription } from "@aws-sdk/client-dynamodb";
import { TableSchemaMismatchError } from "./table-errors.js";
import { DEFAULT_ATTRIBUTE_NAMES } from "./table-layout.js";

/**
 * A table's key schema as text, each key element as `<KeyType> <name> (<type>)`, e.g.
 * `"HASH pk (S), RANGE sk (S)"`, or `"(none)"` for a description without one. The form that
 * `TableSchemaMismatchError` reports.
 *
 * @param description - the table's description, as `DescribeTable` returns it.
 * @returns the key schema as text.
 *
 * @example
 * ```ts
 * const { Table } = await client.send(new DescribeTableCommand({ TableName: "ProjectionVersions" }));
 * describeKeySchema(Table!); // "HASH HandlerAndResource (B)"
 * ```
 */
export function describeKeySchema(description: TableDescription): string {
  const types = new Map((description.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]));
  return (
    (description.KeySchema ?? []).map((element) => `${element.KeyType} ${element.AttributeName} (${types.get(element.AttributeName) ?? "?"})`).join(", ") ||
    "(none)"
  );
}

/**
 * Checks that a table has the version table's key schema (D2): the key attribute (default
 * `HandlerAndResource`) of type B as the HASH key, and no RANGE key. Other settings (billing mode,
 * indexes, more attributes) are not compared.
 *
 * @param table - the table's name, for the error.
 * @param description - the table's description, as `DescribeTable` returns it.
 * @param keyAttribute - the key attribute's name; default `HandlerAndResource`.
 * @throws `TableSchemaMismatchError` (`ERR_TABLE_SCHEMA_MISMATCH`) naming the expected and the
 *   actual key schema.
 *
 * @example
 * ```ts
 * const { Table } = await client.send(new DescribeTableCommand({ TableName: "ProjectionVersions" }));
 * checkVersionTableKeySchema("ProjectionVersions", Table!); // throws if the key is not HASH HandlerAndResource (B)
 * ```
 */
export function checkVersionTableKeySchema(table: string, description: TableDescription, keyAttribute: string = DEFAULT_ATTRIBUTE_NAMES.key): void {
  const expected = `HASH ${keyAttribute} (B)`;
  const actual = describeKeySchema(description);
  if (actual !== expected) {
    throw new TableSchemaMismatchError(table, expected, actual);
  }
}
