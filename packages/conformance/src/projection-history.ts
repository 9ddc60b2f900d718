import {
  createCompactScope,
  createEventScope,
  decodeOffset,
  encodeOffset,
  isProjectionKitError,
  versionsEqual,
  type Resource,
  type Version,
} from "@projectionkit/core";
import fc from "fast-check";
import { expect } from "vitest";
import type { ProjectionBackend } from "./backends.js";
import { showBytes, type ByteLimits } from "./byte-domain.js";
import type { FaultKind } from "./capabilities.js";
import { declaredConfiguration, type DeclaredConfiguration } from "./declared-configuration.js";
import { resourceFamilyArbitrary, versionPoolArbitrary } from "./domain-arbitraries.js";
import { deliverBatchLikeAnEngine, type KitBatchDelivery } from "./engine-batch.js";
import { deliverLikeAnEngine } from "./engine-retry.js";
import { probeEvent, UNEXPECTED_EVENT_TYPE, type ProbeEvent } from "./probe.js";
import { expectUserItemFailure, offsetVersion, settle, showVersion } from "./support.js";
import { KitCommand } from "./kit-command.js";

const EMPTY = new Uint8Array(0);

/**
 * The highest stream offset the histories use.
 *
 * @example
 * ```ts
 * for (let offset = 0; offset < STREAM_LENGTH; offset++) await deliver(offset);
 * ```
 */
export const STREAM_LENGTH = 4;

/**
 * The reference model of one resource and its list: the fold of the accepted events.
 *
 * @internal
 */
export interface ListModel {
  version: Version;
  readonly ids: string[];
  /** Every (c, n, id) delivered so far, for redeliveries and stale versions. */
  readonly delivered: Array<{ readonly current: Version; readonly next: Version; readonly id: string }>;
}

/**
 * The reference model of a history: every resource of the case and its list.
 *
 * @internal
 */
export interface ProjectionModel {
  /** The resources of the case (K9); resource `i` has the probe list `list-i`. */
  readonly resources: readonly Resource[];
  /** The versions of the case (K9), besides stream offsets. */
  readonly versions: readonly Version[];
  readonly lists: Map<number, ListModel>;
  /** What `configure` declared before the history started (H1). */
  readonly declared: DeclaredConfiguration;
  sequence: number;
}

/**
 * The backend a history runs against.
 *
 * @internal
 */
export interface ProjectionReal {
  /** The backend; its handler checks ownership on every call (K10). */
  readonly backend: ProjectionBackend;
  readonly reportsStoredVersion: boolean;
  /** Whether the backend declares `batches: true`: batches go through `handleEventBatch`, else one event at a time (B4). */
  readonly batches: boolean;
}

/**
 * Where a delivery's current version comes from.
 *
 * @internal
 */
export type CurrentKind = "true" | "stale" | "empty" | "random";

/**
 * A version of the case by index, or the version after a stream offset.
 *
 * @internal
 */
export type VersionPick = { readonly pool: number } | { readonly offset: number };

/** Resource `index` of the case, its list and its model. */
interface Target {
  readonly resource: Resource;
  readonly list: string;
  readonly entry: ListModel;
}

function target(model: ProjectionModel, index: number): Target {
  const i = index % model.resources.length;
  let entry = model.lists.get(i);
  if (entry === undefined) {
    entry = { version: EMPTY, ids: [], delivered: [] };
    model.lists.set(i, entry);
  }
  return { resource: model.resources[i] ?? EMPTY, list: `list-${i}`, entry };
}

function picked(model: ProjectionModel, pick: VersionPick): Version {
  return "offset" in pick ? encodeOffset(pick.offset) : (model.versions[pick.pool % model.versions.length] ?? EMPTY);
}

async function expectTarget(real: ProjectionReal, { resource, list, entry }: Target, after: string): Promise<void> {
  expect(await real.backend.readList(list), `the effects of ${list} (resource ${showBytes(resource)}) after ${after}`).toEqual(entry.ids);
  expect(await real.backend.handler.resourceVersion(resource), `the version of ${showBytes(resource)} after ${after}`).toEqual(entry.version);
}

