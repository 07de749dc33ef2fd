import assert from "node:assert/strict";
import { parse } from "yaml";
import { loadComputeConfig, loadHandlesConfig, loadIngestConfig } from "../shared/config.ts";
import { SERVICE_ENTRY_POINTS, type ServiceKind } from "../scripts/cluster.ts";
import { findCommand } from "../scripts/_debian.ts";
import { REPO_ROOT } from "../scripts/_repo.ts";
import { containerEnv, deploymentSecrets } from "./_secrets.ts";

const DIR = `${REPO_ROOT}/deploy/compose`;

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
}

interface Compose {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
}

async function compose(): Promise<Compose> {
  return parse(await Deno.readTextFile(`${DIR}/compose.yaml`), { merge: true });
}

function env(service: ComposeService): Record<string, string> {
  return service.environment ?? {};
}

Deno.test("compose.yaml runs nats, the three services and prometheus", async () => {
  const { services } = await compose();
  assert.deepEqual(Object.keys(services).sort(), [
    "compute",
    "handles",
    "ingest",
    "nats",
    "prometheus",
  ]);
  assert.match(services.nats!.image!, /^nats:2\.10/);
  // Locked down: its configuration (JetStream, a user per service) is a secret; no port is
  // published.
  assert.deepEqual(services.nats!.command, ["-c", "/run/secrets/polaroid_nats_conf"]);
  assert.equal(services.nats!.ports, undefined);
  assert.ok(services.nats!.healthcheck!.test.join(" ").includes("/healthz"));
});

Deno.test("compose.yaml builds one image and runs each service's entry point", async () => {
  const { services } = await compose();
  for (const kind of Object.keys(SERVICE_ENTRY_POINTS) as ServiceKind[]) {
    const service = services[kind]!;
    assert.deepEqual(service.build, { context: "../..", dockerfile: "deploy/compose/Dockerfile" });
    assert.deepEqual(service.command, [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      SERVICE_ENTRY_POINTS[kind],
    ]);
    assert.equal(env(service).POLAROID_HOST, "0.0.0.0");
    assert.equal(env(service).POLAROID_NATS_URL, "nats://nats:4222");
  }
});

Deno.test("compose.yaml wires endpoints, ports and healthchecks that the config accepts", async () => {
  const top = await compose();
  const { services } = top;
  await using secrets = await deploymentSecrets();
  const envOf = (s: ComposeService) => containerEnv(env(s), top.secrets, secrets.dir);
  const handles = loadHandlesConfig(envOf(services.handles!));
  const compute = loadComputeConfig(envOf(services.compute!));
  const ingest = loadIngestConfig(envOf(services.ingest!));
  const conf = await Deno.readTextFile(`${secrets.dir}/nats.conf`);
  assert.match(conf, /jetstream \{ store_dir: "\/data" \}/);
  for (
    const [kind, config] of [["handles", handles], ["compute", compute], [
      "ingest",
      ingest,
    ]] as const
  ) {
    assert.equal(config.auth.mode, "token", "every service authenticates its callers");
    // TLS on its port and to the services it calls, with the certificate auth:key made.
    assert.match(config.tls.cert ?? "", /BEGIN CERTIFICATE/, `${kind} serves TLS`);
    assert.match(config.tls.key ?? "", /PRIVATE KEY/);
    assert.match(config.tls.ca ?? "", /BEGIN CERTIFICATE/, `${kind} verifies whom it calls`);
    assert.match(config.auth.serviceToken ?? "", /^pk_/, "and has its own credential");
    // Each service signs in to NATS as its own user, with the password nats.conf gives it.
    assert.equal(config.natsAuth?.user, `polaroid-${kind}`);
    assert.ok(conf.includes(JSON.stringify(config.natsAuth!.pass)), `${kind}'s password`);
  }
  assert.equal(compute.handlesEndpoint, `handles:${handles.grpcPort}`);
  assert.equal(ingest.computeEndpoint, `compute:${compute.grpcPort}`);
  for (
    const [kind, config] of [["handles", handles], ["compute", compute], [
      "ingest",
      ingest,
    ]] as const
  ) {
    const service = services[kind]!;
    assert.equal(config.host, "0.0.0.0");
    // Clients reach compute and ingest; the handles service and metrics stay on loopback.
    const grpcBind = kind === "handles" ? "127.0.0.1:" : "";
    assert.deepEqual(service.ports, [
      `${grpcBind}${config.grpcPort}:${config.grpcPort}`,
      `127.0.0.1:${config.httpPort}:${config.httpPort}`,
    ]);
    assert.ok(
      service.healthcheck!.test.join(" ").includes(`http://127.0.0.1:${config.httpPort}/healthz`),
      `${kind} healthcheck polls its /healthz`,
    );
    const depends = service.depends_on as Record<string, { condition: string }>;
    assert.equal(depends.nats?.condition, "service_healthy");
  }
  const depends = (s: ComposeService) => s.depends_on as Record<string, { condition: string }>;
  assert.equal(depends(services.compute!).handles?.condition, "service_healthy");
  assert.equal(depends(services.ingest!).compute?.condition, "service_healthy");
});

Deno.test("compose.yaml's prometheus scrapes the services' HTTP ports with the shared config", async () => {
  const { services } = await compose();
  const volumes = services.prometheus!.volumes!;
  assert.ok(
    volumes.includes(
      "../../services/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
    ),
  );
  assert.ok(volumes.includes("./prometheus-targets:/etc/prometheus/targets:ro"));
  for (const volume of volumes.filter((v) => v.startsWith("."))) {
    await Deno.stat(`${DIR}/${volume.split(":")[0]}`); // throws when the mounted path is missing
  }
  for (const kind of ["compute", "handles", "ingest"] as const) {
    const port = env(services[kind]!)[`POLAROID_${kind.toUpperCase()}_HTTP_PORT`];
    const targets = parse(await Deno.readTextFile(`${DIR}/prometheus-targets/${kind}.yml`));
    assert.deepEqual(targets, [{ targets: [`${kind}:${port}`] }]);
  }
});

Deno.test("the Dockerfile uses the Deno version CI pins", async () => {
  const dockerfile = await Deno.readTextFile(`${DIR}/Dockerfile`);
  const ci = await Deno.readTextFile(`${REPO_ROOT}/.ci/run`);
  const pinned = /^DENO_VERSION="([\d.]+)"$/m.exec(ci)?.[1];
  assert.ok(pinned, ".ci/run pins DENO_VERSION");
  assert.match(
    dockerfile,
    new RegExp(`^FROM denoland/deno:${pinned.replaceAll(".", "\\.")}$`, "m"),
  );
  assert.match(dockerfile, /RUN deno install --frozen/);
});

Deno.test("docker compose accepts compose.yaml when the compose plugin is installed", async () => {
  const docker = await findCommand("docker");
  if (!docker) return;
  const probe = await new Deno.Command(docker, {
    args: ["compose", "version"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  if (!probe?.success) return; // no compose plugin: the YAML checks above stand in for it
  const out = await new Deno.Command(docker, {
    args: ["compose", "-f", `${DIR}/compose.yaml`, "config", "--quiet"],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
});
