import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { describeValue, InvalidArgumentError } from "@projectionkit/core";

/**
 * Checks that `items` is an array of transaction actions, each an object with exactly one of
 * `Put`, `Update`, `Delete` and `ConditionCheck`.
 *
 * @internal
 */
export function requireTransactItems(items: unknown, argument: string): readonly TransactWriteItem[] {
  if (!Array.isArray(items)) {
    throw new InvalidArgumentError(argument, `expected an array of TransactWriteItem, got ${describeValue(items)}`);
  }
  items.forEach((item: unknown, index) => {
    if (typeof item !== "object" || item === null) {
      throw new InvalidArgumentError(`${argument}[${index}]`, `expected a TransactWriteItem, got ${describeValue(item)}`);
    }
    const kinds = ["Put", "Update", "Delete", "ConditionCheck"].filter((kind) => (item as Record<string, unknown>)[kind] !== undefined);
    if (kinds.length !== 1) {
      throw new InvalidArgumentError(
        `${argument}[${index}]`,
        `expected exactly one of Put, Update, Delete and ConditionCheck, got ${kinds.length === 0 ? "none" : kinds.join(" and ")}`,
      );
    }
  });
  return items as readonly TransactWriteItem[];
}