/** Every resource and list of the case, read afresh: what one call did to the others shows here. */
async function expectAll(model: ProjectionModel, real: ProjectionReal, after: string): Promise<void> {
  for (let i = 0; i < model.resources.length; i++) {
    await expectTarget(real, target(model, i), after);
  }
}

/**
 * Delivers one event like an engine and checks the outcome, the stored effects and the stored
 * version against the model, then advances the model.
 */
async function deliverAndCheck(
  model: ProjectionModel,
  real: ProjectionReal,
  index: number,
  current: Version,
  next: Version,
  id: string,
  extra: { readonly fault?: FaultKind | undefined; readonly failUserItem?: boolean | undefined },
): Promise<void> {
  const aim = target(model, index);
  const { resource, list, entry } = aim;
  const matches = versionsEqual(entry.version, current);
  const reported: Version[] = [];
  const outcome = await deliverLikeAnEngine(real.backend, {
    resource,
    current,
    next,
    event: probeEvent(list, id, extra.failUserItem === true),
    fault: extra.fault,
    mayReject: extra.failUserItem,
    onConflict: (stored) => reported.push(stored),
    // A commit that failed before it reached storage must have left nothing behind.
    onRejected: extra.fault === "before-commit" ? () => expectTarget(real, aim, `a failure before commit of ${id}`) : undefined,
  });
  entry.delivered.push({ current, next, id });
  const context = `${id} on ${showBytes(resource)} with c=${showVersion(current)} (stored ${showVersion(entry.version)}), n=${showVersion(next)}`;
  if (extra.failUserItem === true) {
    if (matches) {
      expect(outcome.result, `a failing user item must reject the call: ${context}`).toBeUndefined();
      if (extra.fault === undefined) {
        // With a fault as well, the engine may have given up on the fault's error first.
        expectUserItemFailure(real.backend, outcome.errors.at(-1), context);
      }
    } else {
      expect(outcome.result === true, `a conflicting call must not resolve true: ${context}`).toBe(false);
    }
  } else if (matches) {
    // true at once, or false after an attempt that committed but whose answer was lost.
    expect(outcome.result === true || (outcome.result === false && outcome.errors.length > 0), `a matching version must be accepted: ${context}`).toBe(true);
    entry.ids.push(id);
    entry.version = next;
  } else {
    expect(outcome.result, `a conflicting version must resolve false: ${context}`).toBe(false);
    if (real.reportsStoredVersion && outcome.errors.length === 0) {
      expect(reported.at(-1), `the stored version reported with the conflict: ${context}`).toEqual(entry.version);
    }
  }
  await expectTarget(real, aim, context);
}

function chosenCurrent(model: ProjectionModel, entry: ListModel, kind: CurrentKind, random: VersionPick, pick: number): Version {
  const stale = entry.delivered.map((d) => d.current);
  const fallback = picked(model, random);
  return kind === "true" ? entry.version : kind === "empty" ? EMPTY : kind === "stale" && stale.length > 0 ? (stale[pick % stale.length] ?? fallback) : fallback;
}

function allDifferent(versions: readonly Version[]): boolean {
  return versions.every((version, i) => versions.findIndex((other) => versionsEqual(other, version)) === i);
}

/**
 * Delivers a batch like an engine (B1–B3) and checks the outcome, the stored effects and the stored
 * version against the model, then advances the model: a batch whose first current version is the
 * stored one applies all its deliveries (after retries, when a fault was injected), or a prefix
 * before a failing event; any other batch stops at once with a conflict and writes nothing.
 */
