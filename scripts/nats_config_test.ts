import assert from "node:assert/strict";
import { ensureCommand } from "./_debian.ts";
import { NATS_PERMISSIONS, natsServerConfig, newNatsUsers } from "./nats_config.ts";

Deno.test("the locked-down configuration is one nats-server accepts, with a user per service", async () => {
  const users = newNatsUsers();
  const dir = await Deno.makeTempDir();
  try {
    const text = natsServerConfig({
      host: "127.0.0.1",
      port: 4222,
      monitorPort: 8222,
      storeDir: `${dir}/js`,
      users,
    });
    for (const { user, pass } of Object.values(users)) {
      assert.ok(text.includes(JSON.stringify(user)) && text.includes(JSON.stringify(pass)));
      assert.match(pass, /^[A-Za-z0-9=]{32}$/);
    }
    assert.ok(!/no_auth_user/.test(text), "no anonymous user");
    await Deno.writeTextFile(`${dir}/nats.conf`, text);
    const natsServer = await ensureCommand("nats-server", { log: () => {} });
    const out = await new Deno.Command(natsServer, {
      args: ["-t", "-c", `${dir}/nats.conf`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    assert.ok(out.success, said);
    const ipv6 = natsServerConfig({ host: "::1", port: 1, monitorPort: 2, storeDir: dir, users });
    assert.match(ipv6, /listen: "\[::1\]:1"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("only the handles service may publish handle events; ingest reads no Polaroid subject", () => {
  const publishes = (kind: keyof typeof NATS_PERMISSIONS, subject: string) =>
    NATS_PERMISSIONS[kind].publish.allow.some((p) =>
      p === subject || subject.startsWith(p.replace(">", ""))
    );
  assert.ok(publishes("handles", "polaroid.v1.handles.events.freed"));
  assert.ok(!publishes("compute", "polaroid.v1.handles.events.freed"));
  assert.ok(!publishes("ingest", "polaroid.v1.handles.events.freed"));
  assert.ok(!publishes("ingest", "polaroid.jobs.submit"));
  assert.ok(NATS_PERMISSIONS.ingest.subscribe.deny!.includes("polaroid.>"));
});
