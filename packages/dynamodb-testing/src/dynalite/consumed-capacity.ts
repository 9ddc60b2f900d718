import type { ReturnConsumedCapacity } from "./transact-request.js";

/**
 * One entry of `ConsumedCapacity` in a transaction's response, shaped as DynamoDB Local sends it.
 *
 * @internal
 */
export interface ConsumedCapacityEntry {
  readonly TableName: string;
  readonly CapacityUnits: number;
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
  readonly Table?: { readonly CapacityUnits: number; readonly ReadCapacityUnits?: number; readonly WriteCapacityUnits?: number };
}

/**
 * Adds capacity units per table, in order of first use.
 *
 * @internal
 */
export class CapacityTally {
  readonly #units = new Map<string, number>();

  /**
   * Adds units to a table.
   *
   * @param tableName - the table.
   * @param units - the units to add.
   */
  add(tableName: string, units: number): void {
    this.#units.set(tableName, (this.#units.get(tableName) ?? 0) + units);
  }

  /** The tables with their units, in order of first use. */
  entries(): readonly (readonly [string, number])[] {
    return [...this.#units];
  }
}

/**
 * The response's `ConsumedCapacity` for `ReturnConsumedCapacity` (`TOTAL` or `INDEXES`; nothing for
 * `NONE` or absent). One entry per table, with `ReadCapacityUnits` or `WriteCapacityUnits` beside
 * `CapacityUnits`, and for `INDEXES` a `Table` breakdown (no secondary indexes are counted).
 *
 * @internal
 * @param mode - the request's `ReturnConsumedCapacity`.
 * @param kind - read units (TransactGetItems, replays) or write units (TransactWriteItems).
 * @param tally - the units per table.
 * @returns the `ConsumedCapacity` field, or `undefined`.
 */
export function consumedCapacity(
  mode: ReturnConsumedCapacity,
  kind: "read" | "write",
  tally: CapacityTally,
): readonly ConsumedCapacityEntry[] | undefined {
  if (mode !== "TOTAL" && mode !== "INDEXES") {
    return undefined;
  }
  return tally.entries().map(([TableName, units]) => {
    const detail = kind === "read" ? { ReadCapacityUnits: units } : { WriteCapacityUnits: units };
    return {
      TableName,
      CapacityUnits: units,
      ...detail,
      ...(mode === "INDEXES"
        ? { Table: kind === "read" ? { CapacityUnits: units } : { WriteCapacityUnits: units, CapacityUnits: units } }
        : {}),
    };
  });
}
