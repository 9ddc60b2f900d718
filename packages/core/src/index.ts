/**
 * The storage-agnostic contract of projectionkit: projections that apply each event exactly once
 * in effect on top of at-least-once delivery, by checking and advancing a per-resource version in
 * the same atomic write as the projection's own changes.
 *
 * - {@link ProjectionMessageHandler}: what an engine calls (clauses H1–H7).
 * - {@link ResourceRepository}: the low-level version store (clauses R1–R6).
 * - Errors with stable codes and guards ({@link isProjectionKitError}, clause E1).
 * - Offset codecs for streams ({@link encodeOffset}, {@link streamEventVersions}, clause V1).
 * - The engine role: {@link DeliveryDriver} (clauses G1–G8) and Lambda batch handlers (G5, G9).
 *
 * @example
 * ```ts
 * import { createEventScope, streamEventVersions } from "@projectionkit/core";
 *
 * const { resource, current, next } = streamEventVersions("account-42", 0);
 * const applied = await handler.handleEvent(resource, current, next, createEventScope(), {
 *   type: "AccountOpened",
 *   accountId: "42",
 * });
 * ```
 *
 * @packageDocumentation
 */

export { ArgumentError, InvalidArgumentError, InvalidOffsetError, InvalidResourceError, InvalidVersionError } from "./errors/argument-errors.js";
export { codedError, type CodedErrorClass, type ProjectionKitErrorClass } from "./errors/coded-error.js";
export { InvalidConfigurationError, InvalidIdentityError, UnexpectedMessageError } from "./errors/configuration-errors.js";
export { InvalidBatchResultError, VersionKeptMovingError } from "./errors/delivery-errors.js";
export {
  isProjectionKitError,
  isRetryableError,
  ProjectionKitError,
  type ProjectionKitErrorCode,
  type ProjectionKitErrorCodes,
  type ProjectionKitErrorOptions,
} from "./errors/projection-kit-error.js";
export { MAX_IDENTITY_NAME_LENGTH, validateIdentity, validateIdentityKey, type Identity } from "./identity.js";
export { decodeOffset, encodeOffset, OFFSET_VERSION_LENGTH } from "./offset-codec.js";
export type { ConditionalWriteOptions, OperationOptions, RequestCost, VersionConflict } from "./operation-options.js";
export type { BatchDelivery, BatchOptions, BatchResult, BatchStop, CheckedBatchDelivery } from "./event-batch.js";
export { requireKnownKeys } from "./option-keys.js";
export type { ResolvedOptions } from "./resolved-options.js";
export type { CheckedConditionalOptions, CheckedOptions, ConditionalWriteCall, EventBatchCall, EventCall } from "./backend/checked-calls.js";
export { ResourceRepositoryBase } from "./backend/resource-repository-base.js";
export { ownedBytes } from "./backend/owned-bytes.js";
export { ProjectionHandlerBase, type ProjectionHandlerBaseOptions, type ProjectionLogic } from "./backend/projection-handler-base.js";
export {
  readProjectionConfiguration,
  requireHandledEvent,
  type Configurable,
  type ProjectionConfiguration,
} from "./projection-configuration.js";
export type { ProjectionConfigurer } from "./projection-configurer.js";
export type { ProjectionEvent } from "./projection-event.js";
export type { ProjectionMessageHandler } from "./projection-message-handler.js";
export type { ResourceRepository } from "./resource-repository.js";
export {
  compareVersions,
  EMPTY_VERSION,
  isEmptyVersion,
  versionsEqual,
  type Resource,
  type Version,
  type VersionInput,
} from "./resource.js";
export {
  createCompactScope,
  createEventScope,
  type CompactScopeInit,
  type EventScopeInit,
  type ProjectionCompactScope,
  type ProjectionEventScope,
  type ScopeLogger,
} from "./scopes.js";
export { nextStreamOffset, streamEventVersions, streamResource, type EventVersions } from "./stream-versions.js";
export { decodeSequence, encodeSequence } from "./sequence-codec.js";
export { DeliveryDriver, type BatchDeliveryReport } from "./driver/delivery-driver.js";
export { DEFAULT_MAX_BATCH_SIZE, type DeliverOptions, type DeliveryDriverOptions } from "./driver/driver-options.js";
export { addToCounts, emptyCounts, type DeliveryCounts, type DeliveryOutcome, type DeliveryReport } from "./driver/delivery-report.js";
export type { DriverHooks } from "./driver/driver-hooks.js";
export { backoffDelay, resolveRetryPolicy, type ResolvedRetryPolicy, type RetryPolicy } from "./driver/retry-policy.js";
export type { OffsetSourceEvent, SequenceSourceEvent, SourceEvent, SourceEventBase } from "./driver/source-event.js";
export {
  CONDITIONAL_WRITE_OPTION_KEYS,
  describeValue,
  OPERATION_OPTION_KEYS,
  requireConditionalWriteOptions,
  requireOperationOptions,
  requireResource,
  requireVersion,
} from "./validation.js";
export type {
  DynamoDBAttributeValueLike,
  DynamoDBStreamEventLike,
  DynamoDBStreamRecordLike,
  KinesisStreamEventLike,
  KinesisStreamRecordLike,
  LambdaContextLike,
  SQSEventLike,
  SQSRecordLike,
} from "./lambda/aws-event-shapes.js";
export type { BatchItemFailure, BatchResponse } from "./lambda/batch-response.js";
export type { BatchHandler, BatchHandlerOptions, RecordFailure } from "./lambda/batch-handler-options.js";
export { dynamoDBStreamsHandler, type DynamoDBStreamsHandlerOptions } from "./lambda/dynamodb-streams-handler.js";
export { kinesisStreamHandler, type KinesisStreamHandlerOptions } from "./lambda/kinesis-stream-handler.js";
export { sqsFifoHandler, type SQSFifoHandlerOptions } from "./lambda/sqs-fifo-handler.js";
