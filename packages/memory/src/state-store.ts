import { DraftCall, shallowCopy, type DraftContext } from "./draft-call.js";
import { isPromiseLike } from "./maybe-async.js";
import { draftCallOf, draftNodeOf } from "./draft-symbols.js";
import type { StateUpdate } from "./memory-projection-handler.js";
import { InvalidStateUpdateError } from "./state-update-error.js";
import { containerKind, copyIntoState, isLeaf } from "./state-values.js";
import { UndoLog } from "./undo-log.js";

/**
 * The state of a memory projection, changed only through transactions.
 *
 * The live state is changed in place by the handler's drafts, with an undo log, so that an event
 * costs what its writes cost rather than a copy of every object on its path. Two sets of nodes:
 * - owned nodes, reachable only through the live state: drafts write them in place;
 * - shared nodes, which someone else may hold (a committed state that was read, a value a handler
 *   wrote in and may have kept, a node written at a second place): drafts copy them on first
 *   access. Everything below a shared node is shared, and with `freeze`, shared nodes are frozen
 *   once no transaction is open.
 *
 * Reading the committed state ({@link StateStore.committed}) shares the live state (nothing to
 * copy); during a transaction it returns a copy with the transaction's changes undone.
 *
 * @internal
 */
export class StateStore<S> implements DraftContext {
  /** Where the open transaction logs its writes in place. */
  readonly log = new UndoLog();
  /** The live root of the state. */
  root: unknown;
  readonly #freeze: boolean;
  readonly #shared = new WeakSet<object>();
  /** Nodes that became shared during the open transaction: frozen when it ends. */
  readonly #newlyShared: object[] = [];
  readonly #transaction: StateTransaction<S>;

  /**
   * @param initialState - copied and checked; the caller's value is left alone.
   * @param freeze - freeze committed states.
   * @throws `InvalidStateUpdateError` naming the first part the state cannot keep.
   */
  constructor(initialState: S, freeze: boolean) {
    this.#freeze = freeze;
    this.root = copyIntoState(initialState, "the state");
    this.#transaction = new StateTransaction<S>(this);
  }

  /** The state as of the last commit. */
  get committed(): S {
    if (this.#transaction.isOpen) {
      return this.copyBefore();
    }
    const newlyShared: object[] = [];
    this.#share(this.root, newlyShared, new Set());
    this.#freezeAll(newlyShared);
    return this.root as S;
  }

  /**
   * Opens the transaction; calls are serialised by the caller, so none is open.
   *
   * @returns the transaction, which must end with `commit` or `rollback`.
   */
  begin(): StateTransaction<S> {
    this.#transaction.open();
    return this.#transaction;
  }

  isShared(node: object): boolean {
    return this.#shared.has(node);
  }

  share(node: object): void {
    this.#share(node, this.#newlyShared, new Set());
  }

  /** Called by the transaction when it ends: what became shared in it is frozen. */
  transactionEnded(): void {
    if (this.#newlyShared.length === 0) {
      return; // most transactions share nothing new (and setting `length` is a call into the runtime)
    }
    this.#freezeAll(this.#newlyShared);
    this.#newlyShared.length = 0;
  }

  /** Marks `value` and every node below it as shared. */
  #share(value: unknown, newlyShared: object[], ancestors: Set<object>): void {
    if (isLeaf(value)) {
      return;
    }
    const node = value as object;
    if (ancestors.has(node)) {
      throw new InvalidStateUpdateError("a part of the state was written inside itself; a memory state cannot hold cycles");
    }
    if (this.#shared.has(node)) {
      return;
    }
    this.#shared.add(node);
    newlyShared.push(node);
    ancestors.add(node);
    for (const child of childrenOf(node)) {
      this.#share(child, newlyShared, ancestors);
    }
    ancestors.delete(node);
  }

  #freezeAll(nodes: readonly object[]): void {
    if (this.#freeze) {
      for (const node of nodes) {
        freezeNode(node);
      }
      // After freezing, so that a failure (impossible for checked nodes) cannot leave some unfrozen.
    }
  }

  /** A copy of the state before the open transaction's changes, for a read while it is open. */
  copyBefore(): S {
    const copies = new Map<object, unknown>();
    const copyOf = (value: unknown): unknown => {
      if (isLeaf(value)) {
        return value;
      }
      const node = draftCallOf(value as object) === undefined ? (value as object) : draftNodeOf(value as object);
      const known = copies.get(node);
      if (known !== undefined || copies.has(node)) {
        return known;
      }
      if (containerKind(node) === undefined) {
        copies.set(node, node);
        return node; // written in by the open transaction and not checked yet: undone below anyway
      }
      const copy = shallowCopy(node);
      copies.set(node, copy);
      if (copy instanceof Map) {
        for (const [key, item] of copy) {
          copy.set(key, copyOf(item));
        }
      } else if (!(copy instanceof Set)) {
        for (const [key, item] of Object.entries(copy)) {
          (copy as Record<string, unknown>)[key] = copyOf(item);
        }
      }
      return copy;
    };
    const before = this.log.undoOnCopies(copyOf(this.root), copyOf);
    if (this.#freeze) {
      deepFreeze(before);
    }
    return before as S;
  }
}

