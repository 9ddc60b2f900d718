import { encodeOffset, streamEventVersions, versionsEqual, type Version } from "@projectionkit/core";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { ProjectionBackend, ProjectionConformanceOptions } from "./backends.js";
import type { FaultKind } from "./capabilities.js";
import { deliverLikeAnEngine } from "./engine-retry.js";
import { probeEvent } from "./probe.js";
import { checkProperty } from "./replay.js";
import type { ConformanceRunSettings } from "./run-settings.js";
import { expectUserItemFailure, showVersion, utf8, withBackend } from "./support.js";

const EMPTY = new Uint8Array(0);
const LISTS = ["a", "b"] as const;
const STREAM_LENGTH = 4;

/** The reference model of one list: the fold of the accepted events. */
interface ListModel {
  version: Version;
  readonly ids: string[];
  /** Every (c, n, id) delivered so far, for redeliveries and stale versions. */
  readonly delivered: Array<{ readonly current: Version; readonly next: Version; readonly id: string }>;
}

interface ProjectionModel {
  readonly lists: Map<string, ListModel>;
  sequence: number;
}

interface ProjectionReal {
  readonly backend: ProjectionBackend;
  readonly reportsStoredVersion: boolean;
}

type CurrentKind = "true" | "stale" | "empty" | "random";

function listModel(model: ProjectionModel, list: string): ListModel {
  let entry = model.lists.get(list);
  if (entry === undefined) {
    entry = { version: EMPTY, ids: [], delivered: [] };
    model.lists.set(list, entry);
  }
  return entry;
}

/**
 * Delivers one event like an engine and checks the outcome, the stored effects and the stored
 * version against the model, then advances the model.
 */
async function deliverAndCheck(
  model: ProjectionModel,
  real: ProjectionReal,
  list: string,
  current: Version,
  next: Version,
  id: string,
  extra: { readonly fault?: FaultKind | undefined; readonly failUserItem?: boolean | undefined },
): Promise<void> {
  const entry = listModel(model, list);
  const matches = versionsEqual(entry.version, current);
  const reported: Version[] = [];
  const outcome = await deliverLikeAnEngine(real.backend, {
    resource: utf8(list),
    current,
    next,
    event: probeEvent(list, id, extra.failUserItem === true),
    fault: extra.fault,
    mayReject: extra.failUserItem,
    onConflict: (stored) => reported.push(stored),
    // A commit that failed before it reached storage must have left nothing behind.
    onRejected:
      extra.fault === "before-commit"
        ? async () => {
            expect(await real.backend.readList(list), `effects after a failure before commit of ${id}`).toEqual(entry.ids);
            expect(await real.backend.handler.resourceVersion(utf8(list)), `version after a failure before commit of ${id}`).toEqual(entry.version);
          }
        : undefined,
  });
  entry.delivered.push({ current, next, id });
  const context = `${id} on ${list} with c=${showVersion(current)} (stored ${showVersion(entry.version)}), n=${showVersion(next)}`;
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
  expect(await real.backend.readList(list), `the effects of ${list} after ${context}`).toEqual(entry.ids);
  expect(await real.backend.handler.resourceVersion(utf8(list)), `the version of ${list} after ${context}`).toEqual(entry.version);
}

class DeliverCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  #label = "";
  readonly list: string;
  readonly kind: CurrentKind;
  readonly random: Version;
  readonly pick: number;
  readonly next: Version;
  readonly failUserItem: boolean;
  readonly fault: FaultKind | undefined;
  constructor(list: string, kind: CurrentKind, random: Version, pick: number, next: Version, failUserItem: boolean, fault: FaultKind | undefined) {
    this.list = list;
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
    const entry = listModel(model, this.list);
    const stale = entry.delivered.map((d) => d.current);
    const current =
      this.kind === "true"
        ? entry.version
        : this.kind === "empty"
          ? EMPTY
          : this.kind === "stale" && stale.length > 0
            ? (stale[this.pick % stale.length] ?? this.random)
            : this.random;
    const id = `e${model.sequence++}`;
    // A retry of an event whose n equals its c cannot be told from a new delivery (engines never
    // make one), so such an event is delivered without a fault.
    const fault = versionsEqual(current, this.next) ? undefined : this.fault;
    this.#label = `deliver(${this.list}, ${id}, c=${this.kind}:${showVersion(current)}, n=${showVersion(this.next)}${this.failUserItem ? ", failing user item" : ""}${fault === undefined ? "" : `, fault ${fault}`})`;
    await deliverAndCheck(model, real, this.list, current, this.next, id, { fault, failUserItem: this.failUserItem });
  }
  toString(): string {
    return this.#label || `deliver(${this.list}, c=${this.kind})`;
  }
}

class StreamCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  readonly list: string;
  readonly offset: number;
  readonly fault: FaultKind | undefined;
  constructor(list: string, offset: number, fault: FaultKind | undefined) {
    this.list = list;
    this.offset = offset;
    this.fault = fault;
  }
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const { current, next } = streamEventVersions(this.list, this.offset);
    await deliverAndCheck(model, real, this.list, current, next, `${this.list}@${this.offset}`, { fault: this.fault });
  }
  toString(): string {
    return `deliverOffset(${this.list}@${this.offset}${this.fault === undefined ? "" : `, fault ${this.fault}`})`;
  }
}

class RedeliverCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  #label = "";
  readonly list: string;
  readonly pick: number;
  constructor(list: string, pick: number) {
    this.list = list;
    this.pick = pick;
  }
  check(model: Readonly<ProjectionModel>): boolean {
    return (model.lists.get(this.list)?.delivered.length ?? 0) > 0;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    const delivered = listModel(model, this.list).delivered;
    const earlier = delivered[this.pick % delivered.length];
    if (earlier === undefined) {
      return;
    }
    this.#label = `redeliver(${this.list}, ${earlier.id}, c=${showVersion(earlier.current)}, n=${showVersion(earlier.next)})`;
    await deliverAndCheck(model, real, this.list, earlier.current, earlier.next, earlier.id, {});
  }
  toString(): string {
    return this.#label || `redeliver(${this.list}, #${this.pick})`;
  }
}

class CloseCommand implements fc.AsyncCommand<ProjectionModel, ProjectionReal> {
  readonly list: string;
  constructor(list: string) {
    this.list = list;
  }
  check(): boolean {
    return true;
  }
  async run(model: ProjectionModel, real: ProjectionReal): Promise<void> {
    await real.backend.handler.closeResource(utf8(this.list));
    listModel(model, this.list).version = EMPTY;
    expect(await real.backend.handler.resourceVersion(utf8(this.list))).toEqual(EMPTY);
    expect(await real.backend.readList(this.list)).toEqual(listModel(model, this.list).ids);
  }
  toString(): string {
    return `closeResource(${this.list})`;
  }
}

const versionArbitrary: fc.Arbitrary<Version> = fc.oneof(
  fc.integer({ min: 0, max: STREAM_LENGTH }).map((offset) => encodeOffset(offset)),
  fc.uint8Array({ minLength: 1, maxLength: 3 }),
);

function commandsArbitrary(faults: readonly FaultKind[]) {
  const list = fc.constantFrom(...LISTS);
  const fault: fc.Arbitrary<FaultKind | undefined> =
    faults.length === 0 ? fc.constant(undefined) : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...faults) });
  return fc.commands(
    [
      fc
        .tuple(
          list,
          fc.constantFrom<CurrentKind>("true", "true", "true", "stale", "empty", "random"),
          versionArbitrary,
          fc.nat(),
          fc.oneof({ weight: 5, arbitrary: versionArbitrary }, { weight: 1, arbitrary: fc.constant(EMPTY) }),
          fault,
        )
        .map(([name, kind, random, pick, next, injected]) => new DeliverCommand(name, kind, random, pick, next, false, injected)),
      fc.tuple(list, fc.constantFrom<CurrentKind>("true", "random"), versionArbitrary, fc.nat(), versionArbitrary).map(
        ([name, kind, random, pick, next]) => new DeliverCommand(name, kind, random, pick, next, true, undefined),
      ),
      fc.tuple(list, fc.integer({ min: 0, max: STREAM_LENGTH }), fault).map(([name, offset, injected]) => new StreamCommand(name, offset, injected)),
      fc.tuple(list, fc.nat()).map(([name, pick]) => new RedeliverCommand(name, pick)),
      list.map((name) => new CloseCommand(name)),
    ],
    { maxCommands: 20 },
  );
}

/** One delivery of a worker in the concurrency property. */
interface WorkerDelivery {
  readonly list: string;
  readonly offset: number;
  readonly fault: FaultKind | undefined;
  /** The projection's own write fails: the call must reject (or conflict) and write nothing. */
  readonly failUserItem: boolean;
}

/**
 * Registers the model-based properties of the ProjectionMessageHandler contract (K3): histories of
 * deliveries with current versions drawn from {true, stale, empty, random}, redeliveries,
 * reordered and gapped stream offsets, closes, failing user items and injected faults against a
 * reference model; and concurrent workers on shared resources under `fc.scheduler` (H6), whose
 * stored effects must equal the fold of the accepted events, each exactly once.
 *
 * @param options - the suite's options.
 * @param settings - seed and runs.
 *
 * @example
 * ```ts
 * registerProjectionProperties(options, resolveConformanceSettings(options.run));
 * ```
 */
