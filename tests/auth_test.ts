/**
 * A cluster with `POLAROID_AUTH=token` (API keys and HS256 JWTs), its services calling each
 * other with their service key: every RPC without credentials is UNAUTHENTICATED; 1,000
 * attempts by one tenant on another's canary handle, job and ingest source (describe, read, scan, pin, release,
 * delete, SQL, acting for it) all fail while the canary stays intact; a reader cannot write,
 * a client cannot register handles, and each handle creation leaves an audit line.
 */

import assert from "node:assert/strict";
import * as jose from "jose";
import {
  connect,
  connectIngest,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
} from "../sdk/mod.ts";
import { Buffer } from "node:buffer";
import { connect as natsConnect } from "@nats-io/transport-node";
import { RemoteLazyFrame } from "../sdk/frame/lazy_frame.ts";
import { scanHandlePlan } from "../sdk/plan/plan.ts";
import { newApiKey } from "../shared/auth/api_keys.ts";
import { DataFrameServiceService } from "../shared/gen/polaroid/v1/dataframe.ts";
import {
  HandleServiceService,
  HandleWorkerServiceService,
} from "../shared/gen/polaroid/v1/handles.ts";
import { IngestServiceService } from "../shared/gen/polaroid/v1/ingest.ts";
import { JobServiceService } from "../shared/gen/polaroid/v1/jobs.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { fromServiceError } from "../shared/grpc/status.ts";
import type { ServiceDefinition } from "../shared/grpc/types.ts";
import { PolaroidError } from "../shared/errors.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-auth-" });
const service = newApiKey("polaroid", ["service"]);
const acme = newApiKey("acme", ["admin"]);
const acmeReader = newApiKey("acme", ["read"]);
const globex = newApiKey("globex", ["write"]);
const SECRET = "an HS256 secret of more than thirty-two bytes";
await Deno.writeTextFile(
  `${dir}/api-keys.json`,
  JSON.stringify([service, acme, acmeReader, globex].map((k) => k.record)),
);
await Deno.writeTextFile(`${dir}/service-token`, service.key);
// Files under the data root: each tenant scans its own directory only.
const dataRoot = `${dir}/data`;
const files: Array<[string, string]> = [
  ["acme/mine.csv", "a\n1\n2\n"],
  ["globex/theirs.csv", "b\n3\n"],
  ["top.csv", "c\n4\n"],
];
for (const [path, text] of files) {
  await Deno.mkdir(`${dataRoot}/${path.split("/").slice(0, -1).join("/")}`, { recursive: true });
  await Deno.writeTextFile(`${dataRoot}/${path}`, text);
}
const cluster = await testCluster({
  dataRoot,
  env: {
    POLAROID_AUTH: "token",
    POLAROID_AUTH_API_KEYS_FILE: `${dir}/api-keys.json`,
    POLAROID_AUTH_JWT_SECRET: SECRET,
    POLAROID_SERVICE_TOKEN_FILE: `${dir}/service-token`,
    // Live tables need a state store.
    POLAROID_STATE_DIR: `${dir}/state`,
  },
});
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const endpoint = cluster.endpoints.compute;
const asAcme = await connect({ endpoint, token: acme.key });
const asGlobex = await connect({ endpoint, token: globex.key });
const ROWS = Array.from({ length: 100 }, (_, i) => ({ k: i, v: i * 0.5 }));
const canary = await asAcme.fromRecords(ROWS, undefined, { name: "canary" });

