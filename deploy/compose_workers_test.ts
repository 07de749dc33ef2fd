import assert from "node:assert/strict";
import { parse, YAMLSeq } from "yaml";
import { containerEnv, deploymentSecrets } from "./_secrets.ts";
import { loadComputeConfig, loadHandlesConfig, loadIngestConfig } from "../shared/config.ts";
import { COMPOSE_BALANCER, composeNginxConfig } from "./compose/balancer.ts";
import { findCommand } from "../scripts/_debian.ts";
import { REPO_ROOT } from "../scripts/_repo.ts";
import { DEPLOYMENT_HOSTS } from "../scripts/auth_key.ts";

const DIR = `${REPO_ROOT}/deploy/compose`;

interface Service {
  image?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  secrets?: string[];
}

/**
 * compose.yaml with compose.workers.yaml over it, merged the way compose merges maps, and
 * compose.yaml's top-level secrets.
 */
async function merged(): Promise<{
  base: Record<string, Service>;
  over: Record<string, Service>;
  secretFiles: Record<string, { file: string }>;
}> {
  const options = {
    merge: true,
    // Compose's `!reset` tag empties a value of the file below.
    customTags: [{ tag: "!reset", collection: "seq" as const, resolve: () => new YAMLSeq() }],
  };
  const top = parse(await Deno.readTextFile(`${DIR}/compose.yaml`), options);
  const over = parse(await Deno.readTextFile(`${DIR}/compose.workers.yaml`), options).services;
  return { base: top.services, over, secretFiles: top.secrets };
}

Deno.test("deploy/compose/nginx.conf is what balancer.ts generates", async () => {
  assert.equal(
    await Deno.readTextFile(`${DIR}/nginx.conf`),
    composeNginxConfig(),
    "run `deno run -A deploy/compose/balancer.ts` to regenerate it",
  );
});

Deno.test("compose.workers.yaml puts nginx in front of compute replicas on one state volume", async () => {
  const { base, over, secretFiles } = await merged();
  const balancer = over.balancer!;
  assert.match(balancer.image!, /^nginx:1\.22/);
  assert.ok(balancer.volumes!.includes("./nginx.conf:/etc/nginx/nginx.conf:ro"));
  assert.deepEqual(balancer.ports, [
    `${COMPOSE_BALANCER.port}:${COMPOSE_BALANCER.port}`,
    `${COMPOSE_BALANCER.statusPort}:${COMPOSE_BALANCER.statusPort}`,
  ]);
  assert.ok(
    balancer.healthcheck!.test.join(" ").includes(
      `http://127.0.0.1:${COMPOSE_BALANCER.statusPort}/healthz`,
    ),
  );
  assert.equal(balancer.depends_on!.compute?.condition, "service_healthy");
  // TLS both ways with the services' certificate, checked against the name the replicas share.
  const tls = COMPOSE_BALANCER.tls!;
  assert.deepEqual(
    [tls.cert, tls.key, tls.ca],
    balancer.secrets!.map((name) => `/run/secrets/${name}`),
  );
  assert.deepEqual(balancer.secrets, ["polaroid_tls_cert", "polaroid_tls_key", "polaroid_tls_ca"]);
  assert.ok(DEPLOYMENT_HOSTS.includes(tls.serverName!), "the certificate names the replicas");

  // A service's environment as its container sees it, secrets included.
  await using secrets = await deploymentSecrets();
  const env = (base: Service, over: Service | undefined) =>
    containerEnv({ ...base.environment, ...over?.environment }, secretFiles, secrets.dir);

  // Replicas publish no host port; the balancer reaches them on compute's gRPC port.
  assert.deepEqual(over.compute!.ports, []);
  const compute = loadComputeConfig(env(base.compute!, over.compute));
  assert.deepEqual(COMPOSE_BALANCER.upstreams, [`compute:${compute.grpcPort}`]);
  assert.deepEqual(over.compute!.entrypoint!.slice(0, 2), ["sh", "-c"]);

  // compute and handles share the external store on one volume; ingest goes through nginx.
  const handles = loadHandlesConfig(env(base.handles!, over.handles));
  assert.equal(compute.handleStore, "external");
  assert.deepEqual(compute.stateStore, { kind: "fs", dir: "/state" });
  assert.deepEqual(handles.stateStore, compute.stateStore);
  for (const kind of ["compute", "handles"]) {
    assert.ok(over[kind]!.volumes!.includes("polaroid-state:/state"), `${kind} mounts the state`);
  }
  const ingest = loadIngestConfig(env(base.ingest!, over.ingest));
  assert.equal(ingest.computeEndpoint, `balancer:${COMPOSE_BALANCER.port}`);
  assert.equal(over.ingest!.depends_on!.balancer?.condition, "service_healthy");
});

Deno.test("docker compose accepts compose.workers.yaml over compose.yaml when installed", async () => {
  const docker = await findCommand("docker");
  if (!docker) return;
  const probe = await new Deno.Command(docker, {
    args: ["compose", "version"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  if (!probe?.success) return; // no compose plugin: the YAML checks above stand in for it
  const out = await new Deno.Command(docker, {
    args: [
      "compose",
      "-f",
      `${DIR}/compose.yaml`,
      "-f",
      `${DIR}/compose.workers.yaml`,
      "config",
      "--quiet",
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
});
