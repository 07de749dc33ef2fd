/**
 * Sinks with authentication on (POLAROID_AUTH=token): each tenant writes under its own
 * `<output root>/<tenant>/` and cannot reach another's (no `..`, no absolute path, no link
 * out of its directory); a reader cannot write; each write leaves an audit line naming who
 * wrote what.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { connect, InvalidArgumentError, PermissionDeniedError } from "../sdk/mod.ts";
import { newApiKey } from "../shared/auth/api_keys.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster, tokenAuthEnv } from "./_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-sink-auth-" });
const output = join(dir, "output");
const acme = newApiKey("acme", ["write"]);
const acmeReader = newApiKey("acme", ["read"]);
const globex = newApiKey("globex", ["write"]);
const cluster = await testCluster({
  env: {
    ...await tokenAuthEnv(dir, [acme, acmeReader, globex]),
    POLAROID_OUTPUT_ROOT: output,
  },
});
const endpoint = cluster.endpoints.compute;
const asAcme = await connect({ endpoint, token: acme.key });
const asReader = await connect({ endpoint, token: acmeReader.key });
const asGlobex = await connect({ endpoint, token: globex.key });

Deno.test({
  name: "each tenant writes under its own directory of the output root",
  ...INTEGRATION,
  async fn() {
    const mine = await asAcme.fromRecords([{ owner: "acme" }, { owner: "acme" }]);
    const theirs = await asGlobex.fromRecords([{ owner: "globex" }]);
    assert.equal((await mine.writeParquet("x.parquet")).path, "x.parquet");
    await theirs.writeParquet("x.parquet");
    assert.equal(pl.readParquet(join(output, "acme", "x.parquet")).height, 2);
    assert.equal(pl.readParquet(join(output, "globex", "x.parquet")).height, 1);
    await assert.rejects(Deno.stat(join(output, "x.parquet")), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "a tenant cannot reach another tenant's directory, by path or by link",
  ...INTEGRATION,
  async fn() {
    const theirs = await asGlobex.fromRecords([{ owner: "globex" }]);
    // A link an operator left in globex's directory, to acme's: it leads out of globex's root.
    await Deno.symlink(join(output, "acme"), join(output, "globex", "peek"));
    const attempts = [
      "../acme/x.parquet",
      "../x.parquet",
      join(output, "acme", "x.parquet"),
      "peek/x.parquet",
      "peek/new/x.parquet",
    ];
    for (const path of attempts) {
      await assert.rejects(
        theirs.writeParquet(path),
        (e: unknown) => e instanceof InvalidArgumentError && /'path'/.test((e as Error).message),
        path,
      );
    }
    await assert.rejects(
      theirs.lazy().sinkParquet("peek/y.parquet", { mkdir: true }).collect(),
      InvalidArgumentError,
    );
    // acme's file is still acme's.
    assert.deepEqual(
      pl.readParquet(join(output, "acme", "x.parquet")).getColumn("owner").toArray(),
      ["acme", "acme"],
    );
    assert.deepEqual(
      [...Deno.readDirSync(join(output, "acme"))].map((e) => e.name).sort(),
      ["x.parquet"],
    );
  },
});

Deno.test({
  name: "a reader cannot write",
  ...INTEGRATION,
  async fn() {
    const frame = asReader.scanCsv("nothing.csv");
    await assert.rejects(frame.sinkCsv("r.csv").collect(), PermissionDeniedError);
    await assert.rejects(Deno.stat(join(output, "acme", "r.csv")), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "each write leaves an audit line naming who wrote what",
  ...INTEGRATION,
  async fn() {
    const df = await asAcme.fromRecords([{ a: 1 }]);
    await df.lazy().sinkNdJson("audited.ndjson").collect();
    let found: Record<string, unknown> | undefined;
    await waitFor(async () => {
      const log = await Deno.readTextFile(`${cluster.logDir}/compute.log`);
      found = log.split("\n").filter((l) => l.includes('"audit"')).map((l) => JSON.parse(l))
        .find((l) => l.output === "audited.ndjson");
      return found !== undefined;
    }, { timeoutMs: 10_000, what: "the audit line of the write" });
    assert.ok(found);
    assert.equal(found.action, "file.write");
    assert.equal(found.tenant, "acme");
    assert.equal(found.subject, `key:${acme.record.id}`);
    assert.equal(found.code, "OK");
  },
});

Deno.test({
  name: "sink auth cluster stops",
  ...INTEGRATION,
  async fn() {
    for (const client of [asAcme, asReader, asGlobex]) await client.close();
    await cluster.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(cluster.dataRoot, { recursive: true });
  },
});
