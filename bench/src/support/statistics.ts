// Small statistics over rounds: the median and the spread are what the benches report.

/**
 * The median of `values` (the upper one of an even count); NaN for none.
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * The smallest and largest of `values`.
 *
 * @example
 * ```ts
 * spread([3, 1, 2]); // { min: 1, max: 3 }
 * ```
 */
export function spread(values: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/**
 * `1.234×`, with `digits` decimals.
 *
 * @example
 * ```ts
 * ratio(1.234); // "1.23×"
 * ```
 */
export function ratio(value: number, digits = 2): string {
  return `${value.toFixed(digits)}×`;
}

/**
 * The median and spread of ratios as `1.03× (0.95–1.12)`.
 *
 * @example
 * ```ts
 * ratioWithSpread([1, 0.9, 1.2]); // "1.00× (0.90–1.20)"
 * ```
 */
export function ratioWithSpread(values: readonly number[], digits = 2): string {
  const { min, max } = spread(values);
  return `${ratio(median(values), digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
}
