import type { Reporter, TestModule } from "vitest/node";

/** How a skipped suite or test gives its reason in its title (see ./dynamodb-clients.ts). */
const SKIP_REASON = /\[skipped: (.+)\]$/;

/**
 * A vitest reporter, next to the default one, that ends the run with the tests skipped for a
 * reason (a title that ends with `[skipped: <reason>]`, as `describeNeedingJava` gives without
 * Java): each reason once, then the files and how many of their tests it skipped. The default
 * reporter shows only counts of skipped tests, not why.
 *
 * @example
 * ```ts
 * export default defineConfig({ test: { reporters: ["default", new SkipReasonsReporter()] } });
 * ```
 */
export class SkipReasonsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, Map<string, number>>();
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests("skipped")) {
        const reason = test.fullName
          .split(" > ")
          .map((title) => SKIP_REASON.exec(title)?.[1])
          .find((found) => found !== undefined);
        if (reason === undefined) {
          continue;
        }
        const files = byReason.get(reason) ?? new Map<string, number>();
        const file = `${testModule.project.name} ${testModule.relativeModuleId}`;
        files.set(file, (files.get(file) ?? 0) + 1);
        byReason.set(reason, files);
      }
    }
    for (const [reason, files] of byReason) {
      const total = [...files.values()].reduce((sum, count) => sum + count, 0);
      const lines = [...files].sort(([a], [b]) => a.localeCompare(b)).map(([file, count]) => `  ${file}: ${count}`);
      process.stdout.write(`\n${total} tests skipped in ${files.size} files: ${reason}\n${lines.join("\n")}\n`);
    }
  }
}
