/**
 * Arrow Flight and Flight SQL against a live cluster with token authentication, from real
 * clients: pyarrow.flight, ADBC's Flight SQL driver (with polars.read_database over its
 * connection) and the Arrow Flight SQL JDBC driver run from Java. The Python checks are
 * tests/flight/test_flight.py (pytest), the Java ones tests/flight/FlightJdbc.java; both get
 * the endpoint and three tenants' API keys in their environment.
 *
 * Needs `python3` with tools/python/requirements.txt first on PATH (`deno task test` puts
 * tools/python/.venv/bin there), java, and mvn for the driver's jar.
 *
 * With FLIGHT_TEST_HOLD=1 the cluster stays up after the checks, its endpoint and keys in
 * .scratch/flight_cluster.json, until the process is stopped (for development).
 *
 * @module
 */

import assert from "node:assert/strict";
import { newApiKey } from "../shared/auth/api_keys.ts";
import { connect } from "../sdk/mod.ts";
import { ensureFlightJdbc } from "../scripts/_flight_jdbc.ts";
import { findJava } from "../scripts/_maven.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster, tokenAuthEnv } from "./_harness.ts";

const ROOT = new URL("..", import.meta.url).pathname;

const dir = await Deno.makeTempDir({ prefix: "polaroid-flight-" });
const acme = newApiKey("acme", ["admin"]);
const acmeReader = newApiKey("acme", ["read"]);
const globex = newApiKey("globex", ["write"]);
const authEnv = await tokenAuthEnv(dir, [acme, acmeReader, globex]);

async function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args,
    env,
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test(
  "Flight and Flight SQL serve pyarrow.flight, ADBC and JDBC clients",
  INTEGRATION,
  async (t) => {
    const jar = await ensureFlightJdbc();
    const java = await findJava("the Flight SQL JDBC checks");
    await using cluster = await testCluster({
      env: authEnv,
    });
    const env = {
      POLAROID_FLIGHT_ENDPOINT: cluster.endpoints.compute,
      POLAROID_ACME_KEY: acme.key,
      POLAROID_ACME_READER_KEY: acmeReader.key,
      POLAROID_GLOBEX_KEY: globex.key,
    };
    try {
      await t.step("pyarrow.flight, ADBC and polars.read_database (pytest)", async () => {
        const r = await run(
          "python3",
          ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/flight"],
          env,
          600_000,
        );
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        assert.match(r.stdout, / passed/);
        assert.doesNotMatch(r.stdout, /skipped|failed/, r.stdout);
        // Every Flight call ended on the server too, the cancelled read and the one past its
        // deadline among them: none in flight, none abandoned.
        await waitFor(async () => {
          const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
          const lines = text.split("\n");
          const flight = lines.filter((l) =>
            l.startsWith("polaroid_grpc_in_flight{") && l.includes("FlightService/DoGet")
          );
          const abandoned = lines.find((l) => l.startsWith("polaroid_grpc_abandoned_calls"));
          return flight.length > 0 && flight.every((l) => l.endsWith(" 0")) &&
            abandoned !== undefined && abandoned.endsWith(" 0");
        }, { timeoutMs: 30_000, what: "no Flight call in flight or abandoned on the worker" });
      });
      await t.step("the Flight SQL JDBC driver (Java)", async () => {
        // The table the Java checks read: acme's named handle.
        const client = await connect({ endpoint: cluster.endpoints.compute, token: acme.key });
        try {
          await client.fromRecords(
            [
              { k: 1, px: 0.5, sym: "a" },
              { k: 2, px: 1.5, sym: "b" },
              { k: 3, px: 2.5, sym: "c" },
              {
                k: 1,
                px: 3.5,
                sym: "d",
              },
            ],
            undefined,
            { name: "jdbc_trades" },
          );
        } finally {
          await client.close();
        }
        const [host, port] = [
          cluster.endpoints.compute.slice(0, cluster.endpoints.compute.lastIndexOf(":")),
          cluster.endpoints.compute.slice(cluster.endpoints.compute.lastIndexOf(":") + 1),
        ];
        const r = await run(
          java,
          [
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-cp",
            jar,
            "tests/flight/FlightJdbc.java",
            host!,
            port!,
          ],
          env,
          300_000,
        );
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        const lines = r.stdout.trim().split("\n");
        assert.deepEqual(lines, [
          "product Polaroid",
          "tables jdbc_trades",
          "columns k:DOUBLE,px:DOUBLE,sym:LONGVARCHAR",
          "query 1:4.0 2:1.5 3:2.5",
          "prepared a,d",
          "basic auth 4 rows",
          "update refused",
          "no key refused",
          "other tenant refused",
          "ok",
        ]);
      });
      if (Deno.env.get("FLIGHT_TEST_HOLD") === "1") {
        await Deno.mkdir(`${ROOT}.scratch`, { recursive: true });
        await Deno.writeTextFile(`${ROOT}.scratch/flight_cluster.json`, JSON.stringify(env));
        await new Promise((resolve) => Deno.addSignalListener("SIGTERM", () => resolve(null)));
      }
    } finally {
      await Deno.remove(cluster.dataRoot, { recursive: true }).catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
