import type { SourceEvent } from "@projectionkit/core";
import type { AccountEvent } from "./balance-projection.ts";

/** A small deterministic random generator (mulberry32), so a seed replays a run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The history: every account's events at contiguous offsets, and the balances they fold to. */
export interface History {
  readonly events: readonly SourceEvent<AccountEvent>[];
  readonly expected: ReadonlyMap<string, { readonly balance: number; readonly events: number }>;
}

/**
 * Makes a history of `accounts` accounts with `perAccount` events each.
 *
 * @param accounts - how many accounts (streams).
 * @param perAccount - events per account.
 * @param random - the random generator.
 * @returns the events and their fold.
 */
export function makeHistory(accounts: number, perAccount: number, random: () => number): History {
  const events: SourceEvent<AccountEvent>[] = [];
  const expected = new Map<string, { balance: number; events: number }>();
  for (let a = 0; a < accounts; a++) {
    const account = `acc-${String(a).padStart(3, "0")}`;
    let balance = 0;
    for (let offset = 0; offset < perAccount; offset++) {
      const amount = 1 + Math.floor(random() * 100);
      const withdraw = offset > 0 && random() < 0.3 && balance >= amount;
      balance += withdraw ? -amount : amount;
      const id = `${account}@${offset}`;
      events.push({ stream: account, offset, id, event: { type: withdraw ? "Withdrawn" : "Deposited", id, account, amount } });
    }
    expected.set(account, { balance, events: perAccount });
  }
  return { events, expected };
}

/**
 * An at-least-once stream: every event is handed out at least once and some more than once
 * (duplicates), in an order that keeps each account's events mostly but not strictly in order
 * (several workers take from it), and whatever a worker could not settle comes back later
 * (redelivery after failures).
 */
export class AtLeastOnceStream {
  readonly #pending: SourceEvent<AccountEvent>[] = [];
  readonly #random: () => number;
  #handedOut = 0;

  constructor(history: History, duplicateRate: number, random: () => number) {
    this.#random = random;
    for (const event of history.events) {
      this.#pending.push(event);
      if (random() < duplicateRate) {
        this.#pending.push(event);
      }
    }
    // Interleave the accounts as they happened, roughly in time: each event is ranked by its
    // offset plus a little jitter, so neighbouring events of one account may swap places.
    const ranked = this.#pending.map((event) => ({ event, rank: Number(event.offset) + random() * 1.5 })).sort((a, b) => a.rank - b.rank);
    this.#pending.splice(0, this.#pending.length, ...ranked.map(({ event }) => event));
  }

  /** How many deliveries were handed out so far. */
  get handedOut(): number {
    return this.#handedOut;
  }

  /** Whether anything is left. */
  get isEmpty(): boolean {
    return this.#pending.length === 0;
  }

  /** Takes up to `size` events for one worker. */
  take(size: number): SourceEvent<AccountEvent>[] {
    const batch = this.#pending.splice(0, size);
    this.#handedOut += batch.length;
    return batch;
  }

  /** Puts back events a worker could not settle; they come again a little later. */
  redeliver(events: readonly SourceEvent<AccountEvent>[]): void {
    for (const event of events) {
      const at = Math.min(this.#pending.length, Math.floor(this.#random() * 20));
      this.#pending.splice(at, 0, event);
    }
  }
}
