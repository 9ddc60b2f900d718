// What every benchmark prints about the run: the machine, the date, the load, and whether this is a
// smoke run (BENCH_SMOKE=1: tiny sizes, dynalite only, to keep the benches working in `npm test`).
import { availableParallelism, cpus, loadavg } from "node:os";

/**
 * Whether this is a smoke run: a few events per case, on dynalite only, figures meaningless.
 *
 * @example
 * ```ts
 * const rounds = SMOKE ? 1 : 15;
 * ```
 */
export const SMOKE = process.env["BENCH_SMOKE"] === "1";

/**
 * Picks the full size, or the smoke size in a smoke run.
 *
 * @example
 * ```ts
 * const events = sized(2_000, 20);
 * ```
 */
export function sized(full: number, smoke: number): number {
  return SMOKE ? smoke : full;
}

/**
 * One line naming the machine, Node, the date and the load average (1, 5, 15 min).
 *
 * @example
 * ```ts
 * console.log(describeRun()); // "2026-12-01T15:07:00.000Z · 2 × AMD EPYC · Node v24.21.0 · load average …"
 * ```
 */
export function describeRun(): string {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${new Date().toISOString()} · ${availableParallelism()} × ${model} · Node ${process.version} · load average ${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)}${SMOKE ? " · SMOKE RUN (figures meaningless)" : ""}`;
}

/**
 * The 1-minute load average, for the record of a measurement.
 *
 * @example
 * ```ts
 * const load = loadAverage(); // e.g. 1.5
 * ```
 */
export function loadAverage(): number {
  return loadavg()[0] ?? 0;
}
