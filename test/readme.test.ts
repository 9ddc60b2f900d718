import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { javaMissing } from "./support/java.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${root}/README.md`, "utf8");

/** Every code block that follows an `<!-- example: <file> -->` marker, with the file it shows. */
const examples = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)].map((match) => ({
  file: match[1] as string,
  code: match[2] as string,
}));

/** Examples that are modules, not programs, with the test that runs each (in its vitest project). */
const testedModules: Record<string, string> = {
  "examples/lambda-dynamodb-streams/src/instrumented-handler.ts": "examples/lambda-dynamodb-streams/test/telemetry.test.ts",
};

/** The examples that are programs (run here); test files and tested modules run in their vitest projects. */
const programs = examples.filter((example) => !example.file.includes("/test/") && testedModules[example.file] === undefined);

/** Why the programs that start DynamoDB Local (Java) are skipped here, or `undefined` when Java runs. */
const missingJava = await javaMissing();

/** What each example must print, run against the built packages. */
const expectedOutput: Record<string, (stdout: string) => void> = {
  "examples/quickstart/src/main.ts": (stdout) => {
    expect(stdout).toContain("offset 1: duplicate, skipped");
    expect(stdout.match(/: applied/g)).toHaveLength(3);
    expect(stdout).toContain("balances: { 'acc-1': 42 }");
  },
  "examples/dynamodb-quickstart/src/main.ts": (stdout) => {
    expect(stdout.match(/: applied/g)).toHaveLength(2);
    expect(stdout).toContain("offset 1: duplicate, skipped");
    expect(stdout).toContain("balance of acc-1: 42");
  },
};

describe("README", () => {
  it("opens with the demo command and the test command, and .ci/run calls the test command", () => {
    const commands = [...readme.matchAll(/^npm ci && npm (?:run demo|test)$/gm)].map((m) => m[0]);
    expect(commands).toEqual(["npm ci && npm run demo", "npm ci && npm test"]);
    expect(readme.indexOf("npm ci && npm run demo")).toBeLessThan(readme.indexOf("## "));
    const ci = readFileSync(`${root}/.ci/run`, "utf8");
    expect(ci.split("\n").filter((line) => line.trim() === "npm ci && npm test")).toHaveLength(1);
    const scripts = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["demo"]).toMatch(/npm run --workspace=@projectionkit\/example-demo start$/);
    expect(scripts["test"]).toBeDefined();
  });

  it("the demo (the README's first command) runs and prints PASS", async () => {
    const { stdout } = await run(process.execPath, ["examples/demo/src/main.ts"], { cwd: root, timeout: 120_000 });
    expect(stdout).toMatch(/read model equals the expected fold: PASS/);
    const number = (label: string): number => Number(new RegExp(`^${label}\\s+(\\d+)`, "m").exec(stdout)?.[1]);
    expect(number("events")).toBe(1000);
    expect(number("deliveries")).toBeGreaterThan(1000);
    expect(number("duplicates skipped")).toBeGreaterThan(0);
    expect(number("retries")).toBeGreaterThan(0);
    // G8/D16: batching and coalescing bring the write requests per event down from 2.0.
    const perEvent = Number(/^write requests\s+([\d.]+) per event/m.exec(stdout)?.[1]);
    expect(perEvent).toBeGreaterThan(0);
    expect(perEvent).toBeLessThanOrEqual(0.3);
    const hot = /without handleEvents\s+(\d+) write requests[\s\S]*with handleEvents\s+(\d+) write requests/.exec(stdout);
    expect(Number(hot?.[1])).toBe(500);
    expect(Number(hot?.[2])).toBeLessThanOrEqual(5);
    expect(stdout).toMatch(/balances exact: PASS/);
  }, 150_000);

  it("shows every runnable example, and each is checked here", () => {
    expect(programs.map((example) => example.file).sort()).toEqual(Object.keys(expectedOutput).sort());
  });

  it.each(examples.map((example) => [example.file, example] as const))("%s is shown verbatim", (file, example) => {
    expect(example.code).toBe(readFileSync(`${root}/${file}`, "utf8"));
  });

  it.each(Object.entries(testedModules))("shows the module %s, which %s imports and runs", (module, test) => {
    expect(examples.map((example) => example.file)).toContain(module);
    const name = module.split("/").at(-1)?.replace(/\.ts$/, "");
    expect(readFileSync(`${root}/${test}`, "utf8")).toContain(`from "../src/${name}.js"`);
  });

  it("shows the dynalite test example, which its own vitest project runs", () => {
    const file = "examples/dynalite-testing/test/balance-projection.test.ts";
    expect(examples.map((example) => example.file)).toContain(file);
    const config = readFileSync(`${root}/vitest.config.ts`, "utf8");
    expect(config).toContain(`project("example-dynalite", "examples/dynalite-testing")`);
  });

  for (const { file, code } of programs) {
    const title = `${file} runs against the built packages and prints what the README says`;
    const skipped = code.includes("startDynamoDBLocal(") ? missingJava : undefined;
    (skipped === undefined ? it : it.skip)(
      skipped === undefined ? title : `${title} [skipped: ${skipped}]`,
      async () => {
        const { stdout } = await run(process.execPath, [file], { cwd: root, timeout: 120_000 });
        expectedOutput[file]?.(stdout);
      },
      150_000,
    );
  }
});
