import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { describeValue, InvalidArgumentError } from "@projectionkit/core";

/** The four kinds of action a `TransactWriteItem` may hold. */
export const ACTION_KINDS = ["Put", "Update", "Delete", "ConditionCheck"] as const;

/**
 * The kind of action a `TransactWriteItem` holds.
 *
 * @example
 * ```ts
 * const kind: TransactActionKind = "ConditionCheck";
 * ```
 */
export type TransactActionKind = (typeof ACTION_KINDS)[number];

/**
 * The kind of a transaction action: checks that `action` is an object with exactly one of `Put`,
 * `Update`, `Delete` and `ConditionCheck` set (`undefined` and `null` count as unset). The one
 * check of this rule in the package, for the handler's items, `documentItem` and the limits.
 *
 * @param action - one element of `TransactItems`, as received.
 * @param argument - the name of the action in error messages, e.g. `"items[3]"`.
 * @returns its kind.
 * @throws `InvalidArgumentError` naming `argument` otherwise.
 *
 * @internal
 */
export function requireOneActionKind(action: unknown, argument: string): TransactActionKind {
  if (typeof action !== "object" || action === null || Array.isArray(action)) {
    throw new InvalidArgumentError(argument, `expected a TransactWriteItem object, got ${describeValue(action)}`);
  }
  let kind: TransactActionKind | undefined;
  let count = 0;
  for (const candidate of ACTION_KINDS) {
    const body = (action as Record<string, unknown>)[candidate];
    if (body !== undefined && body !== null) {
      kind ??= candidate;
      count++;
    }
  }
  if (kind === undefined || count > 1) {
    const present = ACTION_KINDS.filter((candidate) => {
      const body = (action as Record<string, unknown>)[candidate];
      return body !== undefined && body !== null;
    });
    throw new InvalidArgumentError(
      argument,
      `expected exactly one of Put, Update, Delete and ConditionCheck, got ${present.length === 0 ? "none" : present.join(" and ")}`,
    );
  }
  return kind;
}

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
  items.forEach((item: unknown, index) => requireOneActionKind(item, `${argument}[${index}]`));
  return items as readonly TransactWriteItem[];
}
