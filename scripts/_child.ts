/**
 * One supervised child process of a local cluster: output to a log file (and optionally
 * echoed with the process's name), readiness probing, graceful stop with a bounded wait,
 * and restarts with backoff when it exits unexpectedly.
 *
 * @module
 */

import { delay, waitFor } from "./_wait.ts";

/** How to run one child. */
export interface ChildSpec {
  /** Name used in log prefixes and messages. */
  name: string;
  /** Executable. */
  command: string;
  args: readonly string[];
  /** Added to the parent's environment. */
  env: Record<string, string>;
  cwd: string;
  /** Where stdout and stderr are appended. */
  logFile: string;
  /** True when the child is ready to serve. */
  ready: () => Promise<boolean>;
  /** Which output lines are echoed (when echo is on). @default every line */
  echoFilter?: (line: string) => boolean;
  /** Makes the kernel signal the child when this process dies (`setpriv --pdeathsig`). */
  setpriv?: string | undefined;
}

/** Behaviour of a ManagedChild. */
export interface ChildOptions {
  /** Restart after an unexpected exit. @default false */
  restart?: boolean;
  /** Echo output lines to the console, prefixed with the name. @default false */
  echo?: boolean;
  /** Notices (restarts, unexpected exits with the last lines of output). @default console.error */
  notice?: (line: string) => void;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/** Lines of output shown with a notice of an unexpected exit. */
const TAIL_LINES = 15;
/** A child that stayed up this long starts its backoff afresh. */
const STABLE_MS = 30_000;

/** A child process under supervision. */
export class ManagedChild {
  readonly spec: ChildSpec;
  #options: ChildOptions;
  #child: Deno.ChildProcess | undefined;
  #exited: Promise<Deno.CommandStatus> = Promise.resolve({ success: true, code: 0, signal: null });
  #running = false;
  #stopping = false;
  #failures = 0;
  #restarts = 0;
  #supervisor: Promise<void> = Promise.resolve();
  #wake = new AbortController();
  #restartPending: Promise<void> | undefined;

  constructor(spec: ChildSpec, options: ChildOptions = {}) {
    this.spec = spec;
    this.#options = options;
  }

  /** The current process id, while it runs. */
  get pid(): number | undefined {
    return this.#running ? this.#child?.pid : undefined;
  }

  /** Whether the process is running. */
  get running(): boolean {
    return this.#running;
  }

