import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type GetItemCommandOutput,
  type TransactWriteItem,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { EMPTY_VERSION, type Resource, type Version, type RequestCost, type VersionConflict } from "@projectionkit/core";
import { AmbiguousCommitError, DynamoRequestError, MalformedVersionItemError } from "./commit-errors.js";
import { decorateTransaction, decorateVersionRequest } from "./decorator-guards.js";
import { dispatch, DispatchFailure } from "./dispatch.js";
import type { ResolvedAdapterOptions } from "./adapter-options.js";
import { learnKeySchemas, tablesNeedingKeySchema, type KeySchemas } from "./key-schemas.js";
import { classifyWriteFailure, neverReachedDynamo } from "./service-errors.js";
import { MAX_TRANSACTION_BYTES, TransactionBudget, type TransactionLimits } from "./transaction-limits.js";
import { singleVersionWrite, versionTransactAction, type SingleVersionWrite, type VersionWrite } from "./version-write.js";

/**
 * One conditional version write, with or without the projection's items.
 *
 * @internal
 */
export interface CommitRequest {
  readonly resource: Resource;
  readonly key: Uint8Array;
  readonly current: Version;
  readonly next: Version;
  readonly items: readonly TransactWriteItem[];
  readonly signal: AbortSignal | undefined;
  readonly onConflict: ((conflict: VersionConflict) => void) | undefined;
  /** Receives the cost of each request sent (G6). */
  readonly onRequest?: ((cost: RequestCost) => void) | undefined;
}

/**
 * Sends version writes and works out what happened (D5–D8):
 *
 * - without items, one single-item conditional write; with items, one `TransactWriteItems` whose
 *   action 0 is the version write;
 * - every attempt of one call carries the same token, unique to the call: the transaction's
 *   `ClientRequestToken` (DynamoDB answers a repeat of a committed transaction with success) and
 *   the version item's token attribute (a conflict whose stored item carries our token is our own
 *   earlier commit);
 * - a response that never came is retried with the same token; when the outcome still cannot be
 *   known the call rejects with {@link AmbiguousCommitError}.
 *
 * @internal
 */
export class VersionCommitter {
  readonly #client: DynamoDBClient;
  readonly #options: ResolvedAdapterOptions;

  constructor(client: DynamoDBClient, options: ResolvedAdapterOptions) {
    this.#client = client;
    this.#options = options;
  }

