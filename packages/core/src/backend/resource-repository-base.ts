import type { ConditionalWriteOptions, OperationOptions, VersionConflict } from "../operation-options.js";
import type { ResourceRepository } from "../resource-repository.js";
import type { Resource, Version, VersionInput } from "../resource.js";
import { requireConditionalWriteOptions, requireOperationOptions, requireResource, requireVersion } from "../validation.js";
import type { CheckedConditionalOptions, CheckedOptions, ConditionalWriteCall } from "./checked-calls.js";
import { ownedBytes } from "./owned-bytes.js";

/**
 * The base of a {@link ResourceRepository} backend: its public methods check every argument and
 * option once (E1, E2), before any I/O, and then call a protected hook that does only the storage
 * part. A backend author extends it and implements the four hooks.
 *
 * What the base guarantees, so that hooks need not:
 * - resources are non-empty `Uint8Array`s, versions are `Uint8Array`s (absent and `null` become the
 *   empty version), options have only known keys of the right types, and the signal has not
 *   aborted yet;
 * - ownership (R7): hooks receive copies that no caller holds, so they may keep them; the versions
 *   they return or report through `onConflict` are copied before a caller sees them.
 *
 * @example
 * ```ts
 * class MapRepository extends ResourceRepositoryBase {
 *   readonly #versions = new Map<string, Version>();
 *
 *   protected async _resourceVersion(resource: Resource): Promise<Version> {
 *     return this.#versions.get(hex(resource)) ?? EMPTY_VERSION;
 *   }
 *   protected async _storeResourceVersion(resource: Resource, version: Version): Promise<void> {
 *     if (version.length === 0) this.#versions.delete(hex(resource));
 *     else this.#versions.set(hex(resource), version);
 *   }
 *   protected async _updateResourceVersion(resource: Resource, current: Version, next: Version): Promise<boolean> {
 *     if (!versionsEqual(this.#versions.get(hex(resource)), current)) return false;
 *     await this._storeResourceVersion(resource, next);
 *     return true;
 *   }
 *   protected async _deleteResource(resource: Resource): Promise<void> {
 *     this.#versions.delete(hex(resource));
 *   }
 * }
 * ```
 */
