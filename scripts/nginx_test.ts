import assert from "node:assert/strict";
import { nginxConfig, prepareBalancer } from "./nginx.ts";
import { freePorts } from "./_ports.ts";
import { waitForHttp } from "./_wait.ts";
import { UnavailableError } from "../shared/errors.ts";
import { HealthService } from "../shared/gen/grpc/health/v1/health.ts";
import { RpcClient } from "../shared/grpc/client.ts";

const UPSTREAMS = ["127.0.0.1:50061", "127.0.0.1:50062", "127.0.0.1:50063"];

Deno.test("nginxConfig() proxies gRPC over every worker with failover and long timeouts", () => {
  const conf = nginxConfig({
    upstreams: UPSTREAMS,
    dir: "/run/x/nginx/",
    port: 50050,
    statusPort: 9094,
    accessLog: "/logs/balancer.access.log",
  });
  for (const upstream of UPSTREAMS) {
    assert.match(conf, new RegExp(`server ${upstream} max_fails=1 fail_timeout=5s;`));
  }
  assert.match(conf, /listen 127\.0\.0\.1:50050 http2;/);
  assert.match(conf, /grpc_pass grpc:\/\/polaroid_compute;/);
  assert.match(conf, /grpc_next_upstream error timeout;/);
  assert.match(conf, /error_page 502 503 504 = @unavailable;/);
  assert.match(conf, /add_header grpc-status 14 always;/, "a failed upstream is UNAVAILABLE");
  assert.match(conf, /grpc_read_timeout 3600s;/);
  assert.match(conf, /grpc_send_timeout 3600s;/);
  assert.match(conf, /client_max_body_size 0;/, "uploads are bounded by the workers");
  assert.match(conf, /pid "\/run\/x\/nginx\/nginx\.pid";/);
  assert.match(conf, /client_body_temp_path "\/run\/x\/nginx\/client_body";/);
  assert.match(conf, /access_log "\/logs\/balancer\.access\.log" polaroid;/);
  assert.match(conf, /listen 127\.0\.0\.1:9094;/);
  assert.doesNotMatch(conf, /\/var\/|keepalive \d/, "no packaged paths, no upstream keepalive");
  assert.doesNotMatch(conf, /daemon/, "daemon off is given on the command line");
});

Deno.test("nginxConfig() honours its options and refuses bad upstreams", () => {
  const conf = nginxConfig({
    upstreams: ["[::1]:7000"],
    dir: "/d",
    host: "::1",
    port: 1,
    statusPort: 2,
    maxBodyBytes: 1024,
    streamTimeoutSeconds: 60,
    failTimeoutSeconds: 2,
    workerProcesses: 2,
  });
  assert.match(conf, /listen \[::1\]:1 http2;/);
  assert.match(conf, /client_max_body_size 1024;/);
  assert.match(conf, /grpc_read_timeout 60s;/);
  assert.match(conf, /server \[::1\]:7000 max_fails=1 fail_timeout=2s;/);
  assert.match(conf, /worker_processes 2;/);
  assert.match(conf, /access_log off;/);
  assert.throws(
    () => nginxConfig({ upstreams: [], dir: "/d", port: 1, statusPort: 2 }),
    /'upstreams' must name at least one worker/,
  );
  assert.throws(
    () => nginxConfig({ upstreams: ["a b:1; evil"], dir: "/d", port: 1, statusPort: 2 }),
    /each upstream must be host:port/,
  );
});

Deno.test({
  name: "prepareBalancer() writes a configuration nginx accepts and runs it from its own dir",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "polaroid-nginx-" });
    const [port, statusPort] = freePorts(2) as [number, number];
    try {
      const balancer = await prepareBalancer({
        dir: `${dir}/nginx`,
        upstreams: UPSTREAMS,
        port,
        statusPort,
      });
      assert.equal(balancer.configFile, `${dir}/nginx/nginx.conf`);
      assert.deepEqual(balancer.args.slice(-2), ["-g", "daemon off;"]);
      const child = new Deno.Command(balancer.command, {
        args: balancer.args,
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      try {
        await waitForHttp(balancer.healthUrl, { timeoutMs: 10_000 });
        const pid = Number((await Deno.readTextFile(`${dir}/nginx/nginx.pid`)).trim());
        assert.equal(pid, child.pid, "the pid file is in the balancer's dir");
        const response = await fetch(`http://127.0.0.1:${statusPort}/status`);
        assert.match(await response.text(), /Active connections: \d+/);
      } finally {
        child.kill("SIGTERM");
        const status = await child.status;
        await child.stderr.cancel();
        assert.equal(status.code, 0, "nginx stops cleanly on SIGTERM");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("prepareBalancer() reports nginx's refusal of a configuration", async () => {
  const dir = await Deno.makeTempDir({ prefix: "polaroid-nginx-" });
  try {
    await assert.rejects(
      prepareBalancer({ dir, upstreams: UPSTREAMS, port: 70000, statusPort: 1 }),
      /Cannot start the balancer as nginx refused .*nginx\.conf: .*70000/s,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a call no worker can take ends as gRPC UNAVAILABLE, not as an HTML page",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "polaroid-nginx-" });
    // Ports nothing listens on: every worker refuses the connection.
    const [port, statusPort, ...down] = freePorts(4) as [number, number, number, number];
    const balancer = await prepareBalancer({
      dir: `${dir}/nginx`,
      upstreams: down.map((p) => `127.0.0.1:${p}`),
      port,
      statusPort,
    });
    const child = new Deno.Command(balancer.command, {
      args: balancer.args,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const client = new RpcClient(`127.0.0.1:${port}`, HealthService, { timeoutMs: 10_000 });
    try {
      await waitForHttp(balancer.healthUrl, { timeoutMs: 10_000 });
      await assert.rejects(client.unary("check", { service: "" }), (e: unknown) => {
        assert.ok(e instanceof UnavailableError, String(e));
        assert.match(e.message, /no compute worker took the call/);
        return true;
      });
    } finally {
      client.close();
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("nginxConfig() with TLS takes TLS from clients and calls the workers over TLS", () => {
  const tls = { cert: "/c/s.pem", key: "/c/s-key.pem", ca: "/c/ca.pem" };
  const text = nginxConfig({ upstreams: UPSTREAMS, dir: "/d", port: 1, statusPort: 2, tls });
  assert.match(text, /listen 127\.0\.0\.1:1 ssl http2;/);
  assert.match(text, /ssl_certificate "\/c\/s\.pem";\s+ssl_certificate_key "\/c\/s-key\.pem";/);
  assert.match(text, /grpc_pass grpcs:\/\/polaroid_compute;/);
  assert.match(text, /grpc_ssl_trusted_certificate "\/c\/ca\.pem";\s+grpc_ssl_verify on;/);
  assert.match(text, /grpc_ssl_name localhost;/);
  assert.match(
    nginxConfig({
      upstreams: UPSTREAMS,
      dir: "/d",
      port: 1,
      statusPort: 2,
      tls: { ...tls, serverName: "compute" },
    }),
    /grpc_ssl_name compute;/,
  );
  assert.throws(
    () =>
      nginxConfig({
        upstreams: UPSTREAMS,
        dir: "/d",
        port: 1,
        statusPort: 2,
        tls: { ...tls, serverName: "x; evil" },
      }),
    /'tls\.serverName' must be a host name/,
  );
  // Without TLS: plaintext both ways.
  const plain = nginxConfig({ upstreams: UPSTREAMS, dir: "/d", port: 1, statusPort: 2 });
  assert.ok(!/ssl/.test(plain) && /grpc_pass grpc:\/\//.test(plain));
});
