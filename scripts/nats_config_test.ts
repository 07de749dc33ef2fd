import assert from "node:assert/strict";
import {
  NATS_PERMISSIONS,
  natsConfigRefusal,
  natsServerConfig,
  newNatsPublisher,
  newNatsUsers,
  publisherPermissions,
} from "./nats_config.ts";

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
    assert.equal(await natsConfigRefusal(`${dir}/nats.conf`), undefined);
    const ipv6 = natsServerConfig({ host: "::1", port: 1, monitorPort: 2, storeDir: dir, users });
    assert.match(ipv6, /listen: "\[::1\]:1"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("only the handles service may publish handle events; ingest reads only the ingest namespaces", () => {
  const publishes = (kind: keyof typeof NATS_PERMISSIONS, subject: string) =>
    NATS_PERMISSIONS[kind].publish.allow.some((p) =>
      p === subject || subject.startsWith(p.replace(">", ""))
    );
  assert.ok(publishes("handles", "polaroid.v1.handles.events.freed"));
  assert.ok(!publishes("compute", "polaroid.v1.handles.events.freed"));
  assert.ok(!publishes("ingest", "polaroid.v1.handles.events.freed"));
  assert.ok(!publishes("ingest", "polaroid.jobs.submit"));
  // Ingest reads the tenants' ingest namespaces and its own replies, nothing else.
  assert.deepEqual(NATS_PERMISSIONS.ingest.subscribe.allow, [
    "polaroid.ingest.>",
    "_INBOX_ingest.>",
  ]);
});

Deno.test("a tenant's publisher publishes in its own ingest namespace only and reads nothing", async () => {
  const acme = publisherPermissions("acme");
  const publishes = (subject: string) => acme.publish.allow.some((p) => covers(p, subject));
  assert.ok(publishes("polaroid.ingest.acme.md.ticks"));
  for (
    const subject of [
      "polaroid.ingest.globex.md.ticks",
      "polaroid.ingest.acmex.md",
      "polaroid.v1.handles.events.freed",
      "$JS.API.INFO",
      "md.ticks",
    ]
  ) {
    assert.ok(!publishes(subject), subject);
  }
  assert.deepEqual(acme.subscribe, { allow: [], deny: [">"] });
  assert.throws(() => publisherPermissions("a.b"), /tenant/);
  assert.throws(() => newNatsPublisher(">"), /tenant/);
  // nats-server accepts a configuration with publishers.
  const dir = await Deno.makeTempDir();
  try {
    const publishers = [newNatsPublisher("acme"), newNatsPublisher("globex")];
    const text = natsServerConfig({
      host: "127.0.0.1",
      port: 4222,
      monitorPort: 8222,
      storeDir: `${dir}/js`,
      users: newNatsUsers(),
      publishers,
    });
    assert.match(text, /user: "publisher-globex"/);
    await Deno.writeTextFile(`${dir}/nats.conf`, text);
    assert.equal(await natsConfigRefusal(`${dir}/nats.conf`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** True when the NATS subject pattern `pattern` covers `subject` (`*` one token, `>` the rest). */
function covers(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

Deno.test("handles and compute reach only their own streams through the JetStream API", () => {
  const publishes = (kind: "handles" | "compute", subject: string) =>
    NATS_PERMISSIONS[kind].publish.allow.some((p) => covers(p, subject));
  const own = {
    handles: ["KV_polaroid_handles", "KV_polaroid_workers"],
    compute: ["POLAROID_JOBS", "KV_polaroid_jobs"],
  };
  for (const kind of ["handles", "compute"] as const) {
    const api = NATS_PERMISSIONS[kind].publish.allow.filter((p) => p.startsWith("$JS."));
    for (const grant of api) {
      assert.ok(!/^\$JS\.(API\.)?[*>]/.test(grant), `${kind} has no wildcard API grant: ${grant}`);
    }
    assert.ok(publishes(kind, "$JS.API.INFO"));
    const other = kind === "handles" ? own.compute : own.handles;
    for (const stream of [...own[kind], ...other]) {
      assert.ok(!publishes(kind, `$JS.API.STREAM.DELETE.${stream}`), `${kind} deletes ${stream}`);
    }
    for (const stream of other) {
      for (const call of ["STREAM.INFO", "STREAM.PURGE", "STREAM.MSG.GET", "DIRECT.GET"]) {
        assert.ok(!publishes(kind, `$JS.API.${call}.${stream}`), `${kind}: ${call} ${stream}`);
      }
      assert.ok(!publishes(kind, `$JS.API.CONSUMER.CREATE.${stream}.c`), `${kind}: ${stream}`);
    }
    assert.ok(!publishes(kind, "$JS.API.STREAM.NAMES") && !publishes(kind, "$JS.API.STREAM.LIST"));
  }
  assert.ok(
    publishes("handles", "$JS.API.DIRECT.GET.KV_polaroid_handles.$KV.polaroid_handles.h.x"),
  );
  assert.ok(publishes("handles", "$JS.API.STREAM.PURGE.KV_polaroid_handles"));
  assert.ok(!publishes("handles", "$JS.API.STREAM.PURGE.KV_polaroid_workers"));
  assert.ok(publishes("handles", "$JS.FC.KV_polaroid_workers.oc_1.x"));
  assert.ok(
    publishes("compute", "$JS.API.CONSUMER.MSG.NEXT.POLAROID_JOBS.polaroid-job-runners"),
  );
  assert.ok(!publishes("compute", "$JS.API.CONSUMER.DELETE.POLAROID_JOBS.polaroid-job-runners"));
  assert.ok(!publishes("compute", "$JS.API.STREAM.PURGE.POLAROID_JOBS"));
});
