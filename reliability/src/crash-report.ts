import { describeKill, type CrashResult } from "./crash-run.js";
import { verdict } from "./soak-report.js";

/**
 * The figures of one crash run, as lines for the console.
 *
 * @param result - the run.
 * @param backend - the emulator's name.
 * @returns the lines.
 *
 * @example
 * ```ts
 * for (const line of crashSummary(result, "dynalite")) console.log(line);
 * ```
 */
export function crashSummary(result: CrashResult, backend: string): string[] {
  const midCommit = result.kills.filter((kill) => kill.moment !== "random");
  return [
    `crash on ${backend}: ${result.check.passed ? "PASS" : "FAIL"}`,
    `  events          ${result.events} over ${result.streams} streams, ${result.workers} worker processes (each stream owned by two)`,
    `  kills           ${result.kills.length} SIGKILLs, ${midCommit.length} with a commit on the wire (${midCommit.filter((kill) => kill.commit?.applied === true).length} after the emulator applied it, ${midCommit.filter((kill) => kill.commit?.applied !== true).length} before it saw it), ${result.kills.length - midCommit.length} at a random moment`,
    `  processes       ${result.processes} started (${result.processes - result.workers} replacements)`,
    `  resumed         ${result.kills.map((kill) => (kill.replacement === undefined ? "?" : `${kill.replacement.stored}/${kill.replacement.owned}`)).join(", ")} (events already stored / owned, per replacement)`,
    `  commits         ${result.commits} applied by the emulator in ${result.seconds.toFixed(1)} s`,
    `  read model      ${verdict(result.check)}`,
    ...result.check.mismatches.map((line) => `    ${line}`),
  ];
}

/**
 * A crash run as Markdown: a table of the kills and the verdict.
 *
 * @param result - the run.
 * @param backend - the emulator's name.
 * @returns the Markdown.
 *
 * @example
 * ```ts
 * await updateResultsSection(file, "crash", crashMarkdown(result, "dynalite"));
 * ```
 */
export function crashMarkdown(result: CrashResult, backend: string): string {
  const midCommit = result.kills.filter((kill) => kill.moment !== "random").length;
  return [
    `${result.events} events over ${result.streams} streams on ${backend}, ${result.workers} worker processes, ${result.kills.length} SIGKILLs (${midCommit} with a commit on the wire), ${result.processes} processes started, ${result.commits} commits applied by the emulator (one per event when nothing doubles), ${result.seconds.toFixed(1)} s.`,
    "",
    "| kill | worker | after commits | how it landed | its replacement resumed with |",
    "|---:|---:|---:|---|---|",
    ...result.kills.map(
      (kill, index) =>
        `| ${index + 1} | ${kill.slot} | ${kill.atCommit} | ${describeKill(kill)} | ${kill.replacement === undefined ? "(killed before it resumed)" : `${kill.replacement.stored} of its ${kill.replacement.owned} events stored`} |`,
    ),
    "",
    `Read model: ${result.check.passed ? `**PASS**: ${result.check.rowCount} rows, every balance, every stream at its last offset` : `**FAIL**: ${verdict(result.check)}`}.`,
  ].join("\n");
}
