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

/** An event waiting to be handed out, and the worker it goes to. */
interface PendingDelivery {
  readonly event: SourceEvent<AccountEvent>;
  readonly worker: number;
}

/**
 * An at-least-once stream read by several workers, like a Kinesis stream whose shards are spread
 * over consumers: each account's events normally go to one worker (its shard's), in an order that
 * keeps them mostly but not strictly in order (neighbours may swap). Some events are handed out more
 * than once (duplicates), and a duplicate, or an event a worker could not settle, may come back to
 * ANY worker (a consumer restarted and its shard moved): several workers then race on one account.
 */
export class AtLeastOnceStream {
  readonly #pending: PendingDelivery[] = [];
  readonly #random: () => number;
  readonly #workers: number;
  #handedOut = 0;

  constructor(history: History, duplicateRate: number, random: () => number, workers = 1) {
    this.#random = random;
    this.#workers = workers;
    const owners = new Map<string, number>();
    const ownerOf = (account: string): number => {
      if (!owners.has(account)) owners.set(account, owners.size % workers);
      return owners.get(account) as number;
    };
    const events: Array<{ event: SourceEvent<AccountEvent>; worker: number }> = [];
    for (const event of history.events) {
      events.push({ event, worker: ownerOf(String(event.stream)) });
      if (random() < duplicateRate) {
        events.push({ event, worker: this.#anyWorker() });
      }
    }
    // Interleave the accounts as they happened, roughly in time: each event is ranked by its
    // offset plus a little jitter, so neighbouring events of one account may swap places.
    const ranked = events.map((entry) => ({ entry, rank: Number(entry.event.offset) + random() * 1.5 })).sort((a, b) => a.rank - b.rank);
    this.#pending.push(...ranked.map(({ entry }) => entry));
  }

  /** How many deliveries were handed out so far. */
  get handedOut(): number {
    return this.#handedOut;
  }

  /** Whether anything is left. */
  get isEmpty(): boolean {
    return this.#pending.length === 0;
  }

  /** Takes up to `size` of the events meant for `worker`, in stream order. */
  take(size: number, worker = 0): SourceEvent<AccountEvent>[] {
    const batch: SourceEvent<AccountEvent>[] = [];
    for (let i = 0; i < this.#pending.length && batch.length < size; ) {
      const entry = this.#pending[i] as PendingDelivery;
      if (entry.worker === worker) {
        batch.push(entry.event);
        this.#pending.splice(i, 1);
      } else {
        i++;
      }
    }
    this.#handedOut += batch.length;
    return batch;
  }

  /** Puts back events a worker could not settle; they come again a little later, to any worker. */
  redeliver(events: readonly SourceEvent<AccountEvent>[]): void {
    for (const event of events) {
      const at = Math.min(this.#pending.length, Math.floor(this.#random() * 20));
      this.#pending.splice(at, 0, { event, worker: this.#anyWorker() });
    }
  }

  #anyWorker(): number {
    return Math.floor(this.#random() * this.#workers);
  }
}
