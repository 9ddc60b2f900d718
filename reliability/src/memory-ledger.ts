import type { MemoryProjectionHandler } from "@projectionkit/memory";
import type { Deposit } from "./deposit-history.js";
import type { ReadModelSnapshot } from "./read-model-check.js";

/** One account of the in-memory read model: its balance, count, and one row per deposit. */
export interface LedgerAccount {
  readonly balance: number;
  readonly deposits: number;
  readonly rows: Readonly<Record<string, { readonly amount: number; readonly applied: number }>>;
}

/** The in-memory read model: accounts by name (rows nested per account, so a commit copies little). */
export type LedgerState = Readonly<Record<string, LedgerAccount>>;

/** The projection's identity. */
const IDENTITY = { name: "reliability-ledger", key: "5b0e8f7c-3d2a-4c19-8e6b-7a1f2c3d4e5f" } as const;

/**
 * Applies one deposit to a mutable ledger: adds to the balance and count, and writes the row
 * (`applied` counts applications, so a double shows as 2).
 *
 * @param state - the ledger (an Immer draft, or a plain object).
 * @param event - the deposit.
 *
 * @example
 * ```ts
 * applyDeposit(draft, deposit);
 * ```
 */
export function applyDeposit(state: Record<string, { balance: number; deposits: number; rows: Record<string, { amount: number; applied: number }> }>, event: Deposit): void {
  const account = (state[event.account] ??= { balance: 0, deposits: 0, rows: {} });
  account.balance += event.amount;
  account.deposits += 1;
  const row = account.rows[event.id];
  if (row === undefined) {
    account.rows[event.id] = { amount: event.amount, applied: 1 };
  } else {
    row.applied += 1;
  }
}

/**
 * The ledger projection in memory. With `apply: false` the handler changes nothing (the version
 * alone moves), for the broken "split" variant that keeps the read model elsewhere.
 *
 * @param options - `apply: false` to leave the state untouched.
 * @returns the handler, for `memoryProjection`.
 *
 * @example
 * ```ts
 * const projection = memoryProjection(memoryLedgerHandler());
 * ```
 */
export function memoryLedgerHandler(options: { readonly apply?: boolean } = {}): MemoryProjectionHandler<LedgerState, Deposit> {
  const apply = options.apply ?? true;
  return {
    configure(c) {
      c.identity(IDENTITY.name, IDENTITY.key);
      c.handlesEvents("Deposited");
    },
    initialState: {},
    handleEvent(state, _scope, event) {
      if (apply) {
        applyDeposit(state, event);
      }
    },
  };
}

/**
 * The balances and rows of an in-memory ledger, as a snapshot's read model.
 *
 * @param state - the ledger.
 * @returns balances and rows (the caller adds the versions).
 *
 * @example
 * ```ts
 * const snapshot = { ...ledgerContents(projection.state), versions };
 * ```
 */
export function ledgerContents(state: LedgerState): Pick<ReadModelSnapshot, "balances" | "rows"> {
  const balances = new Map<string, { balance: number; deposits: number }>();
  const rows = new Map<string, { account: string; amount: number; applied: number }>();
  for (const [name, account] of Object.entries(state)) {
    balances.set(name, { balance: account.balance, deposits: account.deposits });
    for (const [id, row] of Object.entries(account.rows)) {
      rows.set(id, { account: name, amount: row.amount, applied: row.applied });
    }
  }
  return { balances, rows };
}
