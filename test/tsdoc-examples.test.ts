import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkExamples, tsdocExamples, type TsdocExample } from "./support/tsdoc-examples.js";

const root = fileURLToPath(new URL("..", import.meta.url));

const sample = (code: string): TsdocExample => ({ file: "packages/memory/src/sample.ts", line: 1, internal: false, code });

describe("TSDoc examples of the published packages", () => {
  it("the checker refuses an example that misuses the API and accepts one that uses it well", () => {
    const good = sample(`const projection = memoryProjection<{ n: number }, { type: "A" }>({\n  configure(c) { c.identity("a", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11"); c.handlesEvents("A"); },\n  initialState: { n: 0 },\n  handleEvent(state) { state.n += 1; },\n});\nprojection.state.n;`);
    const wrongOption = sample(`memoryProjection(handler, { freze: false });`);
    const wrongResult = sample(`const n: number = streamEventVersions("a", 0).resource;`);
    const member = sample(`handleEvent(state, _scope, event) {\n  state.count += event.amount;\n}`);
    const errors = checkExamples(root, [good, wrongOption, wrongResult, member]);
    expect(errors.map((error) => error.example)).toEqual([wrongOption, wrongResult]);
    expect(errors[0]?.messages.join("\n")).toMatch(/freze/);
  }, 120_000);

  it("no @internal declaration carries an @example, and the public ones have many", async () => {
    const examples = await tsdocExamples(root);
    expect(examples.filter((example) => example.internal).map((example) => `${example.file}:${example.line}`)).toEqual([]);
    expect(examples.length).toBeGreaterThan(300);
  });

  it("every public example compiles against the packages' sources", async () => {
    const errors = checkExamples(root, await tsdocExamples(root));
    expect(errors.map(({ example, messages }) => `${example.file}:${example.line} ${messages.join(" | ")}`)).toEqual([]);
  }, 300_000);
});