/** Calls every method of `definition` at `at` with an empty request and no credentials. */
async function codesWithoutCredentials(at: string, definition: ServiceDefinition) {
  const client = new RpcClient(at, definition, { timeoutMs: 10_000 });
  const codes: Record<string, string> = {};
  try {
    for (const [key, def] of Object.entries(definition)) {
      const request = def.requestDeserialize(Buffer.alloc(0));
      try {
        if (def.requestStream && def.responseStream) {
          await new Promise<void>((resolve, reject) => {
            const call = client.duplex(key as never);
            call.on("data", () => {});
            call.on("error", (error: unknown) => reject(fromServiceError(error)));
            call.on("end", () => resolve());
            call.end();
          });
        } else if (def.requestStream) {
          // deno-lint-ignore no-explicit-any
          await client.clientStream(key as never, (async function* () {})() as any);
        } else if (def.responseStream) {
          // deno-lint-ignore no-explicit-any
          for await (const _ of (client as any).serverStream(key, request)) { /* none */ }
        } else {
          await client.unary(key as never, request as never);
        }
        codes[def.path] = "OK";
      } catch (error) {
        codes[def.path] = error instanceof PolaroidError ? error.reason : String(error);
      }
    }
  } finally {
    client.close();
  }
  return codes;
}

Deno.test({
  name: "every RPC of every service without credentials is UNAUTHENTICATED",
  ...INTEGRATION,
  async fn() {
    const targets: Array<[string, ServiceDefinition]> = [
      [endpoint, DataFrameServiceService],
      [endpoint, JobServiceService],
      [cluster.endpoints.handles, HandleServiceService],
      [cluster.endpoints.handles, HandleWorkerServiceService],
      [cluster.endpoints.ingest, IngestServiceService],
    ];
    let methods = 0;
    for (const [at, definition] of targets) {
      const codes = await codesWithoutCredentials(at, definition);
      for (const [path, code] of Object.entries(codes)) {
        assert.equal(code, "UNAUTHENTICATED", path);
        methods++;
      }
    }
    assert.equal(methods, 29);
    // A forged key and a JWT signed with another secret are no better.
    const forged = `${acme.key.slice(0, 16)}${"a".repeat(32)}`;
    for (
      const token of [
        forged,
        await jwt("acme", ["admin"], "another secret of thirty-two bytes or more"),
      ]
    ) {
      await using client = await connect({ endpoint, token, connectTimeoutMs: 0 });
      await assert.rejects(client.listHandles(), UnauthenticatedError);
    }
  },
});

function jwt(tenant: string, roles: string[], secret = SECRET): Promise<string> {
  return new jose.SignJWT({ tenant, roles }).setProtectedHeader({ alg: "HS256" })
    .setSubject(`user-of-${tenant}`).setExpirationTime("5m")
    .sign(new TextEncoder().encode(secret));
}