export abstract class ResourceRepositoryBase implements ResourceRepository {
  /**
   * Reads the stored version of `resource` (R1).
   *
   * @param resource - a non-empty resource.
   * @param options - an abort signal, and `onRequest` for the cost of each request.
   * @returns the stored version, or the empty version if there is none.
   */
  async resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
    const checked = requireResource(resource);
    const checkedOptions = checkOptions(options);
    return ownedBytes(await this._resourceVersion(ownedBytes(checked), checkedOptions));
  }

  /**
   * Sets the version of `resource` unconditionally; the empty version deletes it (R2).
   *
   * @param resource - a non-empty resource.
   * @param version - the version to store; empty deletes.
   * @param options - an abort signal, and `onRequest` for the cost of each request.
   */
  async storeResourceVersion(resource: Resource, version: VersionInput, options?: OperationOptions): Promise<void> {
    const checked = requireResource(resource);
    const value = requireVersion(version);
    const checkedOptions = checkOptions(options);
    await this._storeResourceVersion(ownedBytes(checked), ownedBytes(value), checkedOptions);
  }

  /**
   * Sets the version of `resource` to `next` if, and only if, its stored version is `current`
   * (R3, R5, R6).
   *
   * @param resource - a non-empty resource.
   * @param current - the version the caller believes is stored; empty means "absent".
   * @param next - the version to store; empty deletes.
   * @param options - an abort signal, `onConflict` to learn the stored version on a conflict, and
   *   `onRequest` for the cost of each request.
   * @returns whether the version was `current` and is now `next`.
   */
  async updateResourceVersion(resource: Resource, current: VersionInput, next: VersionInput, options?: ConditionalWriteOptions): Promise<boolean> {
    const { resource: checked, current: expected, next: replacement, ...checkedOptions } = this.checkConditionalWrite(resource, current, next, options);
    return this._updateResourceVersion(checked, expected, replacement, checkedOptions);
  }

  /**
   * Checks the arguments of a conditional write as {@link ResourceRepositoryBase.updateResourceVersion}
   * does, for a subclass that offers a variant with more arguments (the DynamoDB repository's
   * write with transaction items): the subclass checks only what it adds.
   *
   * @param resource - the resource as received.
   * @param current - the expected version as received.
   * @param next - the new version as received.
   * @param options - the options as received.
   * @returns the checked call; its arrays are the subclass's own.
   * @throws `InvalidResourceError`, `InvalidVersionError` or `InvalidArgumentError` naming the
   *   argument; the abort reason when the signal is already aborted.
   *
   * @example
   * ```ts
   * async updateWithItems(r: Resource, c: VersionInput, n: VersionInput, items: Item[], options?: ConditionalWriteOptions) {
   *   const call = this.checkConditionalWrite(r, c, n, options);
   *   return commitWithItems(call, requireItems(items));
   * }
   * ```
   */
  protected checkConditionalWrite(resource: Resource, current: VersionInput, next: VersionInput, options: ConditionalWriteOptions | undefined): ConditionalWriteCall {
    const checked = requireResource(resource);
    const expected = requireVersion(current, "current");
    const replacement = requireVersion(next, "next");
    const checkedOptions = checkConditionalOptions(options);
    return { resource: ownedBytes(checked), current: ownedBytes(expected), next: ownedBytes(replacement), ...checkedOptions };
  }

  /**
   * Removes everything stored about `resource`; idempotent (R4).
   *
   * @param resource - a non-empty resource.
   * @param options - an abort signal, and `onRequest` for the cost of each request.
   */
  async deleteResource(resource: Resource, options?: OperationOptions): Promise<void> {
    const checked = requireResource(resource);
    const checkedOptions = checkOptions(options);
    await this._deleteResource(ownedBytes(checked), checkedOptions);
  }

  /**
   * Reads the stored version; the empty version when there is none. The result is copied before
   * the caller sees it, so it may be the backend's own array.
   *
   * @param resource - a checked resource, the hook's own.
   * @param options - the checked options.
   */
  protected abstract _resourceVersion(resource: Resource, options: CheckedOptions): Promise<Version>;

  /**
   * Stores `version` unconditionally; the empty version deletes the resource.
   *
   * @param resource - a checked resource, the hook's own.
   * @param version - a checked version, the hook's own.
   * @param options - the checked options.
   */
  protected abstract _storeResourceVersion(resource: Resource, version: Version, options: CheckedOptions): Promise<void>;

  /**
   * Replaces the stored version by `next` if it is `current`, atomically; `false` (and nothing
   * changed) otherwise. Report the stored version through `options.onConflict` when it is known.
   *
   * @param resource - a checked resource, the hook's own.
   * @param current - the expected version, the hook's own; empty means "absent".
   * @param next - the new version, the hook's own; empty deletes.
   * @param options - the checked options.
   */
  protected abstract _updateResourceVersion(resource: Resource, current: Version, next: Version, options: CheckedConditionalOptions): Promise<boolean>;

  /**
   * Removes the resource; no error if it has no version.
   *
   * @param resource - a checked resource, the hook's own.
   * @param options - the checked options.
   */
  protected abstract _deleteResource(resource: Resource, options: CheckedOptions): Promise<void>;
}

/**
 * Checks the options of an operation and returns them in their checked form.
 *
 * @internal
 */
export function checkOptions(options: OperationOptions | undefined): CheckedOptions {
  const { signal, onRequest } = requireOperationOptions(options);
  return { signal, onRequest };
}

/**
 * Checks the options of a conditional write; what `onConflict` receives is copied first (R7).
 *
 * @internal
 */
export function checkConditionalOptions(options: ConditionalWriteOptions | undefined): CheckedConditionalOptions {
  const { signal, onRequest, onConflict } = requireConditionalWriteOptions(options);
  return { signal, onRequest, onConflict: onConflict === undefined ? undefined : ownedConflicts(onConflict) };
}

function ownedConflicts(onConflict: (conflict: VersionConflict) => void): (conflict: VersionConflict) => void {
  return (conflict) =>
    onConflict({
      resource: ownedBytes(conflict.resource),
      expectedVersion: ownedBytes(conflict.expectedVersion),
      storedVersion: ownedBytes(conflict.storedVersion),
    });
}
