/**
 * CPU time of processes from /proc (Linux): utime + stime of a process and of every process
 * below it (nginx's workers are children of its master), and the frame cache counters a
 * compute worker exports in /metrics.
 *
 * @module
 */

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`; 100 when unknown). */
export async function clockTicks(): Promise<number> {
  try {
    const out = await new Deno.Command("getconf", { args: ["CLK_TCK"], stdout: "piped" }).output();
    const n = Number(new TextDecoder().decode(out.stdout).trim());
    return Number.isSafeInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/**
 * utime + stime, in ticks, from the text of /proc/<pid>/stat. The command name (field 2) may
 * hold spaces and parentheses, so fields are counted after its last ")".
 */
export function statTicks(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new RangeError(
      `Cannot read CPU times as /proc/<pid>/stat must have numeric fields 14 and 15: current value is ${
        stat.slice(0, 120)
      }`,
    );
  }
  return utime + stime;
}

/** The pids of a process's children (every thread's), from /proc; [] when it is gone. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/children`).trim();
      if (text !== "") out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // the process (or a thread) ended while being read
  }
  return out;
}

/** CPU seconds used so far by a process and every process below it; 0 for a gone one. */
export function treeCpuSeconds(pid: number, ticksPerSecond: number): number {
  let ticks = 0;
  const seen = new Set<number>();
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    try {
      ticks += statTicks(Deno.readTextFileSync(`/proc/${p}/stat`));
    } catch {
      continue; // ended
    }
    stack.push(...childPids(p));
  }
  return ticks / ticksPerSecond;
}

/** CPU seconds used so far by one process alone (its threads, not its children). */
export function processCpuSeconds(pid: number, ticksPerSecond: number): number {
  try {
    return statTicks(Deno.readTextFileSync(`/proc/${pid}/stat`)) / ticksPerSecond;
  } catch {
    return 0; // ended
  }
}

/** CPU seconds of each named process tree, at one moment. */
export function sampleCpu(
  pids: Readonly<Record<string, number>>,
  ticksPerSecond: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, treeCpuSeconds(pid, ticksPerSecond)]),
  );
}

/** `after - before` per name (names missing from `before` count from 0). */
export function cpuDelta(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([name, s]) => [name, s - (before[name] ?? 0)]),
  );
}

/** The frame cache counters of one worker. */
export interface CacheLookups {
  hit: number;
  miss: number;
  eviction: number;
}

/** `polaroid_frame_cache_lookups{result=...}` from a /metrics text (0 when absent). */
export function cacheLookups(metrics: string): CacheLookups {
  const out: CacheLookups = { hit: 0, miss: 0, eviction: 0 };
  for (const line of metrics.split("\n")) {
    if (!line.startsWith("polaroid_frame_cache_lookups{")) continue;
    const m = /result="(hit|miss|eviction)"[^}]*\}\s+(\S+)/.exec(line);
    if (m) out[m[1] as keyof CacheLookups] = Number(m[2]);
  }
  return out;
}

/** The cache counters of a worker, from its `http://host:port` status address. */
export async function fetchCacheLookups(http: string): Promise<CacheLookups> {
  const response = await fetch(`${http}/metrics`, { signal: AbortSignal.timeout(10_000) });
  return cacheLookups(await response.text());
}

/** One variable of a running process's environment, from /proc/<pid>/environ. */
export function processEnv(pid: number, name: string): string | undefined {
  const text = Deno.readTextFileSync(`/proc/${pid}/environ`);
  const entry = text.split("\0").find((e) => e.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}

/**
 * The `http://host:port` status address of every compute worker of a cluster (by process
 * name "compute", "compute-2", ...), from the POLAROID_COMPUTE_HTTP_PORT each was started with.
 */
export function workerStatusUrls(pids: Readonly<Record<string, number>>, host: string): string[] {
  return Object.entries(pids)
    .filter(([name]) => /^compute(-\d+)?$/.test(name))
    .map(([name, pid]) => {
      const port = processEnv(pid, "POLAROID_COMPUTE_HTTP_PORT");
      if (port === undefined) {
        throw new Error(
          `Cannot find the status port of ${name} as its environment must hold POLAROID_COMPUTE_HTTP_PORT: current value is undefined`,
        );
      }
      return `http://${host}:${port}`;
    });
}
