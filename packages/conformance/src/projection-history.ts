import {
  createCompactScope,
  createEventScope,
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
import { deliverLikeAnEngine } from "./engine-retry.js";
import { probeEvent, UNEXPECTED_EVENT_TYPE, type ProbeEvent } from "./probe.js";
import { expectUserItemFailure, offsetVersion, settle, showVersion } from "./support.js";

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

class DeliverCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  #label = "";
  readonly resource: number;
  readonly kind: CurrentKind;
  readonly random: VersionPick;
  readonly pick: number;
  readonly next: VersionPick | undefined;
  readonly failUserItem: boolean;
  readonly fault: FaultKind | undefined;
  constructor(resource: number, kind: CurrentKind, random: VersionPick, pick: number, next: VersionPick | undefined, failUserItem: boolean, fault: FaultKind | undefined) {
    this.resource = resource;
    this.kind = kind;
    this.random = random;
    this.pick = pick;
    this.next = next;
    this.failUserItem = failUserItem;
    this.fault = fault;
  }
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const { resource, entry } = target(model, this.resource);
    const stale = entry.delivered.map((d) => d.current);
    const random = picked(model, this.random);
    const current =
      this.kind === "true"
        ? entry.version
        : this.kind === "empty"
          ? EMPTY
          : this.kind === "stale" && stale.length > 0
            ? (stale[this.pick % stale.length] ?? random)
            : random;
    const next = this.next === undefined ? EMPTY : picked(model, this.next);
    const id = `e${model.sequence++}`;
    // A retry of an event whose n equals its c cannot be told from a new delivery (engines never
    // make one), so such an event is delivered without a fault.
    const fault = versionsEqual(current, next) ? undefined : this.fault;
    this.#label = `deliver(${showBytes(resource)}, ${id}, c=${this.kind}:${showVersion(current)}, n=${showVersion(next)}${this.failUserItem ? ", failing user item" : ""}${fault === undefined ? "" : `, fault ${fault}`})`;
    await deliverAndCheck(model, real, this.resource, current, next, id, { fault, failUserItem: this.failUserItem });
  }
  toString(): string {
    return this.#label || `deliver(#${this.resource}, c=${this.kind})`;
  }
}

class StreamCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  #label = "";
  readonly resource: number;
  readonly offset: number;
  readonly fault: FaultKind | undefined;
  constructor(resource: number, offset: number, fault: FaultKind | undefined) {
    this.resource = resource;
    this.offset = offset;
    this.fault = fault;
  }
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const { resource, list } = target(model, this.resource);
    this.#label = `deliverOffset(${showBytes(resource)}@${this.offset}${this.fault === undefined ? "" : `, fault ${this.fault}`})`;
    await deliverAndCheck(model, real, this.resource, offsetVersion(this.offset - 1), encodeOffset(this.offset), `${list}@${this.offset}`, { fault: this.fault });
  }
  toString(): string {
    return this.#label || `deliverOffset(#${this.resource}@${this.offset})`;
  }
}

class RedeliverCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  #label = "";
  readonly resource: number;
  readonly pick: number;
  constructor(resource: number, pick: number) {
    this.resource = resource;
    this.pick = pick;
  }
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const { resource, entry } = target(model, this.resource);
    const earlier = entry.delivered[this.pick % Math.max(entry.delivered.length, 1)];
    if (earlier === undefined) {
      this.#label = `redeliver(${showBytes(resource)}: nothing delivered yet)`;
      return;
    }
    this.#label = `redeliver(${showBytes(resource)}, ${earlier.id}, c=${showVersion(earlier.current)}, n=${showVersion(earlier.next)})`;
    await deliverAndCheck(model, real, this.resource, earlier.current, earlier.next, earlier.id, {});
  }
  toString(): string {
    return this.#label || `redeliver(#${this.resource}, #${this.pick})`;
  }
}

class CloseCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  #label = "";
  readonly resource: number;
  constructor(resource: number) {
    this.resource = resource;
  }
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const aim = target(model, this.resource);
    this.#label = `closeResource(${showBytes(aim.resource)})`;
    await real.backend.handler.closeResource(aim.resource);
    aim.entry.version = EMPTY;
    await expectTarget(real, aim, this.#label);
  }
  toString(): string {
    return this.#label || `closeResource(#${this.resource})`;
  }
}

class UndeclaredEventCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  #label = "";
  readonly resource: number;
  constructor(resource: number) {
    this.resource = resource;
  }
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const aim = target(model, this.resource);
    const event = { type: UNEXPECTED_EVENT_TYPE, list: aim.list, id: `undeclared-${model.sequence++}` } as unknown as ProbeEvent;
    this.#label = `deliverUndeclared(${showBytes(aim.resource)}, c=${showVersion(aim.entry.version)})`;
    const outcome = await settle(Promise.resolve().then(() => real.backend.handler.handleEvent(aim.resource, aim.entry.version, encodeOffset(99), createEventScope(), event)));
    expect(isProjectionKitError(outcome.ok ? undefined : outcome.error, "ERR_UNEXPECTED_MESSAGE"), `${this.#label} must reject with an UnexpectedMessageError`).toBe(true);
    await expectTarget(real, aim, this.#label);
  }
  toString(): string {
    return this.#label || `deliverUndeclared(#${this.resource})`;
  }
}

class CompactCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    await real.backend.handler.compact(createCompactScope());
    await expectAll(model, real, "compact");
  }
  toString(): string {
    return "compact()";
  }
}

class ConfigureCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    expect(declaredConfiguration(real.backend.handler), "configure must declare the same every time").toEqual(model.declared);
  }
  toString(): string {
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
 * The cases of the history property (K3, K9): resources and versions of arbitrary bytes related to
 * each other, and histories of every operation of the contract on them.
 *
 * @param faults - the faults the backend can inject.
 * @param limits - the lengths the backend accepts.
 * @returns the arbitrary.
 *
 * @example
 * ```ts
 * fc.asyncProperty(projectionHistoryArbitrary(faults, limits), (history) => runProjectionHistory(backend, true, history));
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
  const commands = fc.commands(
    [
      fc
        .tuple(resource, fc.constantFrom<CurrentKind>("true", "true", "true", "stale", "empty", "random"), version, fc.nat(), fc.option(version, { nil: undefined, freq: 6 }), fault)
        .map(([r, kind, random, pick, next, injected]) => new DeliverCommand(r, kind, random, pick, next, false, injected)),
      fc
        .tuple(resource, fc.constantFrom<CurrentKind>("true", "random"), version, fc.nat(), version)
        .map(([r, kind, random, pick, next]) => new DeliverCommand(r, kind, random, pick, next, true, undefined)),
      fc.tuple(resource, fc.integer({ min: 0, max: STREAM_LENGTH }), fault).map(([r, offset, injected]) => new StreamCommand(r, offset, injected)),
      fc.tuple(resource, fc.nat()).map(([r, pick]) => new RedeliverCommand(r, pick)),
      resource.map((r) => new CloseCommand(r)),
      fc.constant(new CompactCommand()),
      fc.oneof(fc.constant(new ConfigureCommand()), resource.map((r) => new UndeclaredEventCommand(r))),
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
 * @param reportsStoredVersion - whether conflicts report the stored version (H7).
 * @param history - the case.
 *
 * @example
 * ```ts
 * await runProjectionHistory(backend, true, history);
 * ```
 */
export async function runProjectionHistory(backend: ProjectionBackend, reportsStoredVersion: boolean, [resources, versions, commands]: ProjectionHistoryCase): Promise<void> {
  const model: ProjectionModel = { resources, versions, lists: new Map(), declared: declaredConfiguration(backend.handler), sequence: 0 };
  const real: ProjectionReal = { backend, reportsStoredVersion };
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
