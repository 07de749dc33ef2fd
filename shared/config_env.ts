/**
 * Reading `POLAROID_*` variables for config.ts: one helper per kind of value (text, integer,
 * byte size, flag, choice, endpoint), each throwing ConfigError with a message naming the
 * variable.
 *
 * @module
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown at start-up for a malformed variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;

export function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export function str(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function int(
  env: Env,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
) {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `Cannot start as '${name}' must be an integer in [${min}, ${max}]: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}

const SIZE = /^(\d+)\s*(b|kib|k|mib|m|gib|g|tib|t)?$/i;
const UNITS: Record<string, number> = {
  b: 1,
  k: KIB,
  kib: KIB,
  m: MIB,
  mib: MIB,
  g: GIB,
  gib: GIB,
  t: 1024 * GIB,
  tib: 1024 * GIB,
};

/** A byte size: a plain integer or one with a unit (`512MiB`, `2g`). */
export function bytes(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const match = SIZE.exec(value);
  const n = match ? Number(match[1]) * UNITS[(match[2] ?? "b").toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new ConfigError(
      `Cannot start as '${name}' must be a positive byte size such as 512MiB: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}

/** An optional byte size: undefined when the variable is unset or empty. */
export function optionalBytes(env: Env, name: string): number | undefined {
  return raw(env, name) === undefined ? undefined : bytes(env, name, 0);
}

export function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (value !== "true" && value !== "false") {
    throw new ConfigError(
      `Cannot configure ${name} as it must be true or false: current value is ${value}`,
    );
  }
  return value === "true";
}

export function choice<T extends string>(
  env: Env,
  name: string,
  options: readonly T[],
  fallback: T,
): T {
  const value = raw(env, name) ?? fallback;
  if (!(options as readonly string[]).includes(value)) {
    throw new ConfigError(
      `Cannot start as '${name}' must be one of ${options.join(", ")}: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return value as T;
}

const ENDPOINT = /^[A-Za-z0-9.\-_:[\]]+:\d{1,5}$/;

export function endpoint(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (!ENDPOINT.test(value)) {
    throw new ConfigError(
      `Cannot start as '${name}' must be host:port: current value is ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * A secret: the value of `name`, or the text of the file `${name}_FILE` names (trimmed), so
 * that secrets can come from mounted files instead of the environment; undefined when neither
 * is set, ConfigError when both are or the file cannot be read. The value never appears in a
 * message.
 */
export function secret(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  const file = raw(env, `${name}_FILE`);
  if (value !== undefined && file !== undefined) {
    throw new ConfigError(`Cannot start as both '${name}' and '${name}_FILE' are set: set one`);
  }
  return file === undefined ? value : readConfigFile(file, `${name}_FILE`);
}

/** The text of a file a variable names; ConfigError naming the variable when unreadable. */
export function readConfigFile(path: string, variable: string): string {
  try {
    return Deno.readTextFileSync(path).trim();
  } catch (error) {
    throw new ConfigError(
      `Cannot start as the file '${variable}' names cannot be read (${path}): ${
        (error as Error).name
      }`,
    );
  }
}
