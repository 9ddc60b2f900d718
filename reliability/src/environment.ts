/**
 * A positive integer from an environment variable, or the default.
 *
 * @param name - the variable.
 * @param fallback - its default.
 * @returns the value.
 * @throws Error for a value that is not a positive integer.
 *
 * @example
 * ```ts
 * const events = positiveIntegerFromEnv("SOAK_EVENTS", 50_000);
 * ```
 */
export function positiveIntegerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name}=${raw}: expected a positive integer`);
  }
  return value;
}

/**
 * A list from an environment variable (comma-separated), each item one of `allowed`.
 *
 * @param name - the variable.
 * @param allowed - the values it may hold.
 * @param fallback - its default.
 * @returns the items.
 * @throws Error for an unknown item.
 *
 * @example
 * ```ts
 * const backends = listFromEnv("SOAK_BACKENDS", ["memory", "dynalite"], ["memory", "dynalite"]);
 * ```
 */
export function listFromEnv<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") {
    return [...fallback];
  }
  return raw.split(",").map((item) => {
    const value = item.trim();
    if (!(allowed as readonly string[]).includes(value)) {
      throw new Error(`${name}: unknown ${JSON.stringify(value)}, expected some of ${allowed.join(", ")}`);
    }
    return value as T;
  });
}
