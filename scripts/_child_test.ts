import assert from "node:assert/strict";
import { formatLine, ManagedChild } from "./_child.ts";
import { findCommand } from "./_debian.ts";
import { waitFor } from "./_wait.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "polaroid-child-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function shell(dir: string, script: string, ready = () => Promise.resolve(true)) {
  return {
    name: "probe",
    command: "sh",
    args: ["-c", script],
    env: {},
    cwd: dir,
    logFile: `${dir}/probe.log`,
    ready,
  };
}

/** True while `pid` runs (a zombie left for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

Deno.test("ManagedChild logs output and stops with SIGTERM", async () => {
  await withDir(async (dir) => {
    const logFile = `${dir}/probe.log`;
    const child = new ManagedChild(
      shell(dir, "echo hello; echo oops >&2; exec sleep 30", async () => {
        return (await Deno.readTextFile(logFile).catch(() => "")).includes("oops");
      }),
    );
    child.start();
    await child.waitReady(5000);
    const pid = child.pid!;
    assert.ok(alive(pid));
    const status = await child.stop(5000);
    assert.equal(status.signal, "SIGTERM");
    assert.equal(child.running, false);
    assert.equal(alive(pid), false);
    assert.deepEqual(child.tail().split("\n").sort(), ["hello", "oops"]);
  });
});

Deno.test("ManagedChild.stop() escalates to SIGKILL when SIGTERM is ignored", async () => {
  await withDir(async (dir) => {
    const notices: string[] = [];
    const child = new ManagedChild(
      shell(dir, "trap '' TERM; echo up; exec sleep 30", async () => {
        return (await Deno.readTextFile(`${dir}/probe.log`).catch(() => "")).includes("up");
      }),
      { notice: (line) => notices.push(line) },
    );
    child.start();
    await child.waitReady(5000);
    const started = Date.now();
    const status = await child.stop(200);
    assert.equal(status.signal, "SIGKILL");
    assert.ok(Date.now() - started < 3000);
    assert.deepEqual(notices, ["probe did not stop within 200 ms: killing it"]);
  });
});

Deno.test("ManagedChild restarts a process that exits unexpectedly", async () => {
  await withDir(async (dir) => {
    const notices: string[] = [];
    const child = new ManagedChild(shell(dir, "echo run; sleep 0.05; exit 3"), {
      restart: true,
      notice: (line) => notices.push(line),
    });
    child.start();
    await waitFor(() => child.restarts >= 2, { timeoutMs: 10_000, intervalMs: 20 });
    await child.stop(1000);
    const restarts = child.restarts;
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(child.restarts, restarts, "no restart after stop()");
    assert.equal(child.running, false);
    const first = notices.map((n) => n.split("\n")[0]);
    assert.equal(first[0], "probe exited unexpectedly (code 3); restarting in 250 ms");
    assert.equal(first[1], "probe exited unexpectedly (code 3); restarting in 500 ms");
    assert.match(notices[0]!, /\n--- last lines of .*probe\.log ---\nrun$/);
    assert.ok(child.tail().split("\n").filter((l) => l === "run").length >= 2);
  });
});

Deno.test("ManagedChild without restart reports the exit and stays down", async () => {
  await withDir(async (dir) => {
    const notices: string[] = [];
    const child = new ManagedChild(shell(dir, "echo dying >&2; exit 7"), {
      notice: (l) => notices.push(l),
    });
    child.start();
    await waitFor(() => notices.length > 0, { timeoutMs: 5000, intervalMs: 10 });
    assert.equal(notices.length, 1);
    assert.equal(
      notices[0],
      `probe exited unexpectedly (code 7)\n--- last lines of ${dir}/probe.log ---\ndying`,
    );
    assert.equal(child.running, false);
    assert.equal(child.restarts, 0);
  });
});

Deno.test("ManagedChild.waitReady() rejects when the process exits first", async () => {
  await withDir(async (dir) => {
    const child = new ManagedChild(shell(dir, "exit 2", () => Promise.resolve(false)), {
      notice: () => {},
    });
    child.start();
    await assert.rejects(child.waitReady(10_000), /probe exited before it was ready \(code 2\)/);
  });
});

Deno.test("ManagedChild.kill() resolves with the signal that ended the process", async () => {
  await withDir(async (dir) => {
    const child = new ManagedChild(shell(dir, "exec sleep 30"), { notice: () => {} });
    child.start();
    const status = await child.kill("SIGKILL");
    assert.equal(status.signal, "SIGKILL");
    assert.equal(child.pid, undefined);
  });
});

Deno.test("ManagedChild's process dies with its parent when setpriv exists", async () => {
  const setpriv = await findCommand("setpriv");
  if (!setpriv) return; // util-linux is part of every Debian install; nothing to check without it
  await withDir(async (dir) => {
    const module = new URL("./_child.ts", import.meta.url).href;
    const script = `${dir}/parent.ts`;
    await Deno.writeTextFile(
      script,
      `import { ManagedChild } from ${JSON.stringify(module)};
const child = new ManagedChild({ name: "orphan", command: "sleep", args: ["60"], env: {},
  cwd: ${JSON.stringify(dir)}, logFile: ${JSON.stringify(`${dir}/orphan.log`)},
  ready: () => Promise.resolve(true), setpriv: ${JSON.stringify(setpriv)} });
child.start();
console.log(child.pid);
await new Promise(() => setTimeout(() => {}, 60_000));
`,
    );
    const parent = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = parent.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n")) text += (await reader.read()).value ?? "";
    const pid = Number(text.trim());
    // setpriv arms the signal and then execs sleep: wait for the exec before killing.
    await waitFor(() => Deno.readTextFileSync(`/proc/${pid}/comm`).trim() === "sleep", {
      timeoutMs: 5000,
      intervalMs: 10,
      what: "setpriv to exec sleep",
    });
    assert.ok(alive(pid), "the child runs while its parent lives");
    parent.kill("SIGKILL");
    await parent.status;
    await reader.cancel();
    await waitFor(() => !alive(pid), {
      timeoutMs: 5000,
      intervalMs: 20,
      what: "the orphan to die",
    });
  });
});

Deno.test("formatLine() shows JSON log lines as level, message and fields", () => {
  const line = JSON.stringify({
    ts: "2025-01-01T00:00:00Z",
    level: "info",
    service: "compute",
    msg: "listening",
    grpcPort: 1,
  });
  assert.equal(formatLine("compute", line), 'compute   | info listening {"grpcPort":1}');
  assert.equal(formatLine("nats", "[1] plain"), "nats      | [1] plain");
});