Deno.test({
  name: "1,000 cross-tenant attempts on a canary all fail, and the canary stays intact",
  ...INTEGRATION,
  async fn() {
    const id = canary.id;
    // Acme's job and ingest source, which globex must not reach either.
    const job = await canary.lazy().submit();
    await using acmeIngest = await connectIngest({
      endpoint: cluster.endpoints.ingest,
      token: acme.key,
    });
    await acmeIngest.addNatsSource({ name: "ticks", subject: "md.acme.ticks" });
    await using globexIngest = await connectIngest({
      endpoint: cluster.endpoints.ingest,
      token: globex.key,
    });
    const jobs = new RpcClient(endpoint, JobServiceService, {
      token: globex.key,
      timeoutMs: 10_000,
    });
    // The handle calls straight, as any gRPC client would make them.
    const handles = new RpcClient(endpoint, HandleServiceService, {
      token: globex.key,
      timeoutMs: 10_000,
    });
    const onHandle = (
      method:
        | "describeHandle"
        | "resolveHandle"
        | "pinHandle"
        | "unpinHandle"
        | "retainHandle"
        | "releaseHandle"
        | "deleteHandle",
    ) =>
    () => handles.unary(method, { id });
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["describe", onHandle("describeHandle")],
      ["resolve", onHandle("resolveHandle")],
      ["pin", onHandle("pinHandle")],
      ["unpin", onHandle("unpinHandle")],
      ["retain", onHandle("retainHandle")],
      ["release", onHandle("releaseHandle")],
      ["delete", onHandle("deleteHandle")],
      ["open", () => asGlobex.handle(id)],
      ["scan", () => new RemoteLazyFrame(asGlobex as never, scanHandlePlan(id)).collect()],
      ["sql", () => asGlobex.sql("SELECT * FROM canary", { ownedHandles: true }).collect()],
      ["job", () => jobs.unary("getJob", { jobId: job.id })],
      ["source snapshot", () => globexIngest.snapshot("ticks")],
      ["source remove", () => globexIngest.removeSource("ticks")],
    ];
    const outcomes: Record<string, Record<string, number>> = {};
    for (let i = 0; i < 1000; i++) {
      const [what, attempt] = attempts[i % attempts.length]!;
      let reason = "OK";
      try {
        await attempt();
      } catch (error) {
        reason = error instanceof PolaroidError ? error.reason : String(error);
        if (what !== "sql") {
          assert.ok(
            error instanceof NotFoundError || error instanceof PermissionDeniedError,
            `${what}: ${error}`,
          );
        }
      }
      assert.notEqual(reason, "OK", `${what} succeeded across tenants`);
      (outcomes[what] ??= {})[reason] = (outcomes[what]![reason] ?? 0) + 1;
    }
    handles.close();
    jobs.close();
    // Acme's source is still there, and its job still its own.
    assert.deepEqual((await acmeIngest.listSources()).map((s) => s.spec?.name), ["ticks"]);
    // globex naming acme's subject reads its own namespace: none of acme's messages.
    const theirs = await globexIngest.addNatsSource({ name: "ticks", subject: "md.acme.ticks" });
    assert.equal(theirs.natsSubject, "polaroid.ingest.globex.md.acme.ticks");
    const nats = await natsConnect({ servers: cluster.endpoints.nats });
    try {
      for (let i = 0; i < 20; i++) nats.publish("polaroid.ingest.acme.md.acme.ticks", `{"i":${i}}`);
      await nats.flush();
    } finally {
      await nats.close();
    }
    await waitFor(async () => (await acmeIngest.listSources())[0]!.messages === 20n, {
      timeoutMs: 10_000,
      what: "acme's 20 messages",
    });
    assert.equal((await globexIngest.listSources())[0]!.messages, 0n, "globex read none");
    await globexIngest.removeSource("ticks");
    await acmeIngest.removeSource("ticks");
    await (await job.wait({ timeoutMs: 60_000 })).release();
    console.log(`cross-tenant outcomes: ${JSON.stringify(outcomes)}`);
    // SQL fails on acme's table name exactly as on a name nobody uses: nothing leaks.
    const sqlError = async (table: string) => {
      try {
        await asGlobex.sql(`SELECT * FROM ${table}`, { ownedHandles: true }).collect();
      } catch (error) {
        return [(error as PolaroidError).reason, (error as Error).message.replaceAll(table, "T")];
      }
      return ["OK"];
    };
    assert.deepEqual(await sqlError("canary"), await sqlError("nosuchtable"));
    // Acting for acme with globex's key, even naming acme as the tenant, is refused.
    await using spoof = await connect({ endpoint, token: globex.key, tenant: "acme" });
    await assert.rejects(spoof.handle(id), PermissionDeniedError);
    // globex sees none of it; acme's canary is whole.
    assert.deepEqual((await asGlobex.listHandles()).map((h) => h.id), []);
    const back = await asAcme.handle(id);
    assert.deepEqual(await back.toRecords(), ROWS);
  },
});

