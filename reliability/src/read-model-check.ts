import { decodeOffset, type Version } from "@projectionkit/core";
import type { ExpectedFold } from "./deposit-history.js";

/** What a backend's read model holds at the end of a run, read back independently of the driver. */
export interface ReadModelSnapshot {
  /** Per account: its balance and how many deposits it counted. */
  readonly balances: ReadonlyMap<string, { readonly balance: number; readonly deposits: number }>;
  /** Per deposit id: the row, with how many times it was applied (1 when all is well). */
  readonly rows: ReadonlyMap<string, { readonly account: string; readonly amount: number; readonly applied: number }>;
  /** Per stream: its stored version. */
  readonly versions: ReadonlyMap<string, Version>;
}

/** The verdict on a read model against the expected fold. */
export interface FoldCheck {
  readonly passed: boolean;
  /** Rows expected and absent: events lost. */
  readonly lost: number;
  /** Rows applied more than once: events doubled. */
  readonly doubled: number;
  /** Balances whose amount or count differs from the fold. */
  readonly wrongBalances: number;
  /** Streams whose stored version is not their last offset. */
  readonly wrongVersions: number;
  /** Rows and balances that no event of the history explains. */
  readonly unexpected: number;
  /** Rows counted in the read model (every row is checked). */
  readonly rowCount: number;
  /** The first differences, for the report. */
  readonly mismatches: readonly string[];
}

const SHOWN = 10;

/**
 * Compares a read model with the fold of every event applied exactly once: every row (present,
 * applied once, right account and amount), the row count, every balance (sum and count), and every
 * stream's stored version (its last offset).
 *
 * @param snapshot - what the backend holds.
 * @param expected - the fold of the history.
 * @returns the verdict, with counts of lost and doubled events.
 *
 * @example
 * ```ts
 * const check = checkFold(await backend.snapshot(), history.expected);
 * if (!check.passed) console.log(check.mismatches.join("\n"));
 * ```
 */
export function checkFold(snapshot: ReadModelSnapshot, expected: ExpectedFold): FoldCheck {
  const mismatches: string[] = [];
  const note = (line: string): void => {
    if (mismatches.length < SHOWN) mismatches.push(line);
  };
  let lost = 0;
  let doubled = 0;
  let wrongBalances = 0;
  let wrongVersions = 0;
  let unexpected = 0;
  for (const [id, want] of expected.rows) {
    const got = snapshot.rows.get(id);
    if (got === undefined) {
      lost++;
      note(`row ${id}: missing (lost)`);
    } else if (got.applied !== 1 || got.account !== want.account || got.amount !== want.amount) {
      if (got.applied > 1) doubled++;
      note(`row ${id}: applied ${got.applied} times, ${got.account}/${got.amount}; expected once, ${want.account}/${want.amount}`);
    }
  }
  for (const id of snapshot.rows.keys()) {
    if (!expected.rows.has(id)) {
      unexpected++;
      note(`row ${id}: not in the history`);
    }
  }
  for (const [account, want] of expected.balances) {
    const got = snapshot.balances.get(account);
    if (got === undefined || got.balance !== want.balance || got.deposits !== want.deposits) {
      wrongBalances++;
      note(`balance ${account}: ${got === undefined ? "missing" : `${got.balance} from ${got.deposits} deposits`}; expected ${want.balance} from ${want.deposits}`);
    }
  }
  for (const account of snapshot.balances.keys()) {
    if (!expected.balances.has(account)) {
      unexpected++;
      note(`balance ${account}: not in the history`);
    }
  }
  for (const [stream, last] of expected.lastOffsets) {
    const version = snapshot.versions.get(stream);
    const decoded = version === undefined ? undefined : decodeOffset(version);
    const offset = decoded === undefined ? undefined : Number(decoded);
    if (offset !== last) {
      wrongVersions++;
      note(`version of ${stream}: ${offset === undefined ? "none" : `offset ${offset}`}; expected offset ${last}`);
    }
  }
  if (snapshot.rows.size !== expected.rows.size) {
    note(`rows: ${snapshot.rows.size}; expected ${expected.rows.size}`);
  }
  const passed = lost + doubled + wrongBalances + wrongVersions + unexpected === 0 && snapshot.rows.size === expected.rows.size && mismatches.length === 0;
  return { passed, lost, doubled, wrongBalances, wrongVersions, unexpected, rowCount: snapshot.rows.size, mismatches };
}
