/**
 * Finding the Debian-packaged servers the project runs locally (nats-server, later redis,
 * prometheus, nginx) and installing them with apt-get when running as root.
 *
 * @module
 */

/** Options of ensureCommand(). */
export interface EnsureCommandOptions {
  /** Debian package that provides the command. @default the command's name */
  package?: string;
  /** Places to look besides PATH. @default ["/usr/sbin/<name>", "/usr/local/sbin/<name>", "/usr/bin/<name>"] */
  paths?: readonly string[];
  /** Bound on each apt-get run. @default 300000 */
  timeoutMs?: number;
  /** Progress lines. @default console.error */
  log?: (line: string) => void;
  /** Install when missing (only possible as root). @default true */
  install?: boolean;
}

/** Thrown when a required command is missing and cannot be installed here. */
export class MissingCommandError extends Error {
  override name = "MissingCommandError";
}

/** The absolute path of `name`, from PATH or the given places, or undefined. */
export async function findCommand(
  name: string,
  paths: readonly string[] = defaultPaths(name),
): Promise<string | undefined> {
  const which = await new Deno.Command("sh", {
    args: ["-c", 'command -v "$0"', name],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  const found = which?.success ? new TextDecoder().decode(which.stdout).trim() : "";
  if (found.startsWith("/")) return found;
  for (const path of paths) {
    try {
      const info = await Deno.stat(path);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return path;
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * Returns the path of `name`; when it is missing and this process runs as root, installs
 * its Debian package first (`apt-get update` only if the first install attempt fails).
 */
export async function ensureCommand(
  name: string,
  options: EnsureCommandOptions = {},
): Promise<string> {
  const pkg = options.package ?? name;
  const paths = options.paths ?? defaultPaths(name);
  const existing = await findCommand(name, paths);
  if (existing) return existing;
  if (options.install === false || Deno.uid() !== 0) {
    throw new MissingCommandError(`${name} is missing: run \`sudo apt-get install ${pkg}\``);
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.timeoutMs ?? 300_000;
  log(`${name} is missing: installing the Debian package ${pkg} with apt-get…`);
  let result = await apt(["install", "-y", "--no-install-recommends", pkg], timeoutMs);
  if (!result.ok) {
    log(`apt-get install failed; running apt-get update and trying again…`);
    const update = await apt(["update"], timeoutMs);
    if (!update.ok) log(`apt-get update failed:\n${update.tail}`);
    result = await apt(["install", "-y", "--no-install-recommends", pkg], timeoutMs);
  }
  const installed = await findCommand(name, paths);
  if (!result.ok || !installed) {
    throw new MissingCommandError(
      `${name} is missing and \`apt-get install ${pkg}\` failed:\n${result.tail}`,
    );
  }
  log(`${name} installed at ${installed}`);
  return installed;
}

function defaultPaths(name: string): string[] {
  return [`/usr/sbin/${name}`, `/usr/local/sbin/${name}`, `/usr/bin/${name}`];
}

async function apt(args: string[], timeoutMs: number): Promise<{ ok: boolean; tail: string }> {
  try {
    const out = await new Deno.Command("apt-get", {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { ok: out.success, tail: text.trim().split("\n").slice(-15).join("\n") };
  } catch (error) {
    return { ok: false, tail: `apt-get ${args[0]} did not finish: ${String(error)}` };
  }
}
