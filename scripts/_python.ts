/**
 * The Python environment of the reference tests: a virtual environment in
 * tools/python/.venv with the pinned packages of tools/python/requirements.txt, created
 * (with `python3 -m venv`, python3 installed from Debian when missing) and filled with pip
 * when the requirements changed since the last install.
 *
 * @module
 */

import { ensureCommand } from "./_debian.ts";
import { REPO_ROOT } from "./_repo.ts";

/** Where the pinned requirements are. */
export const REQUIREMENTS = `${REPO_ROOT}/tools/python/requirements.txt`;
/** The virtual environment. */
export const VENV = `${REPO_ROOT}/tools/python/.venv`;

/** Options of ensurePython(). */
export interface EnsurePythonOptions {
  /** Progress lines. @default console.error */
  log?: (line: string) => void;
  /** Bound on each command. @default 900000 */
  timeoutMs?: number;
}

async function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  const out = await new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-5).join("\n");
    throw new Error(`Cannot prepare Python as '${command} ${args.join(" ")}' failed: ${text}`);
  }
}

/**
 * Makes sure the virtual environment holds the pinned requirements; returns its bin
 * directory (put it first on PATH so that `python3` is the environment's).
 */
export async function ensurePython(options: EnsurePythonOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.timeoutMs ?? 900_000;
  const wanted = await Deno.readTextFile(REQUIREMENTS);
  const stamp = `${VENV}/.requirements`;
  const installed = await Deno.readTextFile(stamp).catch(() => "");
  if (installed === wanted) return `${VENV}/bin`;
  // Debian's python3-venv brings python3 and the venv module it lacks on its own.
  await ensureCommand("python3", { package: "python3-venv" });
  log("preparing the Python reference environment (tools/python/.venv)…");
  await Deno.remove(VENV, { recursive: true }).catch(() => {});
  await run("python3", ["-m", "venv", VENV], timeoutMs);
  await run(`${VENV}/bin/python3`, [
    "-m",
    "pip",
    "install",
    "--quiet",
    "--disable-pip-version-check",
    "-r",
    REQUIREMENTS,
  ], timeoutMs);
  await Deno.writeTextFile(stamp, wanted);
  return `${VENV}/bin`;
}

/**
 * Runs a Python reference `script` with `stdin` on the `python3` first on PATH (`deno task
 * test` puts tools/python/.venv/bin there) and returns its standard output; throws with the
 * script's error output, and how to install the references when a module is missing.
 */
export async function runPython(script: string, stdin: string): Promise<string> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("python3", {
      args: [script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    throw new Error(
      `Cannot run ${script} as python3 is missing (deno task test installs it): ${error}`,
    );
  }
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) {
    const hint = /No module named/.test(stderr)
      ? `a reference package is missing: run deno task test, or pip install -r ${REQUIREMENTS}\n`
      : "";
    throw new Error(`${hint}${script} failed (exit ${out.code}):\n${stderr}`);
  }
  return new TextDecoder().decode(out.stdout);
}
