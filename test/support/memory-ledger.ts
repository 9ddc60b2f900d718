import type { ProjectionEventScope } from "@projectionkit/core";
import type { MemoryProjectionHandler } from "@projectionkit/memory";

/** The identity key of the ledger projection. */
export const KEY = "8f1d1c3e-2a5b-4c47-9d0e-6b7a8c9d0e1f";

/** The ledger's events; `Audited` is not declared, for the tests of unexpected events. */
export type LedgerEvent =
  | { type: "Opened"; id: string; account: string }
  | { type: "Deposited"; id: string; account: string; amount: number }
  | { type: "Audited"; id: string };

export interface Ledger {
  balances: Record<string, number>;
  /** Event ids in the order they were applied: each must appear once. */
  applied: string[];
}

/** What a test may make the ledger's handler do. */
export interface LedgerHooks {
  /** Runs inside the handler, on the draft, before the event changes it (may wait, throw or abort). */
  before?: (event: LedgerEvent, signal: AbortSignal | undefined, scope: ProjectionEventScope) => Promise<void> | void;
  /** What `timeoutHint` returns; default 0. */
  timeoutHint?: number;
}

/** A memory ledger projection's handler: opened accounts and their balances, and the ids applied, in order. */
export function ledgerHandler(hooks: LedgerHooks = {}): MemoryProjectionHandler<Ledger, LedgerEvent> {
  return {
    configure(c) {
      c.identity("ledger", KEY);
      c.handlesEvents("Opened", "Deposited");
    },
    initialState: { balances: {}, applied: [] },
    async handleEvent(state, scope, event, { signal }) {
      state.applied.push(event.id);
      await hooks.before?.(event, signal, scope);
      if (event.type === "Opened") {
        state.balances[event.account] = 0;
      } else if (event.type === "Deposited") {
        state.balances[event.account] = (state.balances[event.account] ?? 0) + event.amount;
      }
    },
    timeoutHint: () => hooks.timeoutHint ?? 0,
  };
}