async function batchAndCheck(model: ProjectionModel, real: ProjectionReal, index: number, deliveries: readonly KitBatchDelivery[], fault: FaultKind | undefined): Promise<void> {
  const aim = target(model, index);
  const { resource, entry } = aim;
  const first = deliveries[0] as KitBatchDelivery;
  const matches = versionsEqual(entry.version, first.current);
  const failing = deliveries.findIndex((d) => d.event.failUserItem === true);
  const before = { ids: [...entry.ids], version: entry.version };
  const prefix = (count: number): { ids: string[]; version: Version } => ({
    ids: [...before.ids, ...deliveries.slice(0, count).map((d) => d.event.id)],
    version: count === 0 ? before.version : (deliveries[count - 1] as KitBatchDelivery).next,
  });
  const context = `a batch of ${deliveries.map((d) => `${d.event.id}${d.event.failUserItem === true ? " (failing)" : ""}`).join(", ")} on ${showBytes(resource)} with c=${showVersion(first.current)} (stored ${showVersion(entry.version)})`;
  const outcome = await deliverBatchLikeAnEngine(real.backend, {
    batches: real.batches,
    resource,
    deliveries,
    fault,
    mayReject: failing >= 0,
    onError:
      fault === "before-commit"
        ? async (settledBefore, result) => {
            // A request that failed before it reached storage left nothing behind.
            const expected = prefix(settledBefore + result.applied);
            expect(await real.backend.readList(aim.list), `the effects after a failure before commit in ${context}`).toEqual(expected.ids);
            expect(await real.backend.handler.resourceVersion(resource), `the version after a failure before commit in ${context}`).toEqual(expected.version);
          }
        : undefined,
  });
  for (const d of deliveries) {
    entry.delivered.push({ current: d.current, next: d.next, id: d.event.id });
  }
  if (!matches) {
    expect(outcome.settled, `B2: a batch whose first current version is not the stored one applies nothing: ${context}`).toBe(0);
    expect(outcome.stopped?.reason, `B2: it stops with a conflict: ${context}`).toBe("conflict");
    if (real.reportsStoredVersion && outcome.errors.length === 0 && outcome.stopped?.reason === "conflict") {
      expect(outcome.stopped.storedVersion, `B2: the stored version reported with the conflict: ${context}`).toEqual(entry.version);
    }
  } else if (failing >= 0) {
    expect(outcome.settled, `B1: at most the events before the failing one apply: ${context}`).toBeLessThanOrEqual(failing);
    expect(outcome.stopped?.reason, `B1: a failing event stops the batch with an error: ${context}`).toBe("error");
    expectUserItemFailure(real.backend, outcome.errors.at(-1), context);
  } else {
    expect(outcome.settled, `B1/B3: every delivery of a batch whose current version matches is applied once: ${context}; ${outcome.errors.map(String).join("; ")}`).toBe(deliveries.length);
  }
  const after = prefix(outcome.settled);
  entry.ids.splice(0, entry.ids.length, ...after.ids);
  entry.version = after.version;
  await expectTarget(real, aim, context);
}

/** The resource of the case a command acts on, by index. */
interface OnResource {
  readonly resource: number;
}

/**
 * How a single delivery draws its current version (from `kind`, with `random` and `pick`) and its
 * next one, whether its user item fails, and the fault injected.
 */
interface DeliverParameters extends OnResource {
  readonly kind: CurrentKind;
  readonly random: VersionPick;
  readonly pick: number;
  readonly next: VersionPick | undefined;
  readonly failUserItem: boolean;
  readonly fault: FaultKind | undefined;
}

class DeliverCommand extends KitCommand<ProjectionModel, ProjectionReal, DeliverParameters> {
  override async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const { kind, failUserItem } = this.parameters;
    const { resource, entry } = target(model, this.parameters.resource);
    const current = chosenCurrent(model, entry, kind, this.parameters.random, this.parameters.pick);
    const next = this.parameters.next === undefined ? EMPTY : picked(model, this.parameters.next);
    const id = `e${model.sequence++}`;
    // A retry of an event whose n equals its c cannot be told from a new delivery (engines never
    // make one), so such an event is delivered without a fault.
    const fault = versionsEqual(current, next) ? undefined : this.parameters.fault;
    this.label = `deliver(${showBytes(resource)}, ${id}, c=${kind}:${showVersion(current)}, n=${showVersion(next)}${failUserItem ? ", failing user item" : ""}${fault === undefined ? "" : `, fault ${fault}`})`;
    await deliverAndCheck(model, real, this.parameters.resource, current, next, id, { fault, failUserItem });
  }
  protected override planned(): string {
    return `deliver(#${this.parameters.resource}, c=${this.parameters.kind})`;
  }
}

