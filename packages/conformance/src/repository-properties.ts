import { encodeOffset, isEmptyVersion, versionsEqual, type Resource, type ResourceRepository, type Version, type VersionConflict } from "@projectionkit/core";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { RepositoryBackend, RepositoryConformanceOptions } from "./backends.js";
import { byteLimits, bytesKey, showBytes } from "./byte-domain.js";
import { bytesArbitrary, resourceFamilyArbitrary, versionPoolArbitrary } from "./domain-arbitraries.js";
import { ownershipCheckedRepository } from "./ownership.js";
import { checkProperty } from "./replay.js";
import type { ConformanceRunSettings } from "./run-settings.js";
import { showVersion, withBackend } from "./support.js";
import { KitCommand } from "./kit-command.js";

const EMPTY = new Uint8Array(0);

/** The reference model: what each resource's version must be. */
interface RepositoryModel {
  /** The resources of the case: arbitrary bytes, related to each other (K9). */
  readonly resources: readonly Resource[];
  /** The versions of the case: arbitrary lengths, related to each other (K9). */
  readonly versions: readonly Version[];
  /** The stored version of each resource, by {@link bytesKey}; absent is empty. */
  readonly stored: Map<string, Version>;
  /** Every version each resource ever had, to draw stale current versions from. */
  readonly history: Map<string, Version[]>;
}

interface RepositoryReal {
  /** The repository under test, checking ownership on every call (K10). */
  readonly repository: ResourceRepository;
  readonly reportsStoredVersion: boolean;
}

type CurrentKind = "true" | "stale" | "empty" | "random";

/** A version of the case by index, or the empty version for `undefined`. */
function versionAt(model: RepositoryModel, index: number | undefined): Version {
  return index === undefined ? EMPTY : (model.versions[index % model.versions.length] ?? EMPTY);
}

function resourceAt(model: RepositoryModel, index: number): Resource {
  return model.resources[index % model.resources.length] ?? EMPTY;
}

function stored(model: RepositoryModel, resource: Resource): Version {
  return model.stored.get(bytesKey(resource)) ?? EMPTY;
}

function remember(model: RepositoryModel, resource: Resource, version: Version): void {
  const key = bytesKey(resource);
  if (isEmptyVersion(version)) {
    model.stored.delete(key);
  } else {
    model.stored.set(key, version);
    model.history.set(key, [...(model.history.get(key) ?? []), version]);
  }
}

async function expectStored(real: RepositoryReal, model: RepositoryModel, resource: Resource, after: string): Promise<void> {
  expect(await real.repository.resourceVersion(resource), `stored version of ${showBytes(resource)} after ${after}`).toEqual(stored(model, resource));
}

/** Every resource of the case, read afresh: what one call did to the others shows here. */
async function expectAllStored(real: RepositoryReal, model: RepositoryModel, after: string): Promise<void> {
  for (const resource of model.resources) {
    await expectStored(real, model, resource, after);
  }
}

/** The resource of the case a command acts on, by index. */
interface OnResource {
  readonly resource: number;
}

class ReadCommand extends KitCommand<RepositoryModel, RepositoryReal, OnResource> {
  override async run(model: RepositoryModel, real: RepositoryReal): Promise<void> {
    const resource = resourceAt(model, this.parameters.resource);
    this.label = `resourceVersion(${showBytes(resource)})`;
    await expectStored(real, model, resource, "nothing but reads");
  }
  protected override planned(): string {
    return `resourceVersion(#${this.parameters.resource})`;
  }
}

class StoreCommand extends KitCommand<RepositoryModel, RepositoryReal, OnResource & { readonly version: number | undefined }> {
  override async run(model: RepositoryModel, real: RepositoryReal): Promise<void> {
    const resource = resourceAt(model, this.parameters.resource);
    const version = versionAt(model, this.parameters.version);
    this.label = `storeResourceVersion(${showBytes(resource)}, ${showVersion(version)})`;
    await real.repository.storeResourceVersion(resource, version);
    remember(model, resource, version);
    await expectStored(real, model, resource, this.label);
  }
  protected override planned(): string {
    return `storeResourceVersion(#${this.parameters.resource}, #${this.parameters.version ?? "empty"})`;
  }
}

/** How an update draws its current version (from `kind`, with `random` and `staleIndex`) and its next one. */
interface UpdateParameters extends OnResource {
  readonly kind: CurrentKind;
  readonly random: number;
  readonly staleIndex: number;
  readonly next: number | undefined;
}

class UpdateCommand extends KitCommand<RepositoryModel, RepositoryReal, UpdateParameters> {
  override async run(model: RepositoryModel, real: RepositoryReal): Promise<void> {
    const { kind, staleIndex } = this.parameters;
    const resource = resourceAt(model, this.parameters.resource);
    const history = model.history.get(bytesKey(resource)) ?? [];
    const random = versionAt(model, this.parameters.random);
    const current =
      kind === "true"
        ? stored(model, resource)
        : kind === "empty"
          ? EMPTY
          : kind === "stale" && history.length > 0
            ? (history[staleIndex % history.length] ?? random)
            : random;
    const next = versionAt(model, this.parameters.next);
    this.label = `updateResourceVersion(${showBytes(resource)}, ${kind}=${showVersion(current)}, ${showVersion(next)})`;
    const expected = versionsEqual(stored(model, resource), current);
    const conflicts: VersionConflict[] = [];
    const result = await real.repository.updateResourceVersion(resource, current, next, {
      onConflict: (conflict) => conflicts.push(conflict),
    });
    expect(result, `${this.label} with ${showVersion(stored(model, resource))} stored`).toBe(expected);
    if (expected) {
      expect(conflicts).toEqual([]);
      remember(model, resource, next);
    } else if (real.reportsStoredVersion) {
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]?.storedVersion, "the stored version reported with the conflict").toEqual(stored(model, resource));
    }
    await expectStored(real, model, resource, this.label);
  }
  protected override planned(): string {
    return `updateResourceVersion(#${this.parameters.resource}, ${this.parameters.kind})`;
  }
}

