// Per-event cost of the memory adapter against a baseline in the same run: a hand-written
// projection that does the same version check and state change with no drafts, no freezing and
// no queue. The ratios say what the adapter's guarantees cost.
import { Bench } from "tinybench";
import { createEventScope, encodeOffset, versionsEqual } from "@projectionkit/core";
import { memoryProjection, MemoryResourceRepository, type MemoryProjectionHandler } from "@projectionkit/memory";

type Deposited = { type: "Deposited"; account: string; amount: number };
type Balances = Record<string, number>;

const ACCOUNTS = 1_000;
const scope = createEventScope();
const resource = new TextEncoder().encode("bench-stream");
const versions = Array.from({ length: 1_000_001 }, (_, i) => (i === 0 ? new Uint8Array() : encodeOffset(i - 1)));

const handler: MemoryProjectionHandler<Balances, Deposited> = {
  configure(c) {
    c.identity("bench", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
    c.handlesEvents("Deposited");
  },
  initialState: Object.fromEntries(Array.from({ length: ACCOUNTS }, (_, i) => [`acc-${i}`, 0])),
  handleEvent(state, _scope, event) {
    state[event.account] = (state[event.account] ?? 0) + event.amount;
  },
};

function eventAt(i: number): Deposited {
  return { type: "Deposited", account: `acc-${i % ACCOUNTS}`, amount: 1 };
}

/** Baseline: the same check and change, by hand. */
function baseline() {
  let stored: Uint8Array = new Uint8Array();
  const state: Balances = { ...handler.initialState };
  let i = 0;
  return async () => {
    const event = eventAt(i);
    if (versionsEqual(stored, versions[i])) {
      state[event.account] = (state[event.account] ?? 0) + event.amount;
      stored = versions[i + 1] as Uint8Array;
    }
    i++;
  };
}

function adapter(freeze: boolean) {
  const projection = memoryProjection(handler, { freeze });
  let i = 0;
  return async () => {
    await projection.handleEvent(resource, versions[i], versions[i + 1], scope, eventAt(i));
    i++;
  };
}

function duplicate() {
  const projection = memoryProjection(handler);
  let ready = false;
  return async () => {
    if (!ready) {
      await projection.handleEvent(resource, versions[0], versions[1], scope, eventAt(0));
      ready = true;
    }
    await projection.handleEvent(resource, versions[0], versions[1], scope, eventAt(0));
  };
}

function repository() {
  const store = new MemoryResourceRepository();
  let i = 0;
  return async () => {
    await store.updateResourceVersion(resource, versions[i], versions[i + 1]);
    i++;
  };
}

const bench = new Bench({ time: 1_000, warmup: true, warmupTime: 200 });
bench
  .add("baseline: hand-written check + change", baseline())
  .add("memoryProjection, frozen states (default)", adapter(true))
  .add("memoryProjection, freeze: false", adapter(false))
  .add("memoryProjection, duplicate (conflict path)", duplicate())
  .add("MemoryResourceRepository.updateResourceVersion", repository());

await bench.run();

const base = bench.tasks[0]?.result;
const baseMean = base !== undefined && "latency" in base ? base.latency.mean : Number.NaN;
console.log(`memory adapter, ${ACCOUNTS} accounts in the state, one event per iteration (Node ${process.version})`);
console.log("| case | mean µs/event | events/s | ratio to baseline |");
console.log("|---|---:|---:|---:|");
for (const task of bench.tasks) {
  const result = task.result;
  if (result === undefined || !("latency" in result)) continue;
  const mean = result.latency.mean;
  console.log(`| ${task.name} | ${(mean * 1000).toFixed(2)} | ${Math.round(1000 / mean).toLocaleString("en")} | ${(mean / baseMean).toFixed(1)}× |`);
}