class StreamCommand extends KitCommand<ProjectionModel, ProjectionReal, OnResource & { readonly offset: number; readonly fault: FaultKind | undefined }> {
  override async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const { offset, fault } = this.parameters;
    const { resource, list } = target(model, this.parameters.resource);
    this.label = `deliverOffset(${showBytes(resource)}@${offset}${fault === undefined ? "" : `, fault ${fault}`})`;
    await deliverAndCheck(model, real, this.parameters.resource, offsetVersion(offset - 1), encodeOffset(offset), `${list}@${offset}`, { fault });
  }
  protected override planned(): string {
    return `deliverOffset(#${this.parameters.resource}@${this.parameters.offset})`;
  }
}

class RedeliverCommand extends KitCommand<ProjectionModel, ProjectionReal, OnResource & { readonly pick: number }> {
  override async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const { resource, entry } = target(model, this.parameters.resource);
    const earlier = entry.delivered[this.parameters.pick % Math.max(entry.delivered.length, 1)];
    if (earlier === undefined) {
      this.label = `redeliver(${showBytes(resource)}: nothing delivered yet)`;
      return;
    }
    this.label = `redeliver(${showBytes(resource)}, ${earlier.id}, c=${showVersion(earlier.current)}, n=${showVersion(earlier.next)})`;
    await deliverAndCheck(model, real, this.parameters.resource, earlier.current, earlier.next, earlier.id, {});
  }
  protected override planned(): string {
    return `redeliver(#${this.parameters.resource}, #${this.parameters.pick})`;
  }
}

/**
 * Where a batch starts: at a stream offset (its deliveries are the offsets from it on), at
 * `behind` offsets before the one after the stored version (a redelivered prefix, then new events),
 * or at a current version drawn like a single delivery's (its next versions from the case).
 *
 * @internal
 */
export type BatchStart =
  | { readonly offset: number }
  | { readonly behind: number }
  | { readonly kind: CurrentKind; readonly random: VersionPick; readonly pick: number };

/** The offset a stored stream version stands for; -1 when it is empty or not a stream version. */
function storedOffset(version: Version): bigint {
  return version.length === 8 ? (decodeOffset(version) ?? -1n) : -1n;
}

/** Where a batch starts, the next versions of its deliveries, the one whose user item fails, and the fault injected. */
interface BatchParameters extends OnResource {
  readonly start: BatchStart;
  readonly nexts: readonly VersionPick[];
  readonly failAt: number | undefined;
  readonly fault: FaultKind | undefined;
}

class BatchCommand extends KitCommand<ProjectionModel, ProjectionReal, BatchParameters> {
  override async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const { resource, list, entry } = target(model, this.parameters.resource);
    const { start, nexts, failAt } = this.parameters;
    const deliveries: KitBatchDelivery[] = [];
    const stream = "kind" in start ? undefined : "offset" in start ? BigInt(start.offset) : storedOffset(entry.version) + 1n - BigInt(start.behind);
    const from = stream === undefined || stream < 0n ? 0n : stream;
    let current = "kind" in start ? chosenCurrent(model, entry, start.kind, start.random, start.pick) : from === 0n ? EMPTY : encodeOffset(from - 1n);
    // A run from behind where the stream stands goes past it: a redelivered prefix, then new events.
    const length = "behind" in start ? Math.max(nexts.length, start.behind + 1) : nexts.length;
    for (let i = 0; i < length; i++) {
      const pick = nexts[i] ?? { pool: i };
      const next = "kind" in start ? picked(model, pick) : encodeOffset(from + BigInt(i));
      const id = "kind" in start ? `e${model.sequence++}` : `${list}@${from + BigInt(i)}`;
      deliveries.push({ current, next, event: probeEvent(list, id, i === failAt) });
      current = next;
    }
    // A fault goes only on a batch that commits, with versions that tell its deliveries apart, so
    // that the stored version after a lost response says which of them applied.
    const chain = [deliveries[0]?.current ?? EMPTY, ...deliveries.map((d) => d.next)];
    const commits = versionsEqual(entry.version, chain[0] ?? EMPTY) && failAt === undefined;
    const fault = commits && allDifferent(chain) ? this.parameters.fault : undefined;
    this.label = `deliverBatch(${showBytes(resource)}, ${deliveries.map((d) => `${d.event.id}${d.event.failUserItem === true ? "!" : ""}`).join(" ")}, c=${"kind" in start ? start.kind : "offset"}:${showVersion(chain[0])}${fault === undefined ? "" : `, fault ${fault}`})`;
    await batchAndCheck(model, real, this.parameters.resource, deliveries, fault);
  }
  protected override planned(): string {
    return `deliverBatch(#${this.parameters.resource}, ${this.parameters.nexts.length} events)`;
  }
}

