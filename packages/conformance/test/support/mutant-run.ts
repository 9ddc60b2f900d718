import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const vitestCli = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const config = fileURLToPath(new URL("../mutants/vitest.config.ts", import.meta.url));

/** One test of the kit in the child run, against one backend. */
export interface KitTestResult {
  /** The backend: a mutant's name, `none` for the correct control, or `minimal`. */
  readonly backend: string;
  /** Which suite: the repository's or the projection's. */
  readonly suite: "repository" | "projection";
  /** The describe titles, joined with " > ". */
  readonly ancestors: string;
  readonly title: string;
  readonly status: string;
  readonly failure: string;
}

/**
 * Whether a test is one of the kit's model-based properties (their titles start with K3).
 *
 * @param test - the test.
 * @returns `true` for a property.
 */
export function isProperty(test: Pick<KitTestResult, "title">): boolean {
  return test.title.startsWith("K3");
}

/**
 * Runs the kit against the broken backends of `mutants/mutants.conformance.ts` in a child vitest
 * (K6) and returns each test's result. The child gets a clean environment for the kit's
 * settings, plus `environment`.
 *
 * @param folder - where the child writes its report.
 * @param environment - extra environment variables, e.g. `CONFORMANCE_SEED`.
 * @param filter - a `-t` filter.
 * @returns the results.
 */
export async function runKitOnMutants(folder: string, environment: Record<string, string>, filter?: string): Promise<KitTestResult[]> {
  const output = join(folder, `report-${Math.random().toString(16).slice(2)}.json`);
  const env: Record<string, string | undefined> = { ...process.env, CI: "", CONFORMANCE_SEED: "", CONFORMANCE_RUNS: "", CONFORMANCE_PATH: "", ...environment };
  const args = [vitestCli, "run", "--config", config, "--reporter=json", `--outputFile=${output}`, ...(filter === undefined ? [] : ["-t", filter])];
  // The child fails (exit code 1) whenever a mutant is caught, which is the point.
  await run(process.execPath, args, { env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { code?: unknown }) => {
    if (error.code !== 1) {
      throw error;
    }
  });
  const report = JSON.parse(await readFile(output, "utf8")) as {
    testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }> }>;
  };
  return report.testResults.flatMap((file) =>
    file.assertionResults.map((test) => {
      const ancestors = test.ancestorTitles.join(" > ");
      return {
        backend: /(?:mutant|control):([a-z0-9-]+)/.exec(ancestors)?.[1] ?? "",
        suite: ancestors.startsWith("ResourceRepository") ? "repository" : "projection",
        ancestors,
        title: test.title,
        status: test.status,
        failure: test.failureMessages.join("\n"),
      };
    }),
  );
}
