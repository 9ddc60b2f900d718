import { readFile, writeFile } from "node:fs/promises";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";

/**
 * Replaces the generated part of a section of a Markdown file, between
 * `<!-- results:<name> -->` and `<!-- /results:<name> -->`, and leaves the rest as it is. The
 * markers must be there: the prose around them is written by hand.
 *
 * @param path - the file, e.g. `RELIABILITY.md` at the repository's root.
 * @param name - the section, e.g. `"soak"`.
 * @param markdown - the new content between the markers.
 * @throws Error when the markers are missing.
 *
 * @example
 * ```ts
 * await updateResultsSection(resultsFile, "soak", `${runDescription("npm run soak")}\n\n${soakTable(results)}`);
 * ```
 */
export async function updateResultsSection(path: string, name: string, markdown: string): Promise<void> {
  const text = await readFile(path, "utf8");
  const begin = `<!-- results:${name} -->`;
  const end = `<!-- /results:${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    throw new Error(`${path} has no ${begin} … ${end} section`);
  }
  await writeFile(path, `${text.slice(0, from + begin.length)}\n${markdown}\n${text.slice(to)}`);
}

/**
 * Where the results come from: the command, the date, the machine, its load when the run ended
 * (other jobs on the machine slow the figures down) and Node.js.
 *
 * @param command - the command that ran, with its settings.
 * @returns one Markdown paragraph.
 *
 * @example
 * ```ts
 * runDescription("npm run soak"); // "Command: `npm run soak` · 2026-12-01 · 2 × Intel … · …"
 * ```
 */
export function runDescription(command: string): string {
  const processors = cpus();
  const model = processors[0]?.model.trim() ?? "unknown processor";
  const memory = `${Math.round(totalmem() / 2 ** 30)} GiB`;
  const [oneMinute = 0, , fifteenMinutes = 0] = loadavg();
  return `Command: \`${command}\` · ${new Date().toISOString().slice(0, 10)} · ${processors.length} × ${model}, ${memory}, ${platform()} ${arch()}, load average ${oneMinute.toFixed(1)} (1 min) / ${fifteenMinutes.toFixed(1)} (15 min) at the end · Node.js ${process.version}`;
}
