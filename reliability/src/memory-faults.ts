import type { MemoryProjectionHooks } from "@projectionkit/memory";
import type { Deposit } from "./deposit-history.js";
import { drawFault, InjectedFault, type FaultCounts, type FaultRates } from "./fault-plan.js";

/**
 * The soak's faults on the memory adapter, through its commit hooks: throttles, refused
 * connections and transaction conflicts fail before the commit (nothing changes), a lost answer
 * fails after it (the commit stays). One draw per commit, at the given rates.
 *
 * @param plan - the rates, the random generator, and where to count what was injected.
 * @returns the hooks, for `memoryProjection(handler, { hooks })`.
 *
 * @example
 * ```ts
 * const projection = memoryProjection(memoryLedgerHandler(), { hooks: memoryFaultHooks({ rates, random, injected }) });
 * ```
 */
export function memoryFaultHooks(plan: { readonly rates: FaultRates; readonly random: () => number; readonly injected: FaultCounts }): MemoryProjectionHooks<Deposit> {
  // Commits are serialised, so the draw of beforeCommit belongs to the next afterCommit.
  let loseAnswer = false;
  return {
    beforeCommit: () => {
      const fault = drawFault(plan.rates, plan.random, () => true);
      loseAnswer = fault === "lost";
      if (fault !== undefined) {
        plan.injected[fault]++;
      }
      if (fault !== undefined && fault !== "lost") {
        throw new InjectedFault(fault);
      }
    },
    afterCommit: () => {
      if (loseAnswer) {
        loseAnswer = false;
        throw new InjectedFault("lost");
      }
    },
  };
}
