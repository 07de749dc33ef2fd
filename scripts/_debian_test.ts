import assert from "node:assert/strict";
import { ensureCommand, findCommand, MissingCommandError } from "./_debian.ts";

Deno.test("findCommand() finds a command on PATH", async () => {
  const path = await findCommand("sh");
  assert.ok(path?.startsWith("/"), `expected an absolute path, got ${path}`);
});

Deno.test("findCommand() looks in the given places when PATH has nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/polaroid-fake-tool`;
    await Deno.writeTextFile(file, "#!/bin/sh\n", { mode: 0o755 });
    assert.equal(await findCommand("polaroid-fake-tool", [file]), file);
    assert.equal(await findCommand("polaroid-fake-tool", [`${dir}/absent`]), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ensureCommand() without install names the apt-get command to run", async () => {
  await assert.rejects(
    ensureCommand("polaroid-no-such-tool", { install: false, paths: [] }),
    (error: unknown) =>
      error instanceof MissingCommandError &&
      error.message ===
        "polaroid-no-such-tool is missing: run `sudo apt-get install polaroid-no-such-tool`",
  );
});

Deno.test("ensureCommand() returns nats-server's path when it is installed", async () => {
  const path = await ensureCommand("nats-server", { install: false });
  assert.match(path, /\/nats-server$/);
});
