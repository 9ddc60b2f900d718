import { encodeOffset, isEmptyVersion, versionsEqual, type ResourceRepository, type Version, type VersionConflict } from "@projectionkit/core";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { RepositoryBackend, RepositoryConformanceOptions } from "./backends.js";
import { checkProperty } from "./replay.js";
import type { ConformanceRunSettings } from "./run-settings.js";
import { showVersion, utf8, withBackend } from "./support.js";

const EMPTY = new Uint8Array(0);
const RESOURCES = ["r0", "r1", "r2"] as const;

/** The reference model: what each resource's version must be. */
interface RepositoryModel {
  readonly versions: Map<string, Version>;
  /** Every version each resource ever had, to draw stale current versions from. */
  readonly history: Map<string, Version[]>;
}

interface RepositoryReal {
  readonly repository: ResourceRepository;
  readonly reportsStoredVersion: boolean;
}

type CurrentKind = "true" | "stale" | "empty" | "random";

/** A small pool of versions, so that random ones often collide with stored ones (ABA included). */
const versionArbitrary: fc.Arbitrary<Version> = fc.oneof(
  fc.integer({ min: 0, max: 3 }).map((offset) => encodeOffset(offset)),
  fc.constantFrom(new Uint8Array([0xff]), new Uint8Array([1, 2, 3]), new Uint8Array([1, 2])),
  fc.uint8Array({ minLength: 1, maxLength: 4 }),
);

function stored(model: RepositoryModel, name: string): Version {
  return model.versions.get(name) ?? EMPTY;
}

function remember(model: RepositoryModel, name: string, version: Version): void {
  if (isEmptyVersion(version)) {
    model.versions.delete(name);
  } else {
    model.versions.set(name, version);
    model.history.set(name, [...(model.history.get(name) ?? []), version]);
  }
}

async function expectStored(real: RepositoryReal, model: RepositoryModel, name: string): Promise<void> {
  expect(await real.repository.resourceVersion(utf8(name)), `stored version of ${name}`).toEqual(stored(model, name));
}

class ReadCommand implements fc.AsyncCommand<RepositoryModel, RepositoryReal> {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  check(): boolean {
    return true;
  }
  async run(model: RepositoryModel, real: RepositoryReal): Promise<void> {
    await expectStored(real, model, this.name);
  }
  toString(): string {
    return `resourceVersion(${this.name})`;
  }
}

class StoreCommand implements fc.AsyncCommand<RepositoryModel, RepositoryReal> {
  readonly name: string;
  readonly version: Version;
  constructor(name: string, version: Version) {
    this.name = name;
    this.version = version;
  }
  check(): boolean {
    return true;
  }
  async run(model: RepositoryModel, real: RepositoryReal): Promise<void> {
    await real.repository.storeResourceVersion(utf8(this.name), this.version);
    remember(model, this.name, this.version);
    await expectStored(real, model, this.name);
  }
  toString(): string {
    return `storeResourceVersion(${this.name}, ${showVersion(this.version)})`;
  }
}

class UpdateCommand implements fc.AsyncCommand<RepositoryModel, RepositoryReal> {
  #current: Version = EMPTY;
  readonly name: string;
  readonly kind: CurrentKind;
  readonly random: Version;
  readonly staleIndex: number;
  readonly next: Version;
  constructor(name: string, kind: CurrentKind, random: Version, staleIndex: number, next: Version) {
    this.name = name;
    this.kind = kind;
    this.random = random;
    this.staleIndex = staleIndex;
    this.next = next;
  }
  check(): boolean {
    return true;
  }
  async run(model: RepositoryModel, real: RepositoryReal): Promise<void> {
    const history = model.history.get(this.name) ?? [];
    this.#current =
      this.kind === "true"
        ? stored(model, this.name)
        : this.kind === "empty"
          ? EMPTY
          : this.kind === "stale" && history.length > 0
            ? (history[this.staleIndex % history.length] ?? this.random)
            : this.random;
    const expected = versionsEqual(stored(model, this.name), this.#current);
    const conflicts: VersionConflict[] = [];
    const result = await real.repository.updateResourceVersion(utf8(this.name), this.#current, this.next, {
      onConflict: (conflict) => conflicts.push(conflict),
    });
    expect(result, `${this.toString()} with ${this.name} at ${showVersion(stored(model, this.name))}`).toBe(expected);
    if (expected) {
      expect(conflicts).toEqual([]);
      remember(model, this.name, this.next);
    } else if (real.reportsStoredVersion) {
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]?.storedVersion, "the stored version reported with the conflict").toEqual(stored(model, this.name));
    }
    await expectStored(real, model, this.name);
  }
  toString(): string {
    return `updateResourceVersion(${this.name}, ${this.kind}=${showVersion(this.#current)}, ${showVersion(this.next)})`;
  }
}

class DeleteCommand implements fc.AsyncCommand<RepositoryModel, RepositoryReal> {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  check(): boolean {
    return true;
  }
  async run(model: RepositoryModel, real: RepositoryReal): Promise<void> {
    await real.repository.deleteResource(utf8(this.name));
    model.versions.delete(this.name);
    await expectStored(real, model, this.name);
  }
  toString(): string {
    return `deleteResource(${this.name})`;
  }
}

const nameArbitrary = fc.constantFrom(...RESOURCES);
const nextArbitrary = fc.oneof({ weight: 4, arbitrary: versionArbitrary }, { weight: 1, arbitrary: fc.constant(EMPTY) });

/** Every operation of the contract, with current versions drawn from {true, stale, empty, random}. */
const commandsArbitrary = fc.commands(
  [
    nameArbitrary.map((name) => new ReadCommand(name)),
    fc.tuple(nameArbitrary, nextArbitrary).map(([name, version]) => new StoreCommand(name, version)),
    fc
      .tuple(nameArbitrary, fc.constantFrom<CurrentKind>("true", "true", "stale", "empty", "random"), versionArbitrary, fc.nat(), nextArbitrary)
      .map(([name, kind, random, staleIndex, next]) => new UpdateCommand(name, kind, random, staleIndex, next)),
    nameArbitrary.map((name) => new DeleteCommand(name)),
  ],
  { maxCommands: 30 },
);

/**
 * Registers the model-based properties of the ResourceRepository contract (K3): histories of every
 * operation against a reference model, and concurrent compare-and-set under a scheduler (R6).
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

  it(
    "K3/R1–R5: any history of reads, stores, updates and deletes agrees with the reference model",
    () =>
      checkProperty(
        "R1–R5 model",
        fc.asyncProperty(commandsArbitrary, (commands) =>
          withBackend(options.create, (backend: RepositoryBackend) =>
            fc.asyncModelRun(() => ({ model: { versions: new Map(), history: new Map() }, real: { repository: backend.repository, reportsStoredVersion } }), commands),
          ),
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
    "K3/R6: of concurrent updates with the same current version at most one wins, exactly one when it matches",
    () =>
      checkProperty(
        "R6 concurrent compare-and-set",
        fc.asyncProperty(
          fc.scheduler(),
          fc.option(versionArbitrary, { nil: undefined }),
          fc.integer({ min: 2, max: 6 }),
          fc.constantFrom("stored", "empty", "other"),
          async (scheduler, initial, callers, currentKind) =>
            withBackend(options.create, async ({ repository }) => {
              const r = utf8("contended");
              if (initial !== undefined) {
                await repository.storeResourceVersion(r, initial);
              }
              const storedVersion = initial ?? EMPTY;
              const current = currentKind === "stored" ? storedVersion : currentKind === "empty" ? EMPTY : new Uint8Array([0xee, 0xee]);
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
