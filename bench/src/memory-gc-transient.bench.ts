// Why P5 (memory.bench.ts) runs a young-generation collection before each case rather than a full
// one: what an applied event costs in the chunks of events that follow each kind of collection.
// The memory adapter's default case (a Map of 1,000 balances), after each collection, in chunks of
// 1,000 events: CPU time of the process (all its threads, as P5 counts) and wall time per event.
// The first chunks after a forced full collection cost several times the rest, and CPU runs ahead
// of the wall clock: the collector's helper threads sweep what it freed, and the heap it shrank
// grows back. After a young-generation collection every chunk costs about the same.
//
//   npm run build && npm run --workspace=@projectionkit/bench bench:memory:gc-transient
import { createEventScope, encodeOffset, type Version } from "@projectionkit/core";
import { memoryProjection, type MemoryProjectionHandler } from "@projectionkit/memory";
import { describeRun, sized } from "./support/run-environment.ts";

type Deposited = { type: "Deposited"; account: string; amount: number };

const ACCOUNTS = 1_000;
const ROUNDS = sized(8, 1);
const CHUNKS = sized(12, 2);
const CHUNK = sized(1_000, 50);

const collectGarbage = (globalThis as { gc?: (options: { type: "major" | "minor" }) => void }).gc;
if (collectGarbage === undefined) {
  throw new Error("run with node --expose-gc (the bench:memory:gc-transient script does)");
}

const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `acc-${i}`);
const events: Deposited[] = accounts.map((account) => ({ type: "Deposited", account, amount: 1 }));
const handler: MemoryProjectionHandler<Map<string, number>, Deposited> = {
  configure(c) {
    c.identity("gc-transient", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
    c.handlesEvents("Deposited");
  },
  initialState: new Map(accounts.map((account) => [account, 0])),
  handleEvent(state, _scope, event) {
    state.set(event.account, (state.get(event.account) ?? 0) + event.amount);
  },
};
const scope = createEventScope();
const resource = new TextEncoder().encode("gc-transient");
/** The versions, made once: the probe allocates nothing of its own while it times. */
const versions: Version[] = Array.from({ length: ROUNDS * 2 * CHUNKS * CHUNK + 1 }, (_, i) => (i === 0 ? new Uint8Array() : encodeOffset(i - 1)));

const projection = memoryProjection(handler);
let offset = 0;
/** Per chunk, over the rounds: CPU µs per event and wall µs per event, by kind of collection. */
const cpu = { major: [] as number[][], minor: [] as number[][] };
const wall = { major: [] as number[][], minor: [] as number[][] };
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of ["major", "minor"] as const) {
    collectGarbage({ type: kind });
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const started = process.cpuUsage();
      const startedWall = process.hrtime.bigint();
      for (const end = offset + CHUNK; offset < end; offset++) {
        await projection.handleEvent(resource, versions[offset] as Version, versions[offset + 1] as Version, scope, events[offset % ACCOUNTS] as Deposited);
      }
      const used = process.cpuUsage(started);
      ((cpu[kind][chunk] ??= []) as number[]).push((used.user + used.system) / CHUNK);
      ((wall[kind][chunk] ??= []) as number[]).push(Number(process.hrtime.bigint() - startedWall) / 1_000 / CHUNK);
    }
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
console.log(describeRun());
console.log(`\nP5's collection before each case: memoryProjection (Map state, default settings), µs per event in chunks of ${CHUNK} events after each collection, CPU / wall, median of ${ROUNDS} rounds`);
console.log(`| after | ${Array.from({ length: CHUNKS }, (_, chunk) => `chunk ${chunk + 1}`).join(" | ")} |`);
console.log(`|---|${"---:|".repeat(CHUNKS)}`);
for (const kind of ["major", "minor"] as const) {
  const cells = Array.from({ length: CHUNKS }, (_, chunk) => `${median(cpu[kind][chunk] ?? []).toFixed(2)} / ${median(wall[kind][chunk] ?? []).toFixed(2)}`);
  console.log(`| a ${kind === "major" ? "full" : "young-generation"} collection | ${cells.join(" | ")} |`);
}
