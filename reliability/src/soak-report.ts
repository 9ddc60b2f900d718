import type { FoldCheck } from "./read-model-check.js";
import type { SoakResult } from "./soak-run.js";

/**
 * The verdict line of a fold check: PASS, or what was lost and doubled.
 *
 * @param check - the verdict.
 * @returns one line.
 *
 * @example
 * ```ts
 * console.log(`read model equals the fold: ${verdict(result.check)}`);
 * ```
 */
export function verdict(check: FoldCheck): string {
  if (check.passed) {
    return `PASS (${check.rowCount} rows, every balance, every stream at its last offset)`;
  }
  return `FAIL: ${check.lost} lost, ${check.doubled} doubled, ${check.wrongBalances} balances wrong, ${check.wrongVersions} versions wrong, ${check.unexpected} unexpected (${check.rowCount} rows)`;
}

/**
 * The figures of one soak run, as lines for the console.
 *
 * @param result - the run.
 * @returns the lines.
 *
 * @example
 * ```ts
 * for (const line of soakSummary(result)) console.log(line);
 * ```
 */
export function soakSummary(result: SoakResult): string[] {
  const { counts, check } = result;
  const requests = total(result.requests);
  return [
    `${result.backend} / ${result.mode}: ${check.passed ? "PASS" : "FAIL"}`,
    `  events          ${result.events} over ${result.streams} streams, ${result.workers} workers`,
    `  deliveries      ${result.deliveries} (${result.redeliveries} of them redeliveries of unsettled events)`,
    `  outcomes        applied ${counts.applied}, duplicates ${counts.duplicates}, gaps ${counts.gaps}, held ${counts.held}, failed ${counts.failed}, cancelled ${counts.cancelled}`,
    `  throughput      ${eventsPerSecond(result).toFixed(0)} events/s (${result.seconds.toFixed(1)} s)`,
    `  ${result.requestUnit.padEnd(15)} ${requests} = ${(requests / result.events).toFixed(2)} per event (${listed(result.requests)})`,
    `  retries         ${counts.retries} (conflicts ${counts.conflicts}, version reads ${counts.reads})`,
    `  faults injected ${faultList(result.injected)}`,
    `  faults observed ${listed(result.observed) || "none"} (failed attempts the drivers saw; the adapter's own retries of lost answers are not among them)`,
    `  read model      ${verdict(check)}`,
    ...check.mismatches.map((line) => `    ${line}`),
  ];
}

/**
 * The soak's results as a Markdown table, one row per backend and mode.
 *
 * @param results - the runs.
 * @returns the table.
 *
 * @example
 * ```ts
 * await updateResultsSection("RELIABILITY.md", "soak", soakTable(results));
 * ```
 */
export function soakTable(results: readonly SoakResult[]): string {
  const rows = results.map((r) =>
    [
      r.backend,
      r.mode,
      String(r.events),
      String(r.deliveries),
      eventsPerSecond(r).toFixed(0),
      `${(total(r.requests) / r.events).toFixed(2)} ${r.requestUnit === "requests" ? "" : "(commit attempts)"}`.trim(),
      String(r.counts.retries),
      faultList(r.injected),
      listed(r.observed) || "none",
      `applied ${r.counts.applied}, duplicates ${r.counts.duplicates}, gaps ${r.counts.gaps}, held ${r.counts.held}, failed ${r.counts.failed}`,
      r.check.passed ? `**PASS**: ${r.check.rowCount} rows` : `**FAIL**: ${r.check.lost} lost, ${r.check.doubled} doubled`,
    ].join(" | "),
  );
  return [
    "| backend | mode | events | deliveries | events/s | requests/event | retries | faults injected | failures the drivers saw | outcomes | read model |",
    "|---|---|---:|---:|---:|---:|---:|---|---|---|---|",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

function eventsPerSecond(result: SoakResult): number {
  return result.events / result.seconds;
}

function total(map: ReadonlyMap<string, number>): number {
  return [...map.values()].reduce((sum, n) => sum + n, 0);
}

function listed(map: ReadonlyMap<string, number>): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
}

function faultList(injected: SoakResult["injected"]): string {
  return `throttled ${injected.throttled}, refused ${injected.refused}, lost ${injected.lost}, conflict ${injected.conflict}`;
}
