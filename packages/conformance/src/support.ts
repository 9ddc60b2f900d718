import { encodeOffset, isEmptyVersion, type Version } from "@projectionkit/core";
import { expect } from "vitest";
import type { ProjectionBackend } from "./backends.js";
import { showBytes } from "./byte-domain.js";

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes of a text: the kit names resources by their list's name.
 *
 * @param text - the text.
 * @returns its bytes.
 *
 * @example
 * ```ts
 * const resource = utf8("account-1");
 * ```
 */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A version as short readable text, for test titles and counterexamples.
 *
 * @param version - the version.
 * @returns `"empty"` or the hex digits (shortened for long versions).
 *
 * @example
 * ```ts
 * showVersion(encodeOffset(1)); // "0000000000000001"
 * ```
 */
export function showVersion(version: Version | undefined): string {
  return version === undefined || isEmptyVersion(version) ? "empty" : showBytes(version);
}

/**
 * The version after offset `offset` of a stream, or empty before the first (offset -1).
 *
 * @param offset - the offset, or -1.
 * @returns the version.
 *
 * @example
 * ```ts
 * offsetVersion(-1); // empty
 * ```
 */
export function offsetVersion(offset: number): Version {
  return offset < 0 ? new Uint8Array(0) : encodeOffset(offset);
}

/**
 * Creates a backend, runs `body` with it, and always tears it down.
 *
 * @param create - the factory.
 * @param body - what to do with the backend.
 * @returns what `body` returns.
 *
 * @example
 * ```ts
 * await withBackend(options.create, async ({ repository }) => {
 *   // …
 * });
 * ```
 */
export async function withBackend<B extends { readonly teardown?: (() => void | Promise<void>) | undefined }, T>(
  create: () => B | Promise<B>,
  body: (backend: B) => Promise<T>,
): Promise<T> {
  const backend = await create();
  try {
    return await body(backend);
  } finally {
    await backend.teardown?.();
  }
}

/**
 * Settles a promise into a value or an error, so tests can look at both.
 *
 * @param promise - the promise.
 * @returns `{ ok: true, value }` or `{ ok: false, error }`.
 *
 * @example
 * ```ts
 * const outcome = await settle(handler.handleEvent(resource, current, next, scope, event));
 * ```
 */
export async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Checks that a call whose probe item failed its condition rejected with the backend's own error
 * for that, when the backend says how to recognise it ({@link ProjectionBackend.isUserItemFailure}).
 *
 * @param backend - the backend under test.
 * @param error - the rejection of the call's last attempt.
 * @param context - what was delivered, for the message.
 *
 * @example
 * ```ts
 * expectUserItemFailure(backend, outcome.errors.at(-1), "e1 with a failing user item");
 * ```
 */
export function expectUserItemFailure(backend: ProjectionBackend, error: unknown, context: string): void {
  if (backend.isUserItemFailure === undefined) {
    return;
  }
  expect(backend.isUserItemFailure(error), `${context}: rejected with ${String(error)}, not the backend's failed-item error`).toBe(true);
}

/**
 * Runs `work` for each item: all at once when the backend allows overlapping calls, else one after
 * the other. For independent calls on different resources, where overlapping saves round trips.
 *
 * @param overlapping - whether the backend declares `concurrentCalls`.
 * @param items - the items.
 * @param work - what to do with each.
 *
 * @example
 * ```ts
 * await forEachCall(options.capabilities.concurrentCalls, neighbours, (n) => repository.storeResourceVersion(n.resource, n.version));
 * ```
 */
export async function forEachCall<T>(overlapping: boolean, items: readonly T[], work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  if (overlapping) {
    await Promise.all(items.map(work));
    return;
  }
  for (const [index, item] of items.entries()) {
    await work(item, index);
  }
}