  /**
   * Builds and checks the request of a commit without sending it: decorators (D11, D14) and limits
   * (D9, D15) are applied here, so that a bad request fails before it is sent. The limits are
   * checked first with the declared key schemas, without I/O; a key schema they still need is then
   * learnt (one cached `DescribeTable` per table and client) and the check repeated with it.
   */
  async prepare(request: CommitRequest): Promise<PreparedCommit> {
    const write: VersionWrite = {
      table: this.#options.table,
      names: this.#options.attributeNames,
      key: request.key,
      current: request.current,
      next: request.next,
      token: randomUUID(),
    };
    if (request.items.length === 0) {
      return { request, write, single: this.#decorateSingle(singleVersionWrite(write)) };
    }
    const versionAction = versionTransactAction(write);
    const transaction = decorateTransaction(
      { TransactItems: [versionAction, ...request.items], ClientRequestToken: write.token },
      this.#options.decorators.transactWriteItems,
    );
    // The decorators may not change action 0 (decorateTransaction checks it), so the budget can
    // count the version action as built.
    const items = transaction.TransactItems?.slice(1) ?? [];
    const declared = this.#options.keySchemas;
    this.#budget(write, declared, undefined, versionAction).add(items);
    const needed = this.#tablesToLearn(items, declared);
    if (needed.length > 0) {
      const learnt = await learnKeySchemas(this.#client, needed, { signal: request.signal, requestTimeoutMs: this.#options.requestTimeoutMs, onRequest: request.onRequest });
      this.#budget(write, { ...learnt, ...declared }, undefined, versionAction).add(items);
    }
    return { request, write, transaction };
  }

  /** The tables of `items` whose key schema the limit checks need and that neither the options nor the version table give. */
  #tablesToLearn(items: readonly TransactWriteItem[], declared: KeySchemas): string[] {
    return tablesNeedingKeySchema(items, (table) => Object.hasOwn(declared, table) || table === this.#options.table);
  }

  /**
   * A record of key schemas for planning one batch: the declared ones, to which
   * {@link VersionCommitter.learnKeySchemasInto} adds those it learns. Budgets made with it see
   * what is added later.
   */
  batchKeySchemas(): Record<string, readonly string[]> {
    return { ...this.#options.keySchemas };
  }

  /**
   * Learns the key schemas that `items` need and `keySchemas` does not have yet, into it. Call it
   * before a budget sees the items, so that every budget knows the schema of every table it holds.
   */
  async learnKeySchemasInto(
    keySchemas: Record<string, readonly string[]>,
    items: readonly TransactWriteItem[],
    signal: AbortSignal | undefined,
    onRequest: ((cost: RequestCost) => void) | undefined,
  ): Promise<void> {
    const needed = this.#tablesToLearn(items, keySchemas);
    if (needed.length > 0) {
      Object.assign(keySchemas, await learnKeySchemas(this.#client, needed, { signal, requestTimeoutMs: this.#options.requestTimeoutMs, onRequest }));
    }
  }

  /**
   * A budget for planning a batch (D10): it holds the version write of `key` from `current` to
   * `next` with a token of the real length, and keeps a reserve for the run's final `next`.
   */
  planningBudget(key: Uint8Array, current: Version, next: Version, keySchemas: KeySchemas = this.#options.keySchemas): TransactionBudget {
    const write: VersionWrite = { table: this.#options.table, names: this.#options.attributeNames, key, current, next, token: PLANNING_TOKEN };
    return this.#budget(write, keySchemas, { maxBytes: MAX_TRANSACTION_BYTES - PLANNING_RESERVE_BYTES });
  }

  #budget(write: VersionWrite, keySchemas: KeySchemas, limits?: TransactionLimits, versionAction = versionTransactAction(write)): TransactionBudget {
    return new TransactionBudget(
      {
        versionTable: this.#options.table,
        versionKeyAttribute: this.#options.attributeNames.key,
        versionKey: write.key,
        keySchemas,
      },
      versionAction,
      limits,
    );
  }

  /** Sends a prepared commit; resolves whether it applied. */
  async send(prepared: PreparedCommit): Promise<boolean> {
    const { request, write } = prepared;
    const operation = prepared.transaction === undefined ? prepared.single.operation : "TransactWriteItems";
    let maybeCommitted = false;
    let lastUnknown: unknown;
    for (let attempt = 1; attempt <= this.#options.maxCommitAttempts; attempt++) {
      request.signal?.throwIfAborted();
      try {
        return await this.#attempt(prepared);
      } catch (thrown) {
        request.signal?.throwIfAborted();
        const { error, dispatched, earlierAttemptMayHaveCommitted } = thrown instanceof DispatchFailure ? thrown : new DispatchFailure(thrown, true);
        if (earlierAttemptMayHaveCommitted) {
          // The SDK retried inside this attempt, and an earlier try reached DynamoDB unanswered.
          maybeCommitted = true;
        }
        if (!dispatched) {
          // It never reached DynamoDB (not sent, or no connection: E3), so it cannot have
          // committed; an earlier attempt may have.
          throw maybeCommitted ? ambiguous(operation, error) : new DynamoRequestError(operation, error, neverReachedDynamo(error), { tables: tablesOf(prepared) });
        }
        const failure = classifyWriteFailure(operation, error, tablesOf(prepared));
        if (failure.kind === "failed") {
          // A throttle (or any definite failure) of a retry says nothing about an earlier attempt
          // whose answer was lost: the call's outcome stays unknown.
          throw maybeCommitted ? ambiguous(operation, failure.error) : failure.error;
        }
        if (failure.kind === "conflict") {
          return this.#resolveConflict(failure.storedItem, write, request, maybeCommitted && prepared.transaction === undefined);
        }
        maybeCommitted = true;
        lastUnknown = failure.cause;
        if (attempt < this.#options.maxCommitAttempts) {
          await sleep(backoff(attempt), undefined, request.signal === undefined ? undefined : { signal: request.signal });
        }
      }
    }
    throw new AmbiguousCommitError(
      `${operation} may or may not have committed: ${this.#options.maxCommitAttempts} attempts got no answer`,
      { cause: lastUnknown },
    );
  }

  async #attempt(prepared: PreparedCommit): Promise<boolean> {
    const { request, write } = prepared;
    const send = <O>(command: Parameters<typeof dispatch>[1]) =>
      dispatch<O>(this.#client, command, request.signal, this.#options.requestTimeoutMs, request.onRequest);
    if (prepared.transaction !== undefined) {
      await send(new TransactWriteItemsCommand(prepared.transaction));
      return true;
    }
    const single = prepared.single;
    switch (single.operation) {
      case "PutItem":
        await send(new PutItemCommand(single.input));
        return true;
      case "UpdateItem":
        await send(new UpdateItemCommand(single.input));
        return true;
      case "DeleteItem":
        await send(new DeleteItemCommand(single.input));
        return true;
      case "GetItem": {
        // Both versions empty: nothing to write; the resource must be absent (R5).
        const { Item } = await send<GetItemCommandOutput>(new GetItemCommand(single.input));
        const stored = this.storedVersion(Item);
        if (stored.length === 0) {
          return true;
        }
        request.onConflict?.({ resource: request.resource, expectedVersion: write.current, storedVersion: stored });
        return false;
      }
    }
  }

  #resolveConflict(
    storedItem: Record<string, AttributeValue> | undefined,
    write: VersionWrite,
    request: CommitRequest,
    outcomeUnknown: boolean,
  ): boolean {
    const token = storedItem?.[this.#options.attributeNames.token];
    if (token?.S === write.token) {
      // Only this call writes this token: an earlier attempt of it committed.
      return true;
    }
    if (outcomeUnknown) {
      // A single-item write that may have committed before being overwritten (or a delete, which
      // leaves nothing to recognise): the stored item cannot tell.
      throw new AmbiguousCommitError(
        "a retried single-item version write met a conflict that its own lost commit could explain",
      );
    }
    // Every version write asks for ALL_OLD, so a failed condition without an item means there is
    // none: the stored version is empty, learnt in the same round trip (H7).
    request.onConflict?.({
      resource: request.resource,
      expectedVersion: write.current,
      storedVersion: this.storedVersion(storedItem),
    });
    return false;
  }

  /** Reads the version out of a stored version item; absent item or attribute = empty. */
  storedVersion(item: Record<string, AttributeValue> | undefined): Version {
    const value = item?.[this.#options.attributeNames.version];
    if (value === undefined) {
      return EMPTY_VERSION;
    }
    if (!(value.B instanceof Uint8Array)) {
      throw new MalformedVersionItemError(
        `the version item's ${this.#options.attributeNames.version} attribute in table ${this.#options.table} is not of type B`,
      );
    }
    return value.B;
  }

  #decorateSingle(single: SingleVersionWrite): SingleVersionWrite {
    const decorators = this.#options.decorators;
    switch (single.operation) {
      case "PutItem":
        return { operation: "PutItem", input: decorateVersionRequest("putItem", single.input, decorators.putItem) };
      case "UpdateItem":
        return { operation: "UpdateItem", input: decorateVersionRequest("updateItem", single.input, decorators.updateItem) };
      case "DeleteItem":
        return { operation: "DeleteItem", input: decorateVersionRequest("deleteItem", single.input, decorators.deleteItem) };
      case "GetItem":
        return { operation: "GetItem", input: decorateVersionRequest("getItem", single.input, decorators.getItem) };
    }
  }
}

/**
 * A commit that passed every check and is ready to send.
 *
 * @internal
 */
export type PreparedCommit =
  | { readonly request: CommitRequest; readonly write: VersionWrite; readonly single: SingleVersionWrite; readonly transaction?: undefined }
  | { readonly request: CommitRequest; readonly write: VersionWrite; readonly transaction: TransactWriteItemsCommandInput; readonly single?: undefined };

/**
 * The tables a commit writes, the version table first, each once: what a failure reports. Worked
 * out only when a request fails, not for every commit.
 */
function tablesOf({ write, transaction }: PreparedCommit): string[] {
  const tables = new Set([write.table]);
  for (const item of transaction?.TransactItems?.slice(1) ?? []) {
    const table = (item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck)?.TableName;
    if (table !== undefined) {
      tables.add(table);
    }
  }
  return [...tables];
}

/** A stand-in for a call's token while planning: a random UUID has the same length. */
const PLANNING_TOKEN = "00000000-0000-0000-0000-000000000000";

/** Room kept in a planned run for a final version longer than the first one. */
const PLANNING_RESERVE_BYTES = 1024;

/** Exponential backoff with full jitter: up to 25, 50, 100 … ms. */
function backoff(attempt: number): number {
  return Math.random() * 25 * 2 ** (attempt - 1);
}

function ambiguous(operation: string, cause: unknown): AmbiguousCommitError {
  return new AmbiguousCommitError(`${operation} may or may not have committed: an earlier attempt got no answer, and a retry failed`, { cause });
}