  /** How many times the supervisor restarted the process. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Starts the process (again). */
  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    this.#wake = new AbortController();
    const { spec } = this;
    const [command, args] = spec.setpriv
      ? [spec.setpriv, ["--pdeathsig", "SIGTERM", "--", spec.command, ...spec.args]]
      : [spec.command, [...spec.args]];
    const child = new Deno.Command(command, {
      args,
      env: spec.env,
      cwd: spec.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      // Its own session: a Ctrl-C in the terminal reaches only this process, which then
      // stops its children in order instead of them racing each other.
      detached: true,
    }).spawn();
    this.#child = child;
    this.#running = true;
    const startedAt = Date.now();
    const log = Deno.openSync(spec.logFile, { append: true, create: true });
    const pumps = [this.#pump(child.stdout, log), this.#pump(child.stderr, log)];
    this.#exited = child.status.then(async (status) => {
      this.#running = false;
      await Promise.allSettled(pumps);
      log.close();
      return status;
    });
    this.#supervisor = this.#exited.then((status) => this.#onExit(status, startedAt));
  }

  /** Resolves when the ready probe holds; rejects if the process exits first or on timeout. */
  async waitReady(timeoutMs: number): Promise<void> {
    if (!this.#running && this.#restartPending) await this.#restartPending;
    if (!this.#running) throw new Error(`${this.spec.name} is not running`);
    const exit = new AbortController();
    let waiting = true;
    this.#exited.then((status) => {
      if (waiting) {
        exit.abort(new Error(`${this.spec.name} exited before it was ready (${describe(status)})`));
      }
    });
    try {
      await waitFor(this.spec.ready, {
        timeoutMs,
        intervalMs: 100,
        signal: AbortSignal.any([exit.signal, this.#wake.signal]),
        what: `${this.spec.name} to be ready`,
      });
    } finally {
      waiting = false;
    }
  }

  /** Sends a signal; resolves with the exit status once the process exits. */
  kill(signal: Deno.Signal = "SIGKILL"): Promise<Deno.CommandStatus> {
    const exited = this.#exited;
    try {
      if (this.#running) this.#child?.kill(signal);
    } catch {
      // exited meanwhile
    }
    return exited;
  }

  /** SIGKILL at once, synchronously (for process exit paths). */
  killNow(): void {
    this.#stopping = true;
    if (!this.#running) return;
    try {
      this.#child?.kill("SIGKILL");
    } catch {
      // already gone
    }
  }

  /** Marks the process as stopping: an exit from now on is expected and not restarted. */
  beginStop(): void {
    this.#stopping = true;
    this.#wake.abort(new Error(`${this.spec.name} is stopping`));
  }

  /** SIGTERM, then SIGKILL after `graceMs`; no restart follows. Safe to call twice. */
  async stop(graceMs = 5000): Promise<Deno.CommandStatus> {
    this.beginStop();
    const exited = this.#exited;
    if (this.#running) {
      try {
        this.#child?.kill("SIGTERM");
      } catch {
        // exited meanwhile
      }
      const timer = setTimeout(() => {
        if (!this.#running) return;
        (this.#options.notice ?? console.error)(
          `${this.spec.name} did not stop within ${graceMs} ms: killing it`,
        );
        this.killNow();
      }, graceMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    }
    await this.#supervisor;
    return exited;
  }

  /** The last `lines` lines of the log file. */
  tail(lines = 40): string {
    try {
      return Deno.readTextFileSync(this.spec.logFile).trimEnd().split("\n").slice(-lines).join(
        "\n",
      );
    } catch {
      return "(no output)";
    }
  }

  async #onExit(status: Deno.CommandStatus, startedAt: number): Promise<void> {
    if (this.#stopping) return;
    const notice = (line: string) =>
      (this.#options.notice ?? console.error)(
        `${line}\n--- last lines of ${this.spec.logFile} ---\n${this.tail(TAIL_LINES)}`,
      );
    if (!this.#options.restart) {
      notice(`${this.spec.name} exited unexpectedly (${describe(status)})`);
      return;
    }
    if (Date.now() - startedAt >= STABLE_MS) this.#failures = 0;
    const backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** this.#failures);
    this.#failures++;
    notice(
      `${this.spec.name} exited unexpectedly (${describe(status)}); restarting in ${backoff} ms`,
    );
    const pending = Promise.withResolvers<void>();
    this.#restartPending = pending.promise;
    try {
      await delay(backoff, this.#wake.signal);
      if (this.#stopping) return;
      this.#restarts++;
      this.start();
    } catch {
      // stopped while waiting
    } finally {
      this.#restartPending = undefined;
      pending.resolve();
    }
  }

  async #pump(stream: ReadableStream<Uint8Array>, log: Deno.FsFile): Promise<void> {
    const encoder = new TextEncoder();
    let pending = "";
    const emit = (line: string) => {
      log.writeSync(encoder.encode(line + "\n"));
      if (this.#options.echo && (this.spec.echoFilter?.(line) ?? true)) {
        console.log(formatLine(this.spec.name, line));
      }
    };
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) emit(line);
    }
    if (pending) emit(pending);
  }
}

/** "code 1", "signal SIGKILL". */
export function describe(status: Deno.CommandStatus): string {
  return status.signal ? `signal ${status.signal}` : `code ${status.code}`;
}

/** A console line for one line of output: JSON log lines are shown as `level msg {fields}`. */
export function formatLine(name: string, line: string): string {
  const prefix = `${name.padEnd(10)}|`;
  if (!line.startsWith("{")) return `${prefix} ${line}`;
  try {
    const { ts: _ts, level, msg, service: _service, ...rest } = JSON.parse(line) as Record<
      string,
      unknown
    >;
    const fields = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
    return `${prefix} ${String(level ?? "")} ${String(msg ?? "")}${fields}`;
  } catch {
    return `${prefix} ${line}`;
  }
}
