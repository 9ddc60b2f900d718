/**
 * An options object once checked and given its defaults: every option named in `K` is present and
 * not `undefined`, with the type its option declares (and its documentation). What a backend's
 * `resolve…Options` function returns.
 *
 * @example
 * ```ts
 * interface PollOptions {
 *   readonly intervalMs?: number | undefined;
 *   readonly signal?: AbortSignal | undefined;
 * }
 * const resolved: ResolvedOptions<PollOptions, "intervalMs"> = { intervalMs: 1_000 };
 * ```
 */
export type ResolvedOptions<O, K extends keyof O = keyof O> = { readonly [P in keyof Pick<O, K>]-?: Exclude<O[P], undefined> };
