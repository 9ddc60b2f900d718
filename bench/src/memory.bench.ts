// P5: the per-event cost of the memory adapter against a hand-written Map projection that does the
// same work (a balance per account, the version check in a Map), measured in interleaved rounds so
// that every ratio compares figures taken moments apart. Also the drafting libraries alone (Immer,
// Mutative) on the same update, to show what an adapter built on them could at best cost.
//
// Each figure is the process's CPU time (not wall time: the machine may be shared) for a case's
// events, after a young-generation garbage collection, so that one case's short-lived garbage is
// not charged to the next; the order of the cases rotates every round.
//
// Why not a full collection before each case (what this bench did until 2026-12-01, still there
// with MEMORY_BENCH_GC=full): Node's engine follows a forced full collection with a transient of several
// milliseconds (concurrent sweeping on helper threads, which the process's CPU time counts, and a
// shrunk heap regrowing), and the case that runs next pays for it in proportion to what it
// allocates. A server pays that once per major collection, over hundreds of thousands of events;
// here it came once per 20,000 events of every case and dominated the allocating cases' figures.
//
//   npm run build && npm run --workspace=@projectionkit/bench bench:memory
//   MEMORY_BENCH_ROUNDS=3 MEMORY_BENCH_EVENTS=2000 …  (a quick run)
//   MEMORY_BENCH_ONLY=0,1,4 …  (the cases at these positions only; 0, the baseline, is always needed)
//   MEMORY_BENCH_GC=full …  (a full collection before each case, the former method)
import { createEventScope, encodeOffset, versionsEqual, type BatchDelivery, type Resource, type Version } from "@projectionkit/core";
import { memoryProjection, MemoryResourceRepository, type MemoryProjectionHandler } from "@projectionkit/memory";
import { describeRun, sized } from "./support/run-environment.ts";

// The drafting libraries pick their production builds from NODE_ENV when they load.
process.env["NODE_ENV"] ??= "production";
const { Immer, enableMapSet } = await import("immer");
const { create } = await import("mutative");
enableMapSet();

type Deposited = { type: "Deposited"; account: string; amount: number };

const ACCOUNTS = 1_000;
const ROUNDS = sized(Number(process.env["MEMORY_BENCH_ROUNDS"] ?? 15), 1);
const WARMUP_ROUNDS = sized(3, 0);
/** Events per case and round; the slow cases run a tenth of it. */
const EVENTS = sized(Number(process.env["MEMORY_BENCH_EVENTS"] ?? 20_000), 200);
const BATCH = 100;

const scope = createEventScope();
const resource: Resource = new TextEncoder().encode("bench-stream");
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `acc-${i}`);
const events: Deposited[] = Array.from({ length: ACCOUNTS }, (_, i) => ({ type: "Deposited", account: accounts[i] as string, amount: 1 }));
/**
 * The versions of the events a case applies in one round, made just before it is timed and dropped
 * after: keeping every round's versions alive (hundreds of thousands of small typed arrays) slows
 * down garbage collection and would charge allocating code for the bench's own inputs.
 */
let versions: Version[] = [];
let firstPrepared = 0;
function prepareVersions(from: number, count: number): void {
  firstPrepared = from;
  versions = Array.from({ length: count + 1 }, (_, index) => (from + index === 0 ? new Uint8Array() : encodeOffset(from + index - 1)));
}
/** The version before the event at `offset` (the one after the event at `offset - 1`). */
function versionAt(offset: number): Version {
  return versions[offset - firstPrepared] as Version;
}

