import assert from "node:assert/strict";
import { loadComputeConfig, loadHandlesConfig, loadIngestConfig } from "../shared/config.ts";
import { SERVICE_ENTRY_POINTS, type ServiceKind } from "../scripts/cluster.ts";
import { REPO_ROOT } from "../scripts/_repo.ts";
import { newApiKey } from "../shared/auth/api_keys.ts";
import { initSecrets } from "../scripts/auth_key.ts";
import { natsConfigRefusal } from "../scripts/nats_config.ts";

const DIR = `${REPO_ROOT}/deploy/fly`;

/** The `KEY = "value"` lines of one `[section]` of a flat TOML file. */
function section(toml: string, name: string): Record<string, string> {
  const start = toml.indexOf(`\n[${name}]\n`);
  if (start < 0) return {};
  const body = toml.slice(start + name.length + 4).split(/\n\s*\[/)[0]!;
  const pairs = [...body.matchAll(/^\s*([A-Za-z0-9_]+)\s*=\s*"([^"]*)"\s*$/gm)];
  return Object.fromEntries(pairs.map((m) => [m[1]!, m[2]!]));
}

/** What `fly secrets set` gives every app (deploy/fly/README.md). */
const key = newApiKey("polaroid", ["service"]);
const FLY_SECRETS = {
  POLAROID_AUTH_API_KEYS: JSON.stringify([key.record]),
  POLAROID_SERVICE_TOKEN: key.key,
  POLAROID_NATS_PASSWORD: "a-password-from-nats-conf",
};

const LOADERS = {
  compute: loadComputeConfig,
  handles: loadHandlesConfig,
  ingest: loadIngestConfig,
} as const;

for (const kind of Object.keys(SERVICE_ENTRY_POINTS) as ServiceKind[]) {
  Deno.test(`fly.${kind}.toml runs ${kind} with health checks and metrics on its HTTP port`, async () => {
    const toml = await Deno.readTextFile(`${DIR}/fly.${kind}.toml`);
    assert.match(toml, new RegExp(`^app = "polaroid-${kind}"$`, "m"));
    assert.equal(section(toml, "build").dockerfile, "../compose/Dockerfile");
    await Deno.stat(`${DIR}/../compose/Dockerfile`);
    assert.equal(
      section(toml, "processes").app,
      `run -A --v8-flags=--expose-gc ${SERVICE_ENTRY_POINTS[kind]}`,
    );
    const config = LOADERS[kind]({ ...section(toml, "env"), ...FLY_SECRETS });
    assert.equal(config.host, "::");
    assert.equal(config.auth.mode, "token", "every app authenticates its callers");
    assert.equal(config.natsUrl, "nats://polaroid-nats.internal:4222");
    assert.equal(config.natsAuth?.user, `polaroid-${kind}`, "its own user of the locked NATS");
    const checks = section(toml, "checks.healthz");
    assert.deepEqual([checks.type, checks.path], ["http", "/healthz"]);
    assert.match(toml, new RegExp(`\\[checks\\.healthz\\][^[]*port = ${config.httpPort}\\n`));
    assert.match(
      toml,
      new RegExp(`\\[metrics\\]\\n\\s*port = ${config.httpPort}\\n\\s*path = "/metrics"`),
    );
    if (kind !== "handles") {
      assert.match(toml, new RegExp(`internal_port = ${config.grpcPort}\\n`));
      assert.match(toml, /alpn = \["h2"\]/);
      assert.match(toml, /h2_backend = true/);
    }
  });
}

Deno.test("the fly apps find each other at .internal addresses", async () => {
  const env = async (kind: ServiceKind) => ({
    ...section(await Deno.readTextFile(`${DIR}/fly.${kind}.toml`), "env"),
    ...FLY_SECRETS,
  });
  const handles = loadHandlesConfig(await env("handles"));
  const compute = loadComputeConfig(await env("compute"));
  const ingest = loadIngestConfig(await env("ingest"));
  assert.equal(compute.handlesEndpoint, `polaroid-handles.internal:${handles.grpcPort}`);
  assert.equal(ingest.computeEndpoint, `polaroid-compute.internal:${compute.grpcPort}`);
});

Deno.test("fly.nats.toml runs a locked-down NATS from a secret, private, JetStream on a volume", async () => {
  const toml = await Deno.readTextFile(`${DIR}/fly.nats.toml`);
  assert.match(toml, /^app = "polaroid-nats"$/m);
  assert.equal(section(toml, "build").image?.startsWith("nats:2.10"), true);
  assert.deepEqual(section(toml, "files"), {}, "[[files]] is an array of tables");
  assert.match(
    toml,
    /\[\[files\]\]\n\s*guest_path = "\/etc\/nats\/nats-server\.conf"\n\s*secret_name = "NATS_CONF"/,
  );
  assert.deepEqual(section(toml, "mounts"), { source: "nats_data", destination: "/data" });
  assert.ok(!toml.includes("[[services]]"), "no public service");
  const checks = section(toml, "checks.healthz");
  assert.deepEqual([checks.type, checks.path], ["http", "/healthz"]);
  // The configuration the README has auth:key write: the apps' users, on Fly's IPv6 network,
  // JetStream where the volume is mounted, and nats-server accepts it.
  const dir = await Deno.makeTempDir();
  try {
    await initSecrets(dir, "default", { natsHost: "::" });
    const conf = await Deno.readTextFile(`${dir}/nats.conf`);
    assert.match(conf, /listen: "\[::\]:4222"/);
    assert.match(conf, /http: "\[::\]:8222"/);
    assert.match(conf, /store_dir: "\/data"/);
    for (const kind of Object.keys(SERVICE_ENTRY_POINTS)) {
      assert.ok(conf.includes(`user: "polaroid-${kind}"`), kind);
    }
    assert.equal(await natsConfigRefusal(`${dir}/nats.conf`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
