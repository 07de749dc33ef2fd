/**
 * A memory cap through the cgroup v1 memory controller: a child cgroup of this process's own
 * memory cgroup with `memory.limit_in_bytes` set, which the capped process joins itself at
 * start (bench/larger_than_memory_worker.ts), because this kernel cannot move the charges of
 * a process that is moved in later. Needs root and a mounted v1 memory controller
 * (/sys/fs/cgroup/memory).
 *
 * @module
 */

import { join } from "node:path";

const ROOT = "/sys/fs/cgroup/memory";

/** Usage figures of a capped process. */
export interface CapUsage {
  /** memory.max_usage_in_bytes: peak charge of the cgroup (page cache included). */
  maxUsageBytes: number;
  /** memory.failcnt: how often the cap was hit (the kernel then reclaimed). */
  failCount: number;
  /** total_rss of memory.stat: anonymous memory charged now. */
  rssBytes: number;
  /** total_cache of memory.stat: page cache charged now. */
  cacheBytes: number;
  /** oom_kill of memory.oom_control: processes the cap killed. */
  oomKills: number;
}

/** A cgroup under a memory cap. */
export interface MemoryCap {
  /** The cgroup's directory; a process joins by writing its pid to `cgroup.procs`. */
  readonly path: string;
  readonly limitBytes: number;
  /** The pids in the cgroup. */
  pids(): Promise<number[]>;
  /** Forgets the peak so far (the cgroup's, and VmHWM of `pid`). */
  resetPeak(pid: number): Promise<void>;
  usage(): Promise<CapUsage>;
  /** Removes the cgroup (its process must have exited). */
  remove(): Promise<void>;
}

/** This process's memory cgroup directory, or undefined without a v1 memory controller. */
async function ownMemoryCgroup(): Promise<string | undefined> {
  const text = await Deno.readTextFile("/proc/self/cgroup").catch(() => "");
  const line = text.split("\n").find((l) => l.split(":")[1]?.split(",").includes("memory"));
  const path = line?.split(":").slice(2).join(":");
  if (path === undefined) return undefined;
  const dir = join(ROOT, path);
  try {
    await Deno.stat(join(dir, "memory.limit_in_bytes"));
    return dir;
  } catch {
    return undefined;
  }
}

async function readNumber(path: string): Promise<number> {
  return Number((await Deno.readTextFile(path)).trim());
}

/** A cgroup capped at `limitBytes`; undefined when cgroups cannot be used here. */
export async function createMemoryCap(limitBytes: number): Promise<MemoryCap | undefined> {
  const parent = await ownMemoryCgroup();
  if (parent === undefined) return undefined;
  const path = join(parent, `polaroid-ltm-${Deno.pid}`);
  try {
    await Deno.mkdir(path);
    await Deno.writeTextFile(join(path, "memory.limit_in_bytes"), String(limitBytes));
    // No swap here, but cap memory+swap too where the kernel accounts it.
    await Deno.writeTextFile(join(path, "memory.memsw.limit_in_bytes"), String(limitBytes))
      .catch(() => {});
  } catch (error) {
    await Deno.remove(path).catch(() => {});
    if (error instanceof Deno.errors.PermissionDenied) return undefined;
    throw error;
  }
  const file = (name: string) => join(path, name);
  return {
    path,
    limitBytes,
    async pids() {
      const text = await Deno.readTextFile(file("cgroup.procs"));
      return text.split("\n").filter((l) => l.trim() !== "").map(Number);
    },
    async resetPeak(pid) {
      await Deno.writeTextFile(file("memory.max_usage_in_bytes"), "0");
      await Deno.writeTextFile(`/proc/${pid}/clear_refs`, "5").catch(() => {});
    },
    async usage() {
      const stat = Object.fromEntries(
        (await Deno.readTextFile(file("memory.stat"))).trim().split("\n").map((l) => {
          const [k, v] = l.split(" ");
          return [k!, Number(v)];
        }),
      );
      const oom = await Deno.readTextFile(file("memory.oom_control"));
      return {
        maxUsageBytes: await readNumber(file("memory.max_usage_in_bytes")),
        failCount: await readNumber(file("memory.failcnt")),
        rssBytes: stat.total_rss ?? stat.rss ?? 0,
        cacheBytes: stat.total_cache ?? stat.cache ?? 0,
        oomKills: Number(/oom_kill (\d+)/.exec(oom)?.[1] ?? 0),
      };
    },
    async remove() {
      for (let i = 0; i < 50; i++) {
        try {
          await Deno.remove(path);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
  };
}

/** Memory of a process from /proc/<pid>/status, in bytes. */
export interface ProcessMemory {
  /** VmHWM: peak resident set (anonymous + file-mapped + shared). */
  hwmBytes: number;
  /** VmRSS now. */
  rssBytes: number;
  /** RssAnon now: heap and engine buffers. */
  anonBytes: number;
  /** RssFile now: mapped file pages (e.g. Parquet read through mmap; page cache). */
  fileBytes: number;
}

/** The memory of a process now. */
export async function processMemory(pid: number): Promise<ProcessMemory> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kib = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return {
    hwmBytes: kib("VmHWM"),
    rssBytes: kib("VmRSS"),
    anonBytes: kib("RssAnon"),
    fileBytes: kib("RssFile"),
  };
}

/** Samples a process's memory every `intervalMs` until stopped; keeps the peaks. */
export function sampleMemory(pid: number, intervalMs = 20): {
  stop(): Promise<{ peakAnonBytes: number; peakFileBytes: number; peakRssBytes: number }>;
} {
  const peak = { peakAnonBytes: 0, peakFileBytes: 0, peakRssBytes: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const m = await processMemory(pid).catch(() => undefined);
      if (m) {
        peak.peakAnonBytes = Math.max(peak.peakAnonBytes, m.anonBytes);
        peak.peakFileBytes = Math.max(peak.peakFileBytes, m.fileBytes);
        peak.peakRssBytes = Math.max(peak.peakRssBytes, m.rssBytes);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
