/**
 * `deno task test [deno test args…]`: makes sure what the tests need is installed
 * (nats-server and redis-server from Debian, the pinned protobuf generators from npm, the pinned Python
 * reference packages in tools/python/.venv, first on the tests' PATH), then runs
 * `deno test -A --v8-flags=--expose-gc` over the repository, or over the given paths, with
 * its output streamed and its exit code returned.
 *
 * Tests run one file at a time (no --parallel): the integration tests start whole clusters
 * and the machines have two cores.
 *
 * @module
 */

import { ensureCommand } from "./_debian.ts";
import { ensureGenerators } from "./proto.ts";
import { ensurePython } from "./_python.ts";
import { REPO_ROOT } from "./_repo.ts";

async function main(extra: readonly string[]): Promise<number> {
  let pythonBin: string;
  try {
    await ensureCommand("nats-server");
    await ensureCommand("redis-server");
    await ensureGenerators();
    pythonBin = await ensurePython();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--v8-flags=--expose-gc", ...extra],
    cwd: REPO_ROOT,
    env: { PATH: `${pythonBin}:${Deno.env.get("PATH") ?? ""}` },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  };
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  const status = await child.status;
  Deno.removeSignalListener("SIGINT", onInt);
  Deno.removeSignalListener("SIGTERM", onTerm);
  return status.signal ? 128 + signalNumber(status.signal) : status.code;
}

function signalNumber(signal: Deno.Signal): number {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Partial<Record<Deno.Signal, number>>)[signal] ??
    1;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
