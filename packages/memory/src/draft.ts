/**
 * The type of a draft of a state of type `T`: the same shape with `readonly` removed throughout,
 * so that a handler can write it. Map keys and Set members (primitives) stay as they are, and so do
 * dates (replace a date, do not change it).
 *
 * @typeParam T - the state's type.
 *
 * @example
 * ```ts
 * type Balances = { readonly accounts: ReadonlyMap<string, { readonly amount: number }> };
 * const deposit = (state: Draft<Balances>, account: string, amount: number): void => {
 *   const entry = state.accounts.get(account);
 *   if (entry === undefined) state.accounts.set(account, { amount });
 *   else entry.amount += amount;
 * };
 * ```
 */
export type Draft<T> = T extends string | number | bigint | boolean | symbol | null | undefined | Date | ((...args: never[]) => unknown)
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? Map<K, Draft<V>>
    : T extends ReadonlySet<infer V>
      ? Set<V>
      : T extends object
        ? { -readonly [K in keyof T]: Draft<T[K]> }
        : T;