class CloseCommand extends KitCommand<ProjectionModel, ProjectionReal, OnResource> {
  override async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const aim = target(model, this.parameters.resource);
    this.label = `closeResource(${showBytes(aim.resource)})`;
    await real.backend.handler.closeResource(aim.resource);
    aim.entry.version = EMPTY;
    await expectTarget(real, aim, this.label);
  }
  protected override planned(): string {
    return `closeResource(#${this.parameters.resource})`;
  }
}

class UndeclaredEventCommand extends KitCommand<ProjectionModel, ProjectionReal, OnResource> {
  override async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const aim = target(model, this.parameters.resource);
    const event = { type: UNEXPECTED_EVENT_TYPE, list: aim.list, id: `undeclared-${model.sequence++}` } as unknown as ProbeEvent;
    this.label = `deliverUndeclared(${showBytes(aim.resource)}, c=${showVersion(aim.entry.version)})`;
    const outcome = await settle(Promise.resolve().then(() => real.backend.handler.handleEvent(aim.resource, aim.entry.version, encodeOffset(99), createEventScope(), event)));
    expect(isProjectionKitError(outcome.ok ? undefined : outcome.error, "ERR_UNEXPECTED_MESSAGE"), `${this.label} must reject with an UnexpectedMessageError`).toBe(true);
    await expectTarget(real, aim, this.label);
  }
  protected override planned(): string {
    return `deliverUndeclared(#${this.parameters.resource})`;
  }
}

class CompactCommand extends KitCommand<ProjectionModel, ProjectionReal> {
  override async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    await real.backend.handler.compact(createCompactScope());
    await expectAll(model, real, "compact");
  }
  protected override planned(): string {
    return "compact()";
  }
}

class ConfigureCommand extends KitCommand<ProjectionModel, ProjectionReal> {
  override async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    expect(declaredConfiguration(real.backend.handler), "configure must declare the same every time").toEqual(model.declared);
  }
  protected override planned(): string {
    return "configure()";
  }
}

/**
 * One generated case of the history property.
 *
 * @internal
 */
export type ProjectionHistoryCase = [resources: Resource[], versions: Version[], commands: Iterable<fc.AsyncCommand<ProjectionModel, ProjectionReal>>];

/**
 * The cases of the history property (K3, K9, K11): resources and versions of arbitrary bytes related
 * to each other, and histories of every operation of the contract on them, batches included.
 *
 * @param faults - the faults the backend can inject.
 * @param limits - the lengths the backend accepts.
 * @returns the arbitrary.
 *
 * @example
 * ```ts
 * fc.asyncProperty(projectionHistoryArbitrary(faults, limits), (history) => runProjectionHistory(backend, { reportsStoredVersion: true, batches: true }, history));
 * ```
 */
