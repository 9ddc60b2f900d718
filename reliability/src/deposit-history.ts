import type { SourceEvent } from "@projectionkit/core";

/** The one event of the reliability runs: money paid into an account, with an id of its own. */
export interface Deposit {
  readonly type: "Deposited";
  /** Unique across the history: the read model keeps one row per id. */
  readonly id: string;
  readonly account: string;
  readonly amount: number;
}

/** What the read model must hold once every event is applied exactly once. */
export interface ExpectedFold {
  /** Per account: the sum of its deposits and how many there were. */
  readonly balances: ReadonlyMap<string, { readonly balance: number; readonly deposits: number }>;
  /** Per deposit id: its account and amount (each row applied once). */
  readonly rows: ReadonlyMap<string, { readonly account: string; readonly amount: number }>;
  /** Per stream: the offset of its last event, which its stored version must end at. */
  readonly lastOffsets: ReadonlyMap<string, number>;
}

/** A stream set: every stream's events at contiguous offsets from 0, and their fold. */
export interface DepositHistory {
  /** The streams, in order; a stream is an account. */
  readonly streams: readonly string[];
  /** Every event once, stream by stream, in offset order. */
  readonly events: readonly SourceEvent<Deposit>[];
  readonly expected: ExpectedFold;
}

/**
 * Makes a history of `streams` accounts with `eventsPerStream` deposits each (amounts 1–1,000),
 * the same for the same random generator.
 *
 * @param streams - how many streams (accounts).
 * @param eventsPerStream - deposits per stream.
 * @param random - the random generator, for the amounts.
 * @returns the history and its fold.
 *
 * @example
 * ```ts
 * const history = makeDepositHistory(500, 100, seededRandom(2026)); // 50,000 events
 * ```
 */
export function makeDepositHistory(streams: number, eventsPerStream: number, random: () => number): DepositHistory {
  const names: string[] = [];
  const events: SourceEvent<Deposit>[] = [];
  const balances = new Map<string, { balance: number; deposits: number }>();
  const rows = new Map<string, { account: string; amount: number }>();
  const lastOffsets = new Map<string, number>();
  const width = String(Math.max(0, streams - 1)).length;
  for (let s = 0; s < streams; s++) {
    const account = `acct-${String(s).padStart(width, "0")}`;
    names.push(account);
    let balance = 0;
    for (let offset = 0; offset < eventsPerStream; offset++) {
      const amount = 1 + Math.floor(random() * 1_000);
      const id = `${account}#${offset}`;
      balance += amount;
      rows.set(id, { account, amount });
      events.push({ stream: account, offset, id, event: { type: "Deposited", id, account, amount } });
    }
    balances.set(account, { balance, deposits: eventsPerStream });
    lastOffsets.set(account, eventsPerStream - 1);
  }
  return { streams: names, events, expected: { balances, rows, lastOffsets } };
}