export function registerProjectionProperties(options: ProjectionConformanceOptions, settings: ConformanceRunSettings): void {
  const faults = options.capabilities.faults ?? [];
  const reportsStoredVersion = options.capabilities.reportsStoredVersion;

  it(
    "K3/H2: any history of deliveries, redeliveries, gaps, closes and faults leaves the fold of the accepted events, each once",
    () =>
      checkProperty(
        "H2 model",
        fc.asyncProperty(commandsArbitrary(faults), (commands) =>
          withBackend(
            () => options.create({ pause: () => Promise.resolve() }),
            (backend) => fc.asyncModelRun(() => ({ model: { lists: new Map(), sequence: 0 }, real: { backend, reportsStoredVersion } }), commands),
          ),
        ),
        settings,
      ),
    options.timeout,
  );

  if (!options.capabilities.concurrentCalls) {
    it.skip("K3/H6: concurrent workers (skipped: the backend declares concurrentCalls: false)", () => {});
    return;
  }

  const delivery: fc.Arbitrary<WorkerDelivery> = fc.record({
    list: fc.constantFrom(...LISTS),
    offset: fc.integer({ min: 0, max: STREAM_LENGTH - 1 }),
    fault: faults.length === 0 ? fc.constant(undefined) : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...faults) }),
    failUserItem: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });

  it(
    "K3/H6: concurrent workers redelivering and reordering a stream, some with failing user items, apply each event exactly once, in order",
    () =>
      checkProperty(
        "H6 concurrent workers",
        fc.asyncProperty(fc.scheduler(), fc.array(fc.array(delivery, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 4 }), (scheduler, workers) =>
          withBackend(
            () => options.create({ pause: () => scheduler.schedule(Promise.resolve(), "pause in the projection") }),
            async (backend) => {
              const faulty = workers.some((deliveries) => deliveries.some((d) => d.fault !== undefined));
              const claims: Array<{ list: string; offset: number }> = [];
              const deliver = async (d: WorkerDelivery): Promise<void> => {
                const { resource, current, next } = streamEventVersions(d.list, d.offset);
                await scheduler.schedule(Promise.resolve(), `start ${d.list}@${d.offset}`);
                if (d.fault !== undefined) {
                  backend.faults?.inject(d.fault);
                }
                if (d.failUserItem) {
                  const outcome = await deliverLikeAnEngine(backend, { resource, current, next, event: probeEvent(d.list, `${d.list}@${d.offset}!failing`, true), mayReject: true });
                  expect(outcome.result === true, `${d.list}@${d.offset} with a failing user item resolved true`).toBe(false);
                  if (outcome.result === undefined && !faulty) {
                    // With faults about, another worker's fault may be the last thing this call met.
                    expectUserItemFailure(backend, outcome.errors.at(-1), `${d.list}@${d.offset} with a failing user item`);
                  }
                  return;
                }
                const outcome = await deliverLikeAnEngine(backend, { resource, current, next, event: probeEvent(d.list, `${d.list}@${d.offset}`), allowRejections: faulty });
                expect(outcome.result, `${d.list}@${d.offset} never settled: ${outcome.errors.map(String).join("; ")}`).toBeDefined();
                if (outcome.result === true) {
                  claims.push({ list: d.list, offset: d.offset });
                }
              };
              await scheduler.waitFor(
                Promise.all(
                  workers.map(async (deliveries) => {
                    for (const d of deliveries) {
                      await deliver(d);
                    }
                  }),
                ),
              );
              for (const list of LISTS) {
                const claimed = claims.filter((c) => c.list === list).map((c) => c.offset);
                expect(new Set(claimed).size, `offsets of ${list} that more than one call claimed: ${claimed.join(",")}`).toBe(claimed.length);
                const effects = await backend.readList(list);
                const applied = effects.length;
                expect(effects, `the effects of ${list}: a gapless prefix of the stream, each event once`).toEqual(
                  Array.from({ length: applied }, (_, offset) => `${list}@${offset}`),
                );
                for (const offset of claimed) {
                  expect(offset, `${list}@${offset} was claimed but is not in the effects`).toBeLessThan(applied);
                }
                expect(await backend.handler.resourceVersion(utf8(list))).toEqual(applied === 0 ? EMPTY : encodeOffset(applied - 1));
              }
              // The gaps are filled later: one worker delivers every offset in order, without faults.
              backend.faults?.reset();
              for (const list of LISTS) {
                for (let offset = 0; offset < STREAM_LENGTH; offset++) {
                  await scheduler.waitFor(deliver({ list, offset, fault: undefined, failUserItem: false }));
                }
                expect(await backend.readList(list)).toEqual(Array.from({ length: STREAM_LENGTH }, (_, offset) => `${list}@${offset}`));
                expect(await backend.handler.resourceVersion(utf8(list))).toEqual(encodeOffset(STREAM_LENGTH - 1));
              }
            },
          ),
        ),
        settings,
      ),
    options.timeout,
  );
}