class DeleteCommand extends KitCommand<RepositoryModel, RepositoryReal, OnResource> {
  override async run(model: RepositoryModel, real: RepositoryReal): Promise<void> {
    const resource = resourceAt(model, this.parameters.resource);
    this.label = `deleteResource(${showBytes(resource)})`;
    await real.repository.deleteResource(resource);
    model.stored.delete(bytesKey(resource));
    await expectStored(real, model, resource, this.label);
  }
  protected override planned(): string {
    return `deleteResource(#${this.parameters.resource})`;
  }
}

const indexArbitrary = fc.nat({ max: 15 });
const nextArbitrary = fc.oneof({ weight: 4, arbitrary: indexArbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });

/** Every operation of the contract, with current versions drawn from {true, stale, empty, random}. */
const commandsArbitrary = fc.commands(
  [
    indexArbitrary.map((resource) => new ReadCommand({ resource })),
    fc.tuple(indexArbitrary, nextArbitrary).map(([resource, version]) => new StoreCommand({ resource, version })),
    fc
      .tuple(indexArbitrary, fc.constantFrom<CurrentKind>("true", "true", "stale", "empty", "random"), indexArbitrary, fc.nat(), nextArbitrary)
      .map(([resource, kind, random, staleIndex, next]) => new UpdateCommand({ resource, kind, random, staleIndex, next })),
    indexArbitrary.map((resource) => new DeleteCommand({ resource })),
  ],
  { maxCommands: 30 },
);

/**
 * Registers the model-based properties of the ResourceRepository contract (K3): histories of every
 * operation against a reference model, on resources and versions of arbitrary bytes that differ
 * from each other in one byte, in letter case, by trailing zero bytes or as prefixes (K9), with
 * every array changed by the kit after each call (K10), and every resource checked at the end;
 * and concurrent compare-and-set under a scheduler (R6).
 *
 * @param options - the suite's options.
 * @param settings - seed and runs.
 *
 * @example
 * ```ts
 * registerRepositoryProperties(options, resolveConformanceSettings(options.run));
 * ```
 */
export function registerRepositoryProperties(options: RepositoryConformanceOptions, settings: ConformanceRunSettings): void {
  const reportsStoredVersion = options.capabilities.reportsStoredVersion;
  const limits = byteLimits(options.capabilities);
  const versionsArbitrary = versionPoolArbitrary(limits.versionBytes);

  it(
    "K3/K9/K10/R1–R5/R7: any history of reads, stores, updates and deletes on resources and versions of arbitrary bytes agrees with the reference model",
    () =>
      checkProperty(
        "R1–R5, R7 model",
        fc.asyncProperty(resourceFamilyArbitrary(limits.resourceBytes), versionsArbitrary, commandsArbitrary, (resources, versions, commands) =>
          withBackend(options.create, async (backend: RepositoryBackend) => {
            const model: RepositoryModel = { resources, versions, stored: new Map(), history: new Map() };
            const real: RepositoryReal = { repository: ownershipCheckedRepository(backend.repository), reportsStoredVersion };
            await fc.asyncModelRun(() => ({ model, real }), commands);
            await expectAllStored(real, model, "the whole history");
          }),
        ),
        settings,
      ),
    options.timeout,
  );

  if (!options.capabilities.concurrentCalls) {
    it.skip("K3/R6: concurrent compare-and-set (skipped: the backend declares concurrentCalls: false)", () => {});
    return;
  }

  it(
    "K3/K9/R6: of concurrent updates with the same current version at most one wins, exactly one when it matches",
    () =>
      checkProperty(
        "R6 concurrent compare-and-set",
        fc.asyncProperty(
          fc.scheduler(),
          bytesArbitrary(limits.resourceBytes),
          versionsArbitrary,
          fc.option(indexArbitrary, { nil: undefined }),
          fc.integer({ min: 2, max: 6 }),
          fc.constantFrom("stored", "empty", "other"),
          async (scheduler, r, versions, initialIndex, callers, currentKind) =>
            withBackend(options.create, async ({ repository: unchecked }) => {
              const repository = ownershipCheckedRepository(unchecked);
              const initial = initialIndex === undefined ? undefined : versions[initialIndex % versions.length];
              if (initial !== undefined) {
                await repository.storeResourceVersion(r, initial);
              }
              const storedVersion = initial ?? EMPTY;
              const current = currentKind === "stored" ? storedVersion : currentKind === "empty" ? EMPTY : Uint8Array.of(0xee, 0xee);
              const nexts = Array.from({ length: callers }, (_, i) => encodeOffset(1000 + i));
              const calls = nexts.map((next) =>
                scheduler.schedule(Promise.resolve(), `start ${showVersion(next)}`).then(() => repository.updateResourceVersion(r, current, next)),
              );
              const results = await scheduler.waitFor(Promise.all(calls));
              const winners = results.filter(Boolean).length;
              const matches = versionsEqual(storedVersion, current);
              expect(winners, `callers that resolved true (current ${matches ? "matches" : "does not match"})`).toBe(matches ? 1 : 0);
              expect(await repository.resourceVersion(r)).toEqual(matches ? nexts[results.indexOf(true)] : storedVersion);
            }),
        ),
        settings,
      ),
    options.timeout,
  );
}