export function projectionHistoryArbitrary(faults: readonly FaultKind[], limits: ByteLimits): fc.Arbitrary<ProjectionHistoryCase> {
  // Mostly the first two resources of the case, so that each list sees several events.
  const resource = fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 1 }) }, { weight: 1, arbitrary: fc.nat({ max: 15 }) });
  const fault: fc.Arbitrary<FaultKind | undefined> =
    faults.length === 0 ? fc.constant(undefined) : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...faults) });
  const version: fc.Arbitrary<VersionPick> = fc.oneof(
    { weight: 3, arbitrary: fc.nat({ max: 15 }).map((pool) => ({ pool })) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: STREAM_LENGTH }).map((offset) => ({ offset })) },
  );
  const batch = (start: fc.Arbitrary<BatchStart>): fc.Arbitrary<BatchCommand> =>
    fc
      .tuple(resource, start, fc.array(version, { minLength: 1, maxLength: 4 }), fc.option(fc.nat({ max: 3 }), { nil: undefined, freq: 5 }), fault)
      .map(([r, from, nexts, failAt, injected]) => new BatchCommand({ resource: r, start: from, nexts, failAt, fault: injected }));
  const commands = fc.commands(
    [
      fc
        .tuple(resource, fc.constantFrom<CurrentKind>("true", "true", "true", "stale", "empty", "random"), version, fc.nat(), fc.option(version, { nil: undefined, freq: 6 }), fault)
        .map(([r, kind, random, pick, next, injected]) => new DeliverCommand({ resource: r, kind, random, pick, next, failUserItem: false, fault: injected })),
      fc
        .tuple(resource, fc.constantFrom<CurrentKind>("true", "random"), version, fc.nat(), version)
        .map(([r, kind, random, pick, next]) => new DeliverCommand({ resource: r, kind, random, pick, next, failUserItem: true, fault: undefined })),
      fc.tuple(resource, fc.integer({ min: 0, max: STREAM_LENGTH }), fault).map(([r, offset, injected]) => new StreamCommand({ resource: r, offset, fault: injected })),
      fc.tuple(resource, fc.nat()).map(([r, pick]) => new RedeliverCommand({ resource: r, pick })),
      batch(
        fc.oneof(
          fc.integer({ min: 0, max: STREAM_LENGTH }).map((offset): BatchStart => ({ offset })),
          fc.record({ kind: fc.constantFrom<CurrentKind>("true", "true", "stale", "empty", "random"), random: version, pick: fc.nat() }),
        ),
      ),
      // A stream's run from around where it stands: new events, or a redelivered prefix and new ones.
      batch(fc.integer({ min: 0, max: 3 }).map((behind): BatchStart => ({ behind }))),
      resource.map((r) => new CloseCommand({ resource: r })),
      fc.constant(new CompactCommand()),
      fc.oneof(fc.constant(new ConfigureCommand()), resource.map((r) => new UndeclaredEventCommand({ resource: r }))),
    ],
    { maxCommands: 20 },
  );
  return fc.tuple(resourceFamilyArbitrary(limits.resourceBytes), versionPoolArbitrary(limits.versionBytes), commands);
}

/**
 * Runs one case of the history property against a fresh backend, then reads every resource and
 * list of the case afresh and checks them against the model, compacts and checks the lists again,
 * and checks that `configure` still declares what it did at the start.
 *
 * @param backend - the backend; its handler should check ownership (K10).
 * @param capabilities - whether conflicts report the stored version (H7), and whether batches go
 *   through `handleEventBatch` (B1–B4) or one event at a time.
 * @param history - the case.
 *
 * @example
 * ```ts
 * await runProjectionHistory(backend, { reportsStoredVersion: true, batches: true }, history);
 * ```
 */
export async function runProjectionHistory(
  backend: ProjectionBackend,
  { reportsStoredVersion, batches }: { readonly reportsStoredVersion: boolean; readonly batches: boolean },
  [resources, versions, commands]: ProjectionHistoryCase,
): Promise<void> {
  const model: ProjectionModel = { resources, versions, lists: new Map(), declared: declaredConfiguration(backend.handler), sequence: 0 };
  const real: ProjectionReal = { backend, reportsStoredVersion, batches };
  await fc.asyncModelRun(() => ({ model, real }), commands);
  await expectAll(model, real, "the whole history");
  // Every case ends with a compaction, which must keep every list, and a configure call.
  await real.backend.handler.compact(createCompactScope());
  for (let i = 0; i < model.resources.length; i++) {
    const { list, entry } = target(model, i);
    expect(await real.backend.readList(list), `the effects of ${list} after the final compact`).toEqual(entry.ids);
  }
  await new ConfigureCommand().run(model, real);
}