/**
 * A transaction on a {@link StateStore}: the handler calls it runs, each undone on its own if it
 * fails, then one commit or one rollback of them all.
 *
 * @internal
 */
export class StateTransaction<S> {
  readonly #store: StateStore<S>;
  #open = false;

  constructor(store: StateStore<S>) {
    this.#store = store;
  }

  /**
   * Runs `update(draft, first, second, third)` on a draft of the current state (which includes the
   * calls applied before it in this transaction). If it throws, rejects, or produces a state that
   * cannot be kept, its changes are undone and the error is thrown; the calls before it stay
   * applied.
   *
   * @param update - the user's function; arguments rather than a closure, to allocate less.
   * @returns nothing, synchronously when `update` is synchronous.
   */
  apply<A, B, C>(update: (draft: unknown, first: A, second: B, third: C) => StateUpdate<S>, first: A, second: B, third: C): void | Promise<void> {
    this.#requireOpen();
    const savepoint = this.#store.log.length;
    const call = new DraftCall(this.#store);
    let result: unknown;
    try {
      result = update(call.rootDraft(), first, second, third);
    } catch (error) {
      this.#undoCall(call, savepoint);
      throw error;
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (value) => this.#finishCall(call, savepoint, value),
        (error: unknown) => {
          this.#undoCall(call, savepoint);
          throw error;
        },
      );
    }
    this.#finishCall(call, savepoint, result);
  }

  /** Starts the transaction (one instance serves them all, one at a time). */
  open(): void {
    if (this.#open) {
      throw new Error("projectionkit memory: a state transaction is already open (calls must be serialised)");
    }
    this.#open = true;
  }

  /** Whether the transaction started and neither `commit` nor `rollback` was called yet. */
  get isOpen(): boolean {
    return this.#open;
  }

  /** Keeps every applied call's changes. */
  commit(): void {
    this.#requireOpen();
    this.#store.log.clear();
    this.#end();
  }

  /** Undoes every call of the transaction. */
  rollback(): void {
    this.#requireOpen();
    this.#store.root = this.#store.log.undoTo(0, this.#store.root);
    this.#end();
  }

  #finishCall(call: DraftCall, savepoint: number, result: unknown): void {
    try {
      call.finish(result);
    } catch (error) {
      this.#undoCall(call, savepoint);
      throw error;
    }
  }

  #undoCall(call: DraftCall, savepoint: number): void {
    call.revoke();
    this.#store.root = this.#store.log.undoTo(savepoint, this.#store.root);
  }

  #end(): void {
    this.#open = false;
    this.#store.transactionEnded();
  }

  #requireOpen(): void {
    if (!this.#open) {
      throw new Error("projectionkit memory: the state transaction has ended");
    }
  }
}

function childrenOf(node: object): Iterable<unknown> {
  if (node instanceof Map) {
    return node.values();
  }
  if (node instanceof Set) {
    return [];
  }
  return Object.values(node);
}

function refuseFrozenChange(): never {
  throw new TypeError("a committed memory state is frozen; change it through a handler");
}

/** Freezes one node; Maps and Sets also lose their mutating methods, which freezing alone keeps. */
function freezeNode(node: object): void {
  if (Object.isFrozen(node)) {
    return;
  }
  const methods = node instanceof Map ? ["set", "delete", "clear"] : node instanceof Set ? ["add", "delete", "clear"] : [];
  for (const name of methods) {
    Object.defineProperty(node, name, { value: refuseFrozenChange, enumerable: false, writable: false, configurable: false });
  }
  Object.freeze(node);
}

function deepFreeze(value: unknown): void {
  if (isLeaf(value) || Object.isFrozen(value)) {
    return;
  }
  freezeNode(value as object);
  for (const child of childrenOf(value as object)) {
    deepFreeze(child);
  }
}