const configure: MemoryProjectionHandler<unknown, Deposited>["configure"] = (c) => {
  c.identity("bench", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
  c.handlesEvents("Deposited");
};
const mapHandler: MemoryProjectionHandler<Map<string, number>, Deposited> = {
  configure,
  initialState: new Map(accounts.map((account) => [account, 0])),
  handleEvent(state, _scope, event) {
    state.set(event.account, (state.get(event.account) ?? 0) + event.amount);
  },
};
const recordHandler: MemoryProjectionHandler<Record<string, number>, Deposited> = {
  configure,
  initialState: Object.fromEntries(accounts.map((account) => [account, 0])),
  handleEvent(state, _scope, event) {
    state[event.account] = (state[event.account] ?? 0) + event.amount;
  },
};

/** What a hand-written projection would key its versions by: one string per byte sequence. */
function keyOf(bytes: Resource): string {
  let key = "";
  for (const byte of bytes) {
    key += String.fromCharCode(byte);
  }
  return key;
}

/** The baseline: the same call, version check and balance update, by hand, with no guarantees beyond them. */
class HandWrittenMapProjection {
  readonly #versions = new Map<string, Version>();
  readonly balances = new Map<string, number>(accounts.map((account) => [account, 0]));

  async handleEvent(r: Resource, current: Version, next: Version, _scope: unknown, event: Deposited): Promise<boolean> {
    const key = keyOf(r);
    if (!versionsEqual(this.#versions.get(key), current)) {
      return false;
    }
    this.balances.set(event.account, (this.balances.get(event.account) ?? 0) + event.amount);
    this.#versions.set(key, next);
    return true;
  }
}

/**
 * A case: `run(count)` applies `count` events, continuing where the previous round stopped;
 * `next` is the offset of its next event (its versions are prepared before it runs).
 */
interface Case {
  readonly name: string;
  readonly slow?: boolean;
  readonly next: number;
  run(count: number): Promise<void> | void;
}

function perEvent(name: string, apply: (offset: number) => Promise<unknown>, options: { slow?: boolean } = {}): Case {
  let offset = 0;
  return {
    name,
    ...options,
    get next() {
      return offset;
    },
    async run(count) {
      for (const end = offset + count; offset < end; offset++) {
        await apply(offset);
      }
    },
  };
}

function baselineCase(): Case {
  const projection = new HandWrittenMapProjection();
  return perEvent("baseline: hand-written Map projection", (i) =>
    projection.handleEvent(resource, versionAt(i), versionAt(i + 1), scope, events[i % ACCOUNTS] as Deposited),
  );
}

function adapterCase(name: string, handler: MemoryProjectionHandler<never, Deposited>, options: { freeze?: boolean; readState?: boolean; slow?: boolean } = {}): Case {
  const projection = memoryProjection(handler, { freeze: options.freeze ?? true });
  const apply = (i: number): Promise<boolean> => projection.handleEvent(resource, versionAt(i), versionAt(i + 1), scope, events[i % ACCOUNTS] as Deposited);
  if (options.readState !== true) {
    return perEvent(name, apply, options); // the baseline's call shape: one call, one promise
  }
  return perEvent(
    name,
    async (i) => {
      await apply(i);
      void projection.state;
    },
    options,
  );
}

function batchCase(name: string, handler: MemoryProjectionHandler<never, Deposited>): Case {
  const projection = memoryProjection(handler);
  let offset = 0;
  return {
    name,
    get next() {
      return offset;
    },
    async run(count) {
      for (const end = offset + count; offset < end; offset += BATCH) {
        const deliveries: BatchDelivery<Deposited>[] = [];
        for (let i = offset; i < offset + BATCH; i++) {
          deliveries.push({ current: versionAt(i), next: versionAt(i + 1), event: events[i % ACCOUNTS] as Deposited, scope });
        }
        await projection.handleEventBatch(resource, deliveries);
      }
    },
  };
}

function duplicateCase(): Case {
  const projection = memoryProjection(mapHandler as MemoryProjectionHandler<never, Deposited>);
  const first = encodeOffset(0);
  void projection.handleEvent(resource, undefined, first, scope, events[0] as Deposited);
  return perEvent("memoryProjection, duplicate (conflict path)", () => projection.handleEvent(resource, undefined, first, scope, events[0] as Deposited));
}

function repositoryCase(): Case {
  const store = new MemoryResourceRepository();
  return perEvent("MemoryResourceRepository.updateResourceVersion", (i) => store.updateResourceVersion(resource, versionAt(i), versionAt(i + 1)));
}

/** Drafting alone: the update of the handlers above, through a library, with no adapter around it. */
function draftingCase<S>(name: string, initial: () => S, update: (state: S, event: Deposited) => S): Case {
  let state = initial();
  let offset = 0;
  return {
    name,
    slow: true,
    next: 0,
    run(count) {
      for (const end = offset + count; offset < end; offset++) {
        state = update(state, events[offset % ACCOUNTS] as Deposited);
      }
    },
  };
}

const immerFrozen = new Immer({ autoFreeze: true });
const immerUnfrozen = new Immer({ autoFreeze: false });
const initialRecord = (): Record<string, number> => ({ ...recordHandler.initialState });
const initialMap = (): Map<string, number> => new Map(mapHandler.initialState);
const depositRecord = (draft: Record<string, number>, { account, amount }: Deposited): void => {
  draft[account] = (draft[account] ?? 0) + amount;
};
const depositMap = (draft: Map<string, number>, { account, amount }: Deposited): void => {
  draft.set(account, (draft.get(account) ?? 0) + amount);
};

const cases: Case[] = [
  baselineCase(),
  adapterCase("memoryProjection, Map state (default settings)", mapHandler as MemoryProjectionHandler<never, Deposited>),
  adapterCase("memoryProjection, Record state (default settings)", recordHandler as MemoryProjectionHandler<never, Deposited>),
  adapterCase("memoryProjection, Map state, freeze: false", mapHandler as MemoryProjectionHandler<never, Deposited>, { freeze: false }),
  batchCase(`memoryProjection, Map state, handleEventBatch of ${BATCH}`, mapHandler as MemoryProjectionHandler<never, Deposited>),
  adapterCase("memoryProjection, Map state, state read after every event", mapHandler as MemoryProjectionHandler<never, Deposited>, { readState: true, slow: true }),
  adapterCase("memoryProjection, Record state, state read after every event", recordHandler as MemoryProjectionHandler<never, Deposited>, { readState: true, slow: true }),
  duplicateCase(),
  repositoryCase(),
  draftingCase("drafting alone: Immer, Map, frozen (Immer's default)", initialMap, (s, e) => immerFrozen.produce(s, (d) => depositMap(d, e))),
  draftingCase("drafting alone: Immer, Map, not frozen", initialMap, (s, e) => immerUnfrozen.produce(s, (d) => depositMap(d, e))),
  draftingCase("drafting alone: Mutative, Map, not frozen (its default)", initialMap, (s, e) => create(s, (d) => depositMap(d, e))),
  draftingCase("drafting alone: Immer, Record, frozen (Immer's default)", initialRecord, (s, e) => immerFrozen.produce(s, (d) => depositRecord(d, e))),
  draftingCase("drafting alone: Immer, Record, not frozen", initialRecord, (s, e) => immerUnfrozen.produce(s, (d) => depositRecord(d, e))),
  draftingCase("drafting alone: Mutative, Record, not frozen (its default)", initialRecord, (s, e) => create(s, (d) => depositRecord(d, e))),
  draftingCase("drafting alone: Mutative, Record, frozen", initialRecord, (s, e) => create(s, (d) => depositRecord(d, e), { enableAutoFreeze: true })),
];

const collectGarbage = (globalThis as { gc?: (options: { type: "major" | "minor" }) => void }).gc;
/** The collection before each case: see the top of the file. */
const GC_BEFORE_CASE = process.env["MEMORY_BENCH_GC"] === "full" ? "major" : "minor";
if (collectGarbage === undefined) {
  throw new Error("run with node --expose-gc (the bench:memory script does)");
}
if (process.env["MEMORY_BENCH_ONLY"] !== undefined) {
  const only = new Set(process.env["MEMORY_BENCH_ONLY"].split(",").map(Number));
  cases.splice(0, cases.length, ...cases.filter((_, index) => only.has(index)));
}
const microsPerEvent = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const ratios = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const wallRatios = new Map<string, number[]>(cases.map((c) => [c.name, []]));
// The warm-up rounds (JIT tiers, caches) are not counted.
for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
  const timed = new Map<string, number>();
  const wall = new Map<string, number>();
  for (let index = 0; index < cases.length; index++) {
    const c = cases[(index + round + WARMUP_ROUNDS) % cases.length] as Case;
    const count = c.slow === true ? Math.max(BATCH, Math.floor(EVENTS / 10 / BATCH) * BATCH) : EVENTS;
    prepareVersions(c.next, count);
    collectGarbage({ type: GC_BEFORE_CASE });
    const started = process.cpuUsage();
    const startedWall = process.hrtime.bigint();
    await c.run(count);
    const used = process.cpuUsage(started);
    wall.set(c.name, Number(process.hrtime.bigint() - startedWall) / 1_000 / count);
    timed.set(c.name, (used.user + used.system) / count);
  }
  if (round < 0) continue;
  const baseline = timed.get(cases[0]?.name as string) as number;
  const wallBaseline = wall.get(cases[0]?.name as string) as number;
  for (const [name, micros] of timed) {
    microsPerEvent.get(name)?.push(micros);
    ratios.get(name)?.push(micros / baseline);
    wallRatios.get(name)?.push((wall.get(name) as number) / wallBaseline);
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const spread = (values: readonly number[]): string => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

console.log(describeRun());
console.log(
  `\nP5 memory adapter, ${ACCOUNTS} accounts, ${ROUNDS} interleaved rounds of ${EVENTS} events (a tenth for the slow cases), CPU time, a ${GC_BEFORE_CASE === "minor" ? "young-generation" : "full"} collection before each case, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
console.log("| case | median µs/event (CPU) | median ratio to baseline (CPU) | min–max over rounds | median ratio (wall clock) |");
console.log("|---|---:|---:|---:|---:|");
for (const c of cases) {
  const times = microsPerEvent.get(c.name) ?? [];
  const perRound = ratios.get(c.name) ?? [];
  console.log(`| ${c.name} | ${median(times).toFixed(3)} | ${median(perRound).toFixed(2)}× | ${spread(perRound)} | ${median(wallRatios.get(c.name) ?? []).toFixed(2)}× |`);
}
