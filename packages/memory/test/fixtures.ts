import type { MemoryProjectionHandler } from "@projectionkit/memory";

export const KEY = "8f1d1c3e-2a5b-4c47-9d0e-6b7a8c9d0e1f";

export type LedgerEvent =
  | { type: "Opened"; id: string; account: string }
  | { type: "Deposited"; id: string; account: string; amount: number }
  | { type: "Audited"; id: string };

export interface Ledger {
  balances: Record<string, number>;
  /** Event ids in the order they were applied: each must appear once. */
  applied: string[];
}

/** A ledger projection; `hooks` let a test make the handler slow, failing or aborting. */
export function ledgerHandler(
  hooks: {
    before?: (event: LedgerEvent, signal: AbortSignal | undefined) => Promise<void> | void;
    timeoutHint?: number;
  } = {},
): MemoryProjectionHandler<Ledger, LedgerEvent> {
  return {
    configure(c) {
      c.identity("ledger", KEY);
      c.handlesEvents("Opened", "Deposited");
    },
    initialState: { balances: {}, applied: [] },
    async handleEvent(state, _scope, event, { signal }) {
      state.applied.push(event.id);
      await hooks.before?.(event, signal);
      if (event.type === "Opened") {
        state.balances[event.account] = 0;
      } else if (event.type === "Deposited") {
        state.balances[event.account] = (state.balances[event.account] ?? 0) + event.amount;
      }
    },
    timeoutHint: () => hooks.timeoutHint ?? 0,
  };
}
