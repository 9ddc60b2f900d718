import { createEventScope, streamEventVersions } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";

type AccountEvent =
  | { type: "AccountOpened"; account: string }
  | { type: "MoneyDeposited"; account: string; amount: number };

// 1. The projection logic: how the read model changes per event.
const balances = memoryProjection<Record<string, number>, AccountEvent>({
  configure(c) {
    c.identity("account-balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
    c.handlesEvents("AccountOpened", "MoneyDeposited");
  },
  initialState: {},
  handleEvent(state, _scope, event) {
    if (event.type === "AccountOpened") state[event.account] = 0;
    else state[event.account] = (state[event.account] ?? 0) + event.amount;
  },
});

// 2. A stream of events, delivered at least once: offsets 1 and 2 arrive twice.
const stream: AccountEvent[] = [
  { type: "AccountOpened", account: "acc-1" },
  { type: "MoneyDeposited", account: "acc-1", amount: 30 },
  { type: "MoneyDeposited", account: "acc-1", amount: 12 },
];
const deliveries = [0, 1, 1, 2, 2];

// 3. The engine's part: (stream, offset) → (resource, current version, next version).
for (const offset of deliveries) {
  const { resource, current, next } = streamEventVersions("acc-1", offset);
  const applied = await balances.handleEvent(resource, current, next, createEventScope(), stream[offset]!);
  console.log(`offset ${offset}: ${applied ? "applied" : "duplicate, skipped"}`);
}

console.log("balances:", balances.state); // { 'acc-1': 42 }, each deposit counted once
