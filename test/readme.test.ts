import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${root}/README.md`, "utf8");

/** The code block that follows a `<!-- quickstart: <file> -->` marker, with the file it shows. */
function quickstartBlock(): { file: string; code: string } {
  const match = /<!-- quickstart: (\S+) -->\n```ts\n([\s\S]*?)```/.exec(readme);
  if (match === null) {
    throw new Error("README.md has no quick-start block");
  }
  return { file: match[1] as string, code: match[2] as string };
}

describe("README", () => {
  it("opens with the demo command and the test command, and .ci/run calls the test command", () => {
    const commands = [...readme.matchAll(/^npm ci && npm (?:run demo|test)$/gm)].map((m) => m[0]);
    expect(commands).toEqual(["npm ci && npm run demo", "npm ci && npm test"]);
    expect(readme.indexOf("npm ci && npm run demo")).toBeLessThan(readme.indexOf("## "));
    const ci = readFileSync(`${root}/.ci/run`, "utf8");
    expect(ci.split("\n").filter((line) => line.trim() === "npm ci && npm test")).toHaveLength(1);
    const scripts = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["demo"]).toBeDefined();
    expect(scripts["test"]).toBeDefined();
  });

  it("the quick start is the example file, verbatim", () => {
    const { file, code } = quickstartBlock();
    expect(code).toBe(readFileSync(`${root}/${file}`, "utf8"));
  });

  it("the quick start runs against the built packages and prints each deposit once", async () => {
    const { file } = quickstartBlock();
    const { stdout } = await run(process.execPath, [file], { cwd: root });
    expect(stdout).toContain("offset 1: duplicate, skipped");
    expect(stdout.match(/: applied/g)).toHaveLength(3);
    expect(stdout).toContain("balances: { 'acc-1': 42 }");
  });
});
