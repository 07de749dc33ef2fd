/**
 * `deno task proto`: regenerates shared/gen from proto/ with the pinned generators (buf and
 * ts-proto from tools/protogen, installed with `npm ci` when missing), then runs `buf lint`.
 *
 * proto/buf.gen.yaml is the one description of how code is generated; `generate(outDir)`
 * runs it with only the output directory changed (the freshness test uses that).
 *
 * @module
 */

import { dirname, isAbsolute, resolve } from "node:path";
import { REPO_ROOT } from "./_repo.ts";

/** Where the .proto files and buf's configuration live. */
export const PROTO_DIR = `${REPO_ROOT}/proto`;
/** Where the generated TypeScript is committed. */
export const GEN_DIR = `${REPO_ROOT}/shared/gen`;
/** The npm project that pins buf and ts-proto. */
export const PROTOGEN_DIR = `${REPO_ROOT}/tools/protogen`;

const BUF = `${PROTOGEN_DIR}/node_modules/.bin/buf`;
const TS_PROTO = `${PROTOGEN_DIR}/node_modules/.bin/protoc-gen-ts_proto`;

/** Options of the functions that run tools. */
export interface ToolOptions {
  /** Progress lines. @default console.error */
  log?: (line: string) => void;
  /** Bound on each tool run. @default 600000 */
  timeoutMs?: number;
}

/**
 * Installs the pinned generators (`npm ci` in tools/protogen) unless they are there. When
 * npm refuses the lockfile as out of sync (npm 11 does so for optional per-platform packages
 * it did not record), falls back to `npm install --no-save`, which keeps the lockfile as it is.
 */
export async function ensureGenerators(options: ToolOptions = {}): Promise<void> {
  if (await executable(BUF) && await executable(TS_PROTO)) return;
  const log = options.log ?? ((line: string) => console.error(line));
  log("installing the pinned protobuf generators (npm ci in tools/protogen)…");
  const flags = ["--prefix", PROTOGEN_DIR, "--no-audit", "--no-fund"];
  try {
    await run("npm", ["ci", ...flags], REPO_ROOT, options);
  } catch (error) {
    const reason = String(error instanceof Error ? error.message : error).split("\n")
      .find((line) => /^npm error [^ ]/.test(line) && !line.startsWith("npm error code")) ?? "";
    log(`npm ci failed (${reason.replace(/^npm error\s*/, "")}); trying npm install --no-save…`);
    await run("npm", ["install", "--no-save", ...flags], REPO_ROOT, options);
  }
  if (!await executable(BUF) || !await executable(TS_PROTO)) {
    throw new Error(`Cannot generate code as ${BUF} is still missing after npm ci`);
  }
}

/**
 * buf.gen.yaml with every plugin's `out` set to `outDir` and relative `local` plugin paths
 * made absolute, so that it can run from any directory.
 */
export function rewriteTemplate(template: string, outDir: string, baseDir: string): string {
  let outs = 0;
  const text = template.replace(
    /^([ \t]*(?:-[ \t]+)?)(out|local):[ \t]*(\S+)[ \t]*$/gm,
    (_line, indent: string, key: string, value: string) => {
      if (key === "out") {
        outs++;
        return `${indent}out: ${JSON.stringify(resolve(outDir))}`;
      }
      const path = value.includes("/") && !isAbsolute(value) ? resolve(baseDir, value) : value;
      return `${indent}local: ${JSON.stringify(path)}`;
    },
  );
  if (outs === 0) {
    throw new Error("Cannot rewrite buf.gen.yaml as it must name an 'out' directory: none found");
  }
  return text;
}

/** Generates the TypeScript of every .proto under proto/ into `outDir` (created if missing). */
export async function generate(outDir: string, options: ToolOptions = {}): Promise<void> {
  await ensureGenerators(options);
  const template = rewriteTemplate(
    await Deno.readTextFile(`${PROTO_DIR}/buf.gen.yaml`),
    outDir,
    PROTO_DIR,
  );
  const dir = await Deno.makeTempDir({ prefix: "polaroid-buf-" });
  try {
    await Deno.writeTextFile(`${dir}/buf.gen.yaml`, template);
    await Deno.mkdir(outDir, { recursive: true });
    await run(BUF, ["generate", "--template", `${dir}/buf.gen.yaml`], PROTO_DIR, options);
    await raiseDecodeDepth(outDir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Nesting of messages the generated decoders accept. ts-proto 2.18 hard-codes 100, which
 * refuses a plan of ~50 nodes (each plan level is two messages: Plan and its node) before
 * the server can say why. The plan validator's limits (POLAROID_MAX_PLAN_DEPTH: 1000 plan
 * and expression levels together, ~2000 messages) are the real bound; 4000 leaves room for
 * the wrappers of function arguments. Measured: a plan of 2300 levels (4600 messages)
 * encodes and decodes within V8's default stack, so no accepted input overflows it.
 */
export const DECODE_DEPTH = 4000;

const TS_PROTO_DEPTH_CHECK = "previousRecursionDepth >= 100)";

/** Raises the decode recursion limit of every generated file under `dir` to DECODE_DEPTH. */
export async function raiseDecodeDepth(dir: string): Promise<void> {
  let found = 0;
  for await (const path of walkTs(dir)) {
    const text = await Deno.readTextFile(path);
    if (!text.includes(TS_PROTO_DEPTH_CHECK)) continue;
    found++;
    await Deno.writeTextFile(
      path,
      text.replaceAll(TS_PROTO_DEPTH_CHECK, `previousRecursionDepth >= ${DECODE_DEPTH})`),
    );
  }
  if (found === 0) {
    throw new Error(
      `Cannot raise the decode depth as no generated file holds '${TS_PROTO_DEPTH_CHECK}': the generator changed`,
    );
  }
}

async function* walkTs(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walkTs(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

/** Runs `buf lint` on proto/; throws with buf's findings. */
export async function lint(options: ToolOptions = {}): Promise<void> {
  await ensureGenerators(options);
  await run(BUF, ["lint"], PROTO_DIR, options);
}

/** Regenerates shared/gen in place: generated beside it, then swapped in whole. */
export async function regenerate(options: ToolOptions = {}): Promise<void> {
  const parent = dirname(GEN_DIR);
  const fresh = await Deno.makeTempDir({ dir: parent, prefix: ".gen-" });
  try {
    await generate(fresh, options);
    await Deno.remove(GEN_DIR, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    await Deno.rename(fresh, GEN_DIR);
  } catch (error) {
    await Deno.remove(fresh, { recursive: true }).catch(() => {});
    throw error;
  }
}

async function executable(path: string): Promise<boolean> {
  try {
    return ((await Deno.stat(path)).mode ?? 0o111) & 0o111 ? true : false;
  } catch {
    return false;
  }
}

async function run(command: string, args: string[], cwd: string, options: ToolOptions) {
  const timeoutMs = options.timeoutMs ?? 600_000;
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(command, {
      args,
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
  } catch (error) {
    throw new Error(`Cannot run ${command} ${args.join(" ")}: ${String(error)}`, { cause: error });
  }
  if (!out.success) {
    const text = (new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr))
      .trim();
    const how = out.signal ? `signal ${out.signal}` : `code ${out.code}`;
    throw new Error(`${command.split("/").pop()} ${args.join(" ")} failed (${how}):\n${text}`);
  }
}

if (import.meta.main) {
  try {
    await regenerate();
    console.log(`generated ${GEN_DIR.slice(REPO_ROOT.length + 1)} from proto/`);
    await lint();
    console.log("buf lint: ok");
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
