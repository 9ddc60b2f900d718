/**
 * `npm run release:check`: proves that the packages, as they would be published, install and work
 * outside this workspace (no workspace links).
 *
 * 1. Copies the repository's tracked files to a scratch folder and runs `changeset version` there,
 *    as a release would (this checkout is not touched).
 * 2. Packs every published package of that copy (`npm pack`, with the `dist` built here).
 * 3. Installs the adapter's tarballs alone into a scratch project and checks that no emulator
 *    (dynalite, LevelDB, tar) came with them.
 * 4. Installs every tarball into another scratch project and runs there: the quick start on the
 *    memory adapter, the DynamoDB quick start on dynalite, a conformance-kit run against the memory
 *    adapter, and `projectionkit --help` when the CLI package exists.
 *
 * Needs the npm registry (for the AWS SDK, vitest and fast-check). Run after `npm run build`.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const started = Date.now();

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function step(message: string): void {
  process.stdout.write(`[release:check ${((Date.now() - started) / 1000).toFixed(1)} s] ${message}\n`);
}

async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
    return stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${failure.stdout ?? ""}\n${failure.stderr ?? ""}\n${failure.message}`);
  }
}

async function manifest(folder: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(folder, "package.json"), "utf8")) as Manifest;
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(`release:check: ${message}`);
}

const scratch = await mkdtemp(join(tmpdir(), "projectionkit-release-"));
try {
  // 1. A scratch copy of the tracked files, versioned as a release would be.
  const copy = join(scratch, "repository");
  const tracked = (await run("git", ["ls-files", "-z"], root)).split("\0").filter((file) => file !== "");
  for (const file of tracked) {
    if (existsSync(join(root, file))) {
      await mkdir(join(copy, file, ".."), { recursive: true });
      await cp(join(root, file), join(copy, file));
    }
  }
  const packageFolders = (await readdir(join(copy, "packages"))).map((name) => join(copy, "packages", name));
  const published: Array<{ folder: string; before: Manifest }> = [];
  for (const folder of packageFolders) {
    const before = await manifest(folder);
    if (before.private !== true) published.push({ folder, before });
  }
  step(`copied ${tracked.length} tracked files; published packages: ${published.map((p) => p.before.name).join(", ")}`);
  await run(process.execPath, [join(root, "node_modules", "@changesets", "cli", "bin.js"), "version"], copy);
  const tarballs = join(scratch, "tarballs");
  await mkdir(tarballs);
  const packed = new Map<string, { file: string; version: string; manifest: Manifest }>();
  for (const { folder, before } of published) {
    const after = await manifest(folder);
    expect(after.version !== before.version, `changeset version left ${after.name} at ${before.version}: is a changeset missing?`);
    expect(existsSync(join(folder, "CHANGELOG.md")), `changeset version wrote no CHANGELOG.md for ${after.name}`);
    const built = join(root, "packages", folder.split("/").at(-1) as string, "dist");
    expect(existsSync(built), `${after.name} is not built: run npm run build first`);
    await cp(built, join(folder, "dist"), { recursive: true });
    const output = await run(npm, ["pack", "--json", "--pack-destination", tarballs], folder);
    const [{ filename }] = JSON.parse(output) as Array<{ filename: string }>;
    packed.set(after.name, { file: join(tarballs, filename), version: after.version, manifest: after });
  }
  step(`changeset version and npm pack: ${[...packed.values()].map((p) => `${p.manifest.name}@${p.version}`).join(", ")}`);

  const rootManifest = await manifest(root);
  const devVersion = (name: string): string => {
    for (const candidate of [rootManifest, ...[...packed.values()].map((p) => p.manifest)]) {
      const range = candidate.devDependencies?.[name] ?? candidate.dependencies?.[name];
      if (range !== undefined && !range.startsWith("0.0.0")) return range;
    }
    throw new Error(`no version range for ${name}`);
  };
  const tarball = (name: string): string => `file:${(packed.get(name) ?? { file: "" }).file}`;
  const consumer = async (name: string, dependencies: Record<string, string>): Promise<string> => {
    const folder = join(scratch, name);
    await mkdir(folder);
    await writeFile(join(folder, "package.json"), JSON.stringify({ name, private: true, type: "module", dependencies }, null, 2));
    await run(npm, ["install", "--no-audit", "--no-fund", "--loglevel=error"], folder, { npm_config_workspaces: "false" });
    return folder;
  };

  // 3. The adapter alone brings no emulator.
  const production = await consumer("production-install", {
    "@projectionkit/core": tarball("@projectionkit/core"),
    "@projectionkit/dynamodb": tarball("@projectionkit/dynamodb"),
    "@aws-sdk/client-dynamodb": devVersion("@aws-sdk/client-dynamodb"),
  });
  const installed = await readdir(join(production, "node_modules"));
  for (const unwanted of ["dynalite", "tar", "classic-level", "leveldown", "memory-level", "@projectionkit/dynamodb-testing"]) {
    expect(!installed.includes(unwanted) && !existsSync(join(production, "node_modules", unwanted)), `installing @projectionkit/dynamodb brought ${unwanted}`);
  }
  step(`a production install of @projectionkit/dynamodb has ${installed.length} top-level modules and no emulator, LevelDB or tar`);

  // 4. Everything, used as a user would.
  const dependencies: Record<string, string> = {
    "@aws-sdk/client-dynamodb": devVersion("@aws-sdk/client-dynamodb"),
    vitest: devVersion("vitest"),
  };
  for (const name of packed.keys()) dependencies[name] = tarball(name);
  const everything = await consumer("user-project", dependencies);

  await cp(join(root, "examples/quickstart/src/main.ts"), join(everything, "quickstart.ts"));
  const quickstart = await run(process.execPath, ["quickstart.ts"], everything);
  expect(quickstart.includes("balances: { 'acc-1': 42 }"), `the quick start printed:\n${quickstart}`);
  step("the quick start runs on the installed packages");

  const dynamoQuickstart = (await readFile(join(root, "examples/dynamodb-quickstart/src/main.ts"), "utf8")).replaceAll("startDynamoDBLocal", "startDynalite");
  await writeFile(join(everything, "dynamodb-quickstart.ts"), dynamoQuickstart);
  const dynamo = await run(process.execPath, ["dynamodb-quickstart.ts"], everything);
  expect(dynamo.includes("balance of acc-1: 42"), `the DynamoDB quick start on dynalite printed:\n${dynamo}`);
  step("the DynamoDB quick start runs on dynalite");

  await writeFile(
    join(everything, "conformance.test.ts"),
    [
      'import { describeResourceRepositoryConformance } from "@projectionkit/conformance";',
      'import { MemoryResourceRepository } from "@projectionkit/memory";',
      "",
      "describeResourceRepositoryConformance({",
      '  name: "memory, as installed",',
      "  create: () => ({ repository: new MemoryResourceRepository() }),",
      "  capabilities: { concurrentCalls: true, reportsStoredVersion: true },",
      "  run: { numRuns: 20 },",
      "});",
      "",
    ].join("\n"),
  );
  const kit = await run(process.execPath, [join(everything, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=dot"], everything, { CI: "" });
  const passed = /Tests\s+(\d+) passed/.exec(kit.replaceAll(/\u001b\[[0-9;]*m/g, ""));
  expect(passed !== null && Number(passed[1]) > 10, `the conformance kit run printed:\n${kit}`);
  step(`the conformance kit runs against the memory adapter: ${passed?.[1]} tests passed`);

  const cli = [...packed.values()].find((p) => p.manifest.bin?.["projectionkit"] !== undefined);
  if (cli !== undefined) {
    const help = await run(join(everything, "node_modules", ".bin", "projectionkit"), ["--help"], everything);
    expect(/versions/.test(help) && /reset/.test(help) && /check/.test(help), `projectionkit --help printed:\n${help}`);
    step("projectionkit --help lists versions, reset and check");
  } else {
    step("no package has the projectionkit bin yet: skipped its check");
  }
  step("PASS");
} finally {
  await rm(scratch, { recursive: true, force: true });
}
