/**
 * The client processes of the restart harness (scripts/restarts.ts): each runs
 * scripts/_restarts_client.ts; their counts are read from their stdout as they go, a client
 * that dies is counted (exit code or signal) and started again so that the load goes on.
 *
 * @module
 */

import { REPO_ROOT } from "./_repo.ts";

/** What one client process counted (the JSON lines of scripts/_restarts_client.ts). */
export interface ClientCounts {
  ok: Record<string, number>;
  failed: Record<string, number>;
  retries: number;
  goaways: number;
  refused: number;
  lostSources: number;
}

/** A client process that died. */
export interface ClientDeath {
  id: string;
  code: number;
  signal: string | null;
}

/** Options of ClientFleet. */
export interface ClientFleetOptions {
  /** Arguments of each client after `--id`, by client number (from 1). */
  args: (client: number) => string[];
  /** Directory of the `client-<n>.log` files (their stderr). */
  logDir: string;
}

interface Member {
  number: number;
  /** Starts of this client, 1 for the first. */
  generation: number;
  child: Deno.ChildProcess;
  /** Counts of this process so far. */
  counts: ClientCounts;
  final: boolean;
  done: Promise<void>;
}

const none = (): ClientCounts => ({
  ok: {},
  failed: {},
  retries: 0,
  goaways: 0,
  refused: 0,
  lostSources: 0,
});

/** Adds `b` into `a`. */
export function addCounts(a: ClientCounts, b: ClientCounts): ClientCounts {
  const sum = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    ok: sum(a.ok, b.ok),
    failed: sum(a.failed, b.failed),
    retries: a.retries + b.retries,
    goaways: a.goaways + b.goaways,
    refused: a.refused + b.refused,
    lostSources: a.lostSources + b.lostSources,
  };
}

/** Calls that succeeded in `counts`. */
export function okCalls(counts: ClientCounts): number {
  return Object.values(counts.ok).reduce((a, b) => a + b, 0);
}

/** Several client processes under supervision. */
export class ClientFleet {
  readonly #options: ClientFleetOptions;
  readonly #members = new Map<number, Member>();
  /** Counts of processes that ended (died or stopped). */
  #past = none();
  readonly deaths: ClientDeath[] = [];
  #stopping = false;

  constructor(options: ClientFleetOptions) {
    this.#options = options;
  }

  /** Starts clients 1..n. */
  start(n: number): void {
    for (let i = 1; i <= n; i++) this.#spawn(i, 1);
  }

  /** Counts of every process, live and ended, so far. */
  totals(): ClientCounts {
    let total = this.#past;
    for (const m of this.#members.values()) total = addCounts(total, m.counts);
    return total;
  }

  /** Successful calls of each live client, by client number. */
  progress(): Map<number, number> {
    return new Map([...this.#members.values()].map((m) => [m.number, okCalls(m.counts)]));
  }

  /** Closes every client's stdin and waits for its last counts; kills it after `graceMs`. */
  async stop(graceMs = 60_000): Promise<void> {
    this.#stopping = true;
    const members = [...this.#members.values()];
    await Promise.all(members.map((m) => m.child.stdin.close().catch(() => {})));
    const timer = setTimeout(() => {
      for (const m of members) {
        try {
          m.child.kill("SIGKILL");
        } catch {
          // exited
        }
      }
    }, graceMs);
    await Promise.all(members.map((m) => m.done));
    clearTimeout(timer);
  }

  #spawn(number: number, generation: number): void {
    const args = ["run", "-A", "--v8-flags=--expose-gc", "scripts/_restarts_client.ts"];
    const child = new Deno.Command(Deno.execPath(), {
      args: [...args, "--id", `${number}`, ...this.#options.args(number)],
      cwd: REPO_ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const member: Member = {
      number,
      generation,
      child,
      counts: none(),
      final: false,
      done: Promise.resolve(),
    };
    const log = Deno.openSync(`${this.#options.logDir}/client-${number}.log`, {
      append: true,
      create: true,
    });
    const stderr = child.stderr.pipeTo(log.writable).catch(() => {});
    const stdout = (async () => {
      let pending = "";
      for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
        pending += text;
        const lines = pending.split("\n");
        pending = lines.pop()!;
        for (const line of lines) {
          const parsed = JSON.parse(line) as ClientCounts & { final?: boolean };
          member.counts = { ...none(), ...parsed };
          if (parsed.final) member.final = true;
        }
      }
    })();
    member.done = (async () => {
      const status = await child.status;
      await Promise.allSettled([stdout, stderr]);
      this.#members.delete(number);
      this.#past = addCounts(this.#past, member.counts);
      if (this.#stopping && status.success) return;
      this.deaths.push({ id: `${number}.${generation}`, code: status.code, signal: status.signal });
      if (!this.#stopping) this.#spawn(number, generation + 1);
    })();
    this.#members.set(number, member);
  }
}
