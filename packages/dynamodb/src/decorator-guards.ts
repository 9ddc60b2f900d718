import type { TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { applyDecorators, DecoratorBrokeVersionCheckError, DecoratorChangedItemsError, type Decorators } from "./decorators.js";
import { requestFingerprint } from "./request-fingerprint.js";

/*
 * What decorators may change in the requests of the version protocol (D11, D14): the version table
 * belongs to the adapter, so a decorator may set request-level fields and append items to a
 * transaction, nothing else.
 */

/** The fields of a request that say what to return about it, not what it does. */
const REQUEST_LEVEL_FIELDS: ReadonlySet<string> = new Set(["ReturnConsumedCapacity", "ReturnItemCollectionMetrics"]);

function withoutRequestLevelFields(input: unknown): unknown {
  if (typeof input !== "object" || input === null) {
    return input;
  }
  return Object.fromEntries(Object.entries(input).filter(([field]) => !REQUEST_LEVEL_FIELDS.has(field)));
}

/**
 * Applies the decorators of a request on the version item alone (`GetItem`, `PutItem`,
 * `UpdateItem`, `DeleteItem`): they may set `ReturnConsumedCapacity` and
 * `ReturnItemCollectionMetrics`; any other change (its `TableName`, key, item, expressions, values,
 * `ConsistentRead`, `ProjectionExpression`, `ReturnValuesOnConditionCheckFailure` …) is a
 * `DecoratorBrokeVersionCheckError`, before anything is sent.
 *
 * @param operation - the decorators' option name, e.g. `"putItem"`.
 * @param input - the built input.
 * @param decorators - the configured decorators, if any.
 * @returns the input to send.
 *
 * @internal
 */
export function decorateVersionRequest<I extends object>(operation: string, input: I, decorators: Decorators<I> | undefined): I {
  return applyDecorators(operation, input, decorators, withoutRequestLevelFields);
}

/**
 * Applies the `transactWriteItems` decorators to a transaction whose action 0 is the version
 * write and whose next actions are the projection's items. After them the transaction must start
 * with the same actions, unchanged and in the same order, with the same `ClientRequestToken`;
 * items may be appended after them (the caller checks them against the limits like the others),
 * and request-level fields may change.
 *
 * @param input - the built transaction.
 * @param decorators - the configured decorators, if any.
 * @returns the transaction to send.
 * @throws `DecoratorBrokeVersionCheckError` when the version write or the token changed;
 *   `DecoratorChangedItemsError` when one of the projection's items is missing or changed.
 *
 * @internal
 */
export function decorateTransaction(
  input: TransactWriteItemsCommandInput,
  decorators: Decorators<TransactWriteItemsCommandInput> | undefined,
): TransactWriteItemsCommandInput {
  if (decorators === undefined) {
    return input;
  }
  const operation = "transactWriteItems";
  const before = (input.TransactItems ?? []).map((action) => requestFingerprint(action));
  const token = input.ClientRequestToken;
  const decorated = applyDecorators(operation, input, decorators);
  const after: unknown = decorated.TransactItems;
  const actions: readonly unknown[] = Array.isArray(after) ? after : [];
  if (actions.length === 0 || requestFingerprint(actions[0]) !== before[0] || decorated.ClientRequestToken !== token) {
    throw new DecoratorBrokeVersionCheckError(operation);
  }
  for (let index = 1; index < before.length; index++) {
    if (index >= actions.length) {
      throw new DecoratorChangedItemsError(operation, index - 1, true);
    }
    if (requestFingerprint(actions[index]) !== before[index]) {
      throw new DecoratorChangedItemsError(operation, index - 1, false);
    }
  }
  return decorated;
}