Deno.test({
  name: "roles: a reader reads but cannot write; a client cannot register handles; JWTs work",
  ...INTEGRATION,
  async fn() {
    await using reader = await connect({ endpoint, token: acmeReader.key });
    assert.equal((await reader.handle(canary.id)).id, canary.id);
    await assert.rejects(reader.fromRecords([{ a: 1 }]), PermissionDeniedError);
    const mine = await reader.handle(canary.id);
    await assert.rejects(mine.pin(), PermissionDeniedError);
    const handles = new RpcClient(cluster.endpoints.handles, HandleServiceService, {
      token: acme.key,
      timeoutMs: 10_000,
    });
    try {
      await assert.rejects(
        handles.unary(
          "registerHandle",
          HandleServiceService.registerHandle.requestDeserialize(Buffer.alloc(0)),
        ),
        (e) => e instanceof PermissionDeniedError && /needs the role service/.test(e.message),
      );
    } finally {
      handles.close();
    }
    await using viaJwt = await connect({ endpoint, token: await jwt("acme", ["read"]) });
    assert.ok((await viaJwt.listHandles()).some((h) => h.id === canary.id));
  },
});

Deno.test({
  name: "scans read the tenant's own part of the data root only",
  ...INTEGRATION,
  async fn() {
    const mine = await asAcme.scanCsv("mine.csv").collect();
    assert.deepEqual(await mine.toRecords(), [{ a: 1n }, { a: 2n }]);
    await mine.release();
    for (const path of ["theirs.csv", "../globex/theirs.csv", "../top.csv", "/etc/passwd"]) {
      await assert.rejects(asAcme.scanCsv(path).collect(), PolaroidError, path);
    }
  },
});

Deno.test({
  name: "each handle made leaves an audit line naming who made it",
  ...INTEGRATION,
  async fn() {
    const made = await asGlobex.fromRecords([{ a: 1 }]);
    let found: Record<string, unknown> | undefined;
    await waitFor(async () => {
      const log = await Deno.readTextFile(`${cluster.logDir}/compute.log`);
      found = log.split("\n").filter((l) => l.includes('"audit"')).map((l) => JSON.parse(l))
        .find((l) => l.handle === made.id);
      return found !== undefined;
    }, { timeoutMs: 10_000, what: "the audit line of the new handle" });
    assert.ok(found, "an audit line names the new handle");
    assert.equal(found.action, "handle.create");
    assert.equal(found.tenant, "globex");
    assert.equal(found.subject, `key:${globex.record.id}`);
  },
});

Deno.test({
  name: "live tables are the tenant's own: another tenant scans, follows and appends its own",
  ...INTEGRATION,
  async fn() {
    await using acmeIngest = await connectIngest({
      endpoint: cluster.endpoints.ingest,
      token: acme.key,
    });
    await using globexIngest = await connectIngest({
      endpoint: cluster.endpoints.ingest,
      token: globex.key,
    });
    await using readerIngest = await connectIngest({
      endpoint: cluster.endpoints.ingest,
      token: acmeReader.key,
    });
    await acmeIngest.append("ledger", [{ amount: 100 }, { amount: 250 }]);
    // globex names acme's table: it does not exist for globex.
    await assert.rejects(asGlobex.scanLive("ledger").collect(), NotFoundError);
    let seen = 0;
    for await (
      const batch of globexIngest.follow("ledger", { signal: AbortSignal.timeout(300) })
    ) seen += batch.rows;
    assert.equal(seen, 0, "a follow of another tenant's table sees nothing");
    // Its append makes its own table of that name; acme's stays as it was.
    await globexIngest.append("ledger", [{ amount: -1 }]);
    assert.deepEqual(
      (await asAcme.scanLive("ledger").toRecords()).map((r) => Number(r.amount)),
      [100, 250],
    );
    assert.deepEqual(
      (await asGlobex.scanLive("ledger").toRecords()).map((r) => Number(r.amount)),
      [-1],
    );
    // Appending needs the write role; following only read.
    await assert.rejects(readerIngest.append("ledger", [{ amount: 1 }]), PermissionDeniedError);
    for await (const batch of readerIngest.follow("ledger")) {
      assert.equal(batch.rows, 2);
      break;
    }
  },
});

Deno.test({
  name: "auth cluster stops",
  ...INTEGRATION,
  async fn() {
    await asAcme.close();
    await asGlobex.close();
    await cluster.stop();
  },
});
