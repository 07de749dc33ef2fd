/**
 * A Deno gRPC client under load against a server that drains again and again (GOAWAY, the
 * calls in flight finished, then started again on the same port), both real processes
 * (tests/_goaway_server.ts, tests/_goaway_client.ts). With the GoawayShield (the default of
 * RpcClient) the client lives through every drain and no call fails; without it, Deno 2.9.6
 * aborts the client on a received GOAWAY (denoland/deno#36788, docs/adr/0005).
 *
 * The run without the shield is the check for removing the workaround: it is skipped unless
 * POLAROID_GOAWAY_REPRO=1, and it expects the client to die. On a Deno release where it
 * fails (the client lives), the runtime is fixed.
 */

import assert from "node:assert/strict";
import { INTEGRATION } from "./_harness.ts";
import { freePort } from "../scripts/_ports.ts";

const DRAINS = 8;
const here = (path: string) => new URL(path, import.meta.url).pathname;

interface Summary {
  shielded: boolean;
  ok: number;
  failed: Record<string, number>;
  retried: number;
  short: number;
  goaways: number;
  refused: number;
  unnotified: number;
}

/** JSON lines read from a stream, awaited one condition at a time. */
function jsonLines(stream: ReadableStream<Uint8Array>) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  const ready: Array<Record<string, unknown>> = [];
  return {
    /** The next line `match` accepts (earlier lines are skipped). */
    async next(
      match: (event: Record<string, unknown>) => boolean,
      timeoutMs: number,
    ): Promise<Record<string, unknown>> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const event = ready.shift();
        if (event !== undefined) {
          if (match(event)) return event;
          continue;
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("timed out")), deadline - Date.now());
        });
        try {
          const { value, done } = await Promise.race([reader.read(), timeout]);
          if (done) throw new Error("the stream ended before the awaited line");
          pending += value;
        } finally {
          clearTimeout(timer);
        }
        const lines = pending.split("\n");
        pending = lines.pop()!;
        for (const line of lines) ready.push(JSON.parse(line));
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

/** Runs the server through DRAINS drains with the client loading it; the client's exit. */
async function run(shield: "on" | "off"): Promise<{ status: Deno.CommandStatus; out: string }> {
  const port = freePort();
  const deno = (script: string, args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--expose-gc", here(script), ...args],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  const server = deno("./_goaway_server.ts", [
    "--port",
    String(port),
    "--cycles",
    String(DRAINS),
    "--serve-ms",
    "1200",
    "--gap-ms",
    "200",
  ]);
  const serverOut = jsonLines(server.stdout);
  let client: Deno.ChildProcess | undefined;
  try {
    await serverOut.next((e) => e.event === "listening", 30_000);
    client = deno("./_goaway_client.ts", ["--endpoint", `127.0.0.1:${port}`, "--shield", shield]);
    const clientDone = client.status;
    // The drains go on until the server is done or the client died.
    const done = serverOut.next((e) => e.event === "done", 60_000);
    await Promise.race([done, clientDone]);
    await client.stdin.close();
    const [status, out] = await Promise.all([
      clientDone,
      new Response(client.stdout).text(),
      new Response(client.stderr).text(),
    ]);
    return { status, out };
  } finally {
    await server.stdin.close().catch(() => {});
    const status = await Promise.race([
      server.status,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000)),
    ]);
    if (status === undefined) server.kill("SIGKILL");
    await server.status;
    await serverOut.cancel();
    await server.stderr.cancel().catch(() => {});
    if (client) await client.status;
  }
}

Deno.test({
  name: `a client under load lives through ${DRAINS} drains of its server and no call fails`,
  ...INTEGRATION,
  async fn() {
    const { status, out } = await run("on");
    assert.ok(status.success, `the client died: ${JSON.stringify(status)}`);
    const summary = JSON.parse(out) as Summary;
    console.log(`goaway shield: ${out.trim()}`);
    assert.deepEqual(summary.failed, {}, "no call failed");
    assert.equal(summary.short, 0, "no stream ended short");
    assert.ok(summary.ok > 200, `calls went on (${summary.ok})`);
    // Every drain reaches the busy connection (and the bursty ones that are connected), and
    // grpc-js is told: only a final GOAWAY that comes after the client closed the connection
    // at the notice finds no session to tell.
    const told = summary.goaways - summary.unnotified;
    assert.ok(told >= DRAINS, `GOAWAYs told to grpc-js: ${told} of ${summary.goaways}`);
  },
});

Deno.test({
  name: "without the shield the same client dies on a drain (denoland/deno#36788)",
  ignore: Deno.env.get("POLAROID_GOAWAY_REPRO") !== "1",
  ...INTEGRATION,
  async fn() {
    const { status } = await run("off");
    console.log(`goaway repro without the shield: ${JSON.stringify(status)}`);
    assert.ok(
      !status.success && (status.signal !== null || status.code === 134 || status.code === 139),
      `the client survived without the shield (${
        JSON.stringify(status)
      }): the runtime may be fixed, see docs/adr/0005`,
    );
  },
});
