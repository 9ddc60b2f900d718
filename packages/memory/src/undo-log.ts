import { defineDataProperty } from "./state-values.js";

/** What one entry of the {@link UndoLog} restores. */
export const ChangeKind = {
  /** One property of an object or array: `before`, or absent. */
  Slot: 0,
  /** One entry of a Map: `before`, or absent. */
  MapEntry: 1,
  /** One member of a Set: absent (it was added). */
  SetMember: 2,
  /** All properties of an object, in order (taken before a delete, which loses the order). */
  ObjectContents: 3,
  /** All entries of a Map, in order. */
  MapContents: 4,
  /** All members of a Set, in order. */
  SetContents: 5,
  /** The root of the state. */
  Root: 6,
} as const;

export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

/** Fields per entry, stored flat: kind, target, key, had, before. */
const WIDTH = 5;

/**
 * The writes a transaction made in place on the live state, each with what it overwrote, so that
 * they can be undone newest first: all of them (a rollback), those after a savepoint (one event of
 * a batch), or on copies (to read the committed state while a transaction is open).
 *
 * @internal
 */
export class UndoLog {
  /** The entries, then stale slots beyond `#length` (kept to reuse the storage; cleared when released). */
  readonly #entries: unknown[] = [];
  #length = 0;

  /** A savepoint: undoing to it undoes what was recorded after. */
  get length(): number {
    return this.#length;
  }

  /**
   * Records a write.
   *
   * @param kind - what it changes.
   * @param target - the node; `undefined` for the root.
   * @param key - the property, Map key or Set member.
   * @param had - whether the key was present before.
   * @param before - the value before; for whole contents, their entries in order.
   */
  record(kind: ChangeKind, target: object | undefined, key: unknown, had: boolean, before: unknown): void {
    const entries = this.#entries;
    const at = this.#length;
    entries[at] = kind;
    entries[at + 1] = target;
    entries[at + 2] = key;
    entries[at + 3] = had;
    entries[at + 4] = before;
    this.#length = at + WIDTH;
  }

  /**
   * Undoes the writes recorded after `savepoint`, newest first, and forgets them.
   *
   * @param savepoint - a former {@link UndoLog.length}.
   * @param root - the current root.
   * @returns the root as of the savepoint.
   */
  undoTo(savepoint: number, root: unknown): unknown {
    let restored = root;
    for (let index = this.#length - WIDTH; index >= savepoint; index -= WIDTH) {
      restored = this.#undo(index, restored, identity);
    }
    this.#release(savepoint);
    return restored;
  }

  /**
   * Undoes every write on the copies that `copyOf` gives, leaving the live state alone.
   *
   * @param root - the copy of the current root.
   * @param copyOf - the copy of a live value (itself for leaves).
   * @returns the copy of the root as it was before the first write.
   */
  undoOnCopies(root: unknown, copyOf: (value: unknown) => unknown): unknown {
    let restored = root;
    for (let index = this.#length - WIDTH; index >= 0; index -= WIDTH) {
      restored = this.#undo(index, restored, copyOf);
    }
    return restored;
  }

  /** Forgets every write: they are committed. */
  clear(): void {
    this.#release(0);
  }

  /** Drops the entries from `savepoint` on, letting go of the values they held. */
  #release(savepoint: number): void {
    // A loop rather than `fill`: an event logs a few entries, and `fill` is a call into the runtime.
    const entries = this.#entries;
    for (let index = savepoint; index < this.#length; index++) {
      entries[index] = undefined;
    }
    this.#length = savepoint;
  }

  /** Undoes one entry on `resolve(target)`; returns the root (changed by a root entry only). */
  #undo(index: number, root: unknown, resolve: (value: unknown) => unknown): unknown {
    const entries = this.#entries;
    const kind = entries[index] as ChangeKind;
    const key = entries[index + 2];
    const had = entries[index + 3] as boolean;
    const before = entries[index + 4];
    if (kind === ChangeKind.Root) {
      return resolve(before);
    }
    const target = resolve(entries[index + 1]);
    switch (kind) {
      case ChangeKind.Slot:
        if (had) {
          defineDataProperty(target as object, key as PropertyKey, resolve(before));
        } else {
          delete (target as Record<PropertyKey, unknown>)[key as PropertyKey];
        }
        break;
      case ChangeKind.MapEntry:
        if (had) {
          (target as Map<unknown, unknown>).set(key, resolve(before));
        } else {
          (target as Map<unknown, unknown>).delete(key);
        }
        break;
      case ChangeKind.SetMember:
        (target as Set<unknown>).delete(key);
        break;
      case ChangeKind.ObjectContents:
        for (const name of Object.keys(target as object)) {
          delete (target as Record<string, unknown>)[name];
        }
        for (const [name, value] of before as Array<[string, unknown]>) {
          defineDataProperty(target as object, name, resolve(value));
        }
        break;
      case ChangeKind.MapContents:
        (target as Map<unknown, unknown>).clear();
        for (const [entryKey, value] of before as Array<[unknown, unknown]>) {
          (target as Map<unknown, unknown>).set(entryKey, resolve(value));
        }
        break;
      case ChangeKind.SetContents:
        (target as Set<unknown>).clear();
        for (const member of before as unknown[]) {
          (target as Set<unknown>).add(member);
        }
        break;
    }
    return root;
  }
}

function identity<T>(value: T): T {
  return value;
}
