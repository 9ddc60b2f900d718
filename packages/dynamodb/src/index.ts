/**
 * projectionkit on DynamoDB: each event's items and the version check commit in one
 * `TransactWriteItems` (or, for events without items, one conditional single-item write), so that
 * every event shows in the read model exactly once, whatever the delivery does.
 *
 * - {@link dynamoProjection} binds a {@link DynamoProjectionHandler} into a `ProjectionMessageHandler`.
 * - {@link DynamoResourceRepository} is the version store (`ResourceRepository`), with
 *   `updateResourceVersionAndTransactionItems` for higher-order projections.
 * - {@link createTable} and {@link deleteTable} manage the version table (Go v0.7.1 layout);
 *   {@link checkVersionTableKeySchema} checks an existing one.
 * - The emulators for tests (`startDynalite`, `startDynamoDBLocal`) are in `@projectionkit/dynamodb-testing`, a development dependency.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { createEventScope, streamEventVersions } from "@projectionkit/core";
 * import { createTable, documentItem, dynamoProjection } from "@projectionkit/dynamodb";
 *
 * type MoneyDeposited = { type: "MoneyDeposited"; account: string; amount: number };
 *
 * const client = new DynamoDBClient({});
 * await createTable(client, "ProjectionVersions");
 * const projection = dynamoProjection<MoneyDeposited>(client, "ProjectionVersions", {
 *   configure(c) {
 *     c.identity("balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *     c.handlesEvents("MoneyDeposited");
 *   },
 *   handleEvent: (_scope, event) => [
 *     documentItem({
 *       Update: {
 *         TableName: "Balances",
 *         Key: { account: event.account },
 *         UpdateExpression: "ADD balance :amount",
 *         ExpressionAttributeValues: { ":amount": event.amount },
 *       },
 *     }),
 *   ],
 * });
 * const { resource, current, next } = streamEventVersions("acc-1", 0);
 * await projection.handleEvent(resource, current, next, createEventScope(), {
 *   type: "MoneyDeposited",
 *   account: "acc-1",
 *   amount: 42,
 * });
 * ```
 *
 * @packageDocumentation
 */

export type { DynamoAdapterOptions, RequestDecorators } from "./adapter-options.js";
export * from "./commit-errors.js";
export { createTable, type CreateTableOptions } from "./create-table.js";
export { DecoratorBrokeVersionCheckError, DecoratorChangedItemsError, type Decorator, type Decorators } from "./decorators.js";
export { deleteTable, type DeleteTableOptions } from "./delete-table.js";
export { documentItem, type DocumentAttributes, type DocumentTransactWriteItem } from "./document-items.js";
export type { DynamoProjectionHandler, EventDelivery } from "./dynamo-projection-handler.js";
export { dynamoProjection, type DynamoProjection, type DynamoProjectionOptions } from "./dynamo-projection.js";
export { DynamoResourceRepository, type DynamoResourceRepositoryOptions } from "./dynamo-resource-repository.js";
// Deprecated aliases of core's batch types, kept for one release.
export type { BatchDelivery, BatchResult, BatchStop } from "./event-batch.js";
export { attributeValueSize, itemSize, transactActionSize } from "./item-size.js";
export * from "./table-errors.js";
export * from "./transaction-errors.js";
export {
  actionItemIdentity,
  checkTransaction,
  MAX_ITEM_BYTES,
  MAX_SORT_KEY_BYTES,
  MAX_TRANSACTION_ACTIONS,
  MAX_TRANSACTION_BYTES,
  TransactionBudget,
  type BudgetCheck,
  type BudgetFailureReason,
  type TransactionContext,
  type TransactionLimits,
} from "./transaction-limits.js";
export { DEFAULT_ATTRIBUTE_NAMES, MAX_PARTITION_KEY_BYTES, versionItemKey, versionKeyPrefix, type AttributeNames } from "./table-layout.js";
export { checkVersionTableKeySchema, describeKeySchema } from "./table-schema.js";
