/**
 * The web console in a real browser: a token-auth cluster (traced into the project's trace
 * sink) holds a tenant's handles, has run a query and ingests a NATS feed; headless Chromium
 * signs in to the handles service's console with the tenant admin's key and must show the
 * tenant's handles (rows, bytes, TTL, where stored), the query with its plan outline, status
 * and the trace id the sink received, and the source with its rows. An operator's service key
 * sees every tenant; a reader's key is refused. Set POLAROID_CONSOLE_SCREENSHOT to a path to
 * keep the screenshot (docs/images/console.png is made so).
 *
 * @module
 */

import assert from "node:assert/strict";
import { connect as connectNats } from "@nats-io/transport-node";
import { newApiKey } from "../shared/auth/api_keys.ts";
import { startTraceSink } from "../services/observability/trace_sink.ts";
import { col, connect, connectIngest } from "../sdk/mod.ts";
import { waitFor } from "../scripts/_wait.ts";
import { startBrowser } from "./_chromium.ts";
import { waitForSource } from "./_ingest.ts";
import { INTEGRATION, testCluster, tokenAuthEnv } from "./_harness.ts";

const admin = newApiKey("acme", ["admin"]);
const reader = newApiKey("acme", ["read"]);
const other = newApiKey("globex", ["write"]);

Deno.test(
  "the console shows a tenant's handles, queries with plan and trace, and sources in a browser",
  INTEGRATION,
  async () => {
    await using sink = await startTraceSink();
    const dir = await Deno.makeTempDir({ prefix: "polaroid-console-" });
    const auth = await tokenAuthEnv(dir, [admin, reader, other]);
    const operatorKey = (await Deno.readTextFile(`${dir}/service-token`)).trim();
    await using cluster = await testCluster({
      env: {
        ...auth,
        OTEL_DENO: "true",
        OTEL_DENO_CONSOLE: "ignore",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        OTEL_BSP_SCHEDULE_DELAY: "200",
      },
    });
    const { endpoints } = cluster;
    await using client = await connect({ endpoint: endpoints.compute, token: admin.key });
    await using globex = await connect({ endpoint: endpoints.compute, token: other.key });
    await using ingest = await connectIngest({ endpoint: endpoints.ingest, token: admin.key });

    const rows = Array.from({ length: 1000 }, (_, i) => ({ sym: i % 2 ? "A" : "B", px: i }));
    const prices = await client.fromRecords(rows, undefined, { name: "prices" });
    const summary = await prices.lazy()
      .filter(col("px").gt(10))
      .groupBy("sym")
      .agg(col("px").sum().alias("total"))
      .collect();
    assert.equal(summary.height, 2);
    await globex.fromRecords([{ x: 1 }], undefined, { name: "hidden_from_acme" });

    await ingest.addNatsSource({ name: "ticks", subject: "md.>", maxBatchDelayMs: 50 });
    const nats = await connectNats({ servers: endpoints.nats });
    try {
      const encoder = new TextEncoder();
      for (let i = 0; i < 200; i++) {
        nats.publish("polaroid.ingest.acme.md.t", encoder.encode(`{"px":${i}}`));
      }
      await nats.flush();
    } finally {
      await nats.close();
    }
    await waitForSource(
      { endpoint: endpoints.ingest, token: admin.key },
      "ticks",
      (s) => s.rows === 200n,
    );

    const url = `${endpoints.handlesHttp}/console/`;
    const api = (token: string) =>
      fetch(`${endpoints.handlesHttp}/console/api/overview`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const refused = await api(reader.key);
    assert.equal(refused.status, 403, "a reader may not look");
    await refused.body?.cancel();

    await using browser = await startBrowser();
    const page = await browser.open(url);
    await page.waitFor(`!document.getElementById("signin").hidden`, "the sign-in form");
    await page.evaluate(`(() => {
      document.getElementById("token").value = ${JSON.stringify(admin.key)};
      document.getElementById("signin").requestSubmit();
    })()`);
    const table = (id: string) =>
      page.evaluate<string[][]>(
        `[...document.querySelectorAll("#${id} tbody tr")].map((tr) => [...tr.cells].map((td) => td.textContent))`,
      );
    const hasRow = (id: string, cells: string[]) =>
      `[...document.querySelectorAll("#${id} tbody tr")].some((tr) => ${
        JSON.stringify(cells)
      }.every((c) => tr.textContent.includes(c)))`;
    await page.waitFor(hasRow("tenants", ["acme"]), "the tenant acme");
    await page.waitFor(hasRow("handles", ["prices", "1,000"]), "the handle prices with its rows");
    await page.waitFor(
      hasRow("recent", ["Execute", "scan → filter → group_by", "OK"]),
      "the query with its plan",
    );
    await page.waitFor(hasRow("sources", ["ticks", "nats", "200"]), "the source with its rows");

    const tenants = await table("tenants");
    assert.deepEqual(tenants.map((r) => r[0]), ["acme"], "another tenant's handles are not shown");
    const handles = await table("handles");
    const pricesRow = handles.find((r) => r[1] === "prices")!;
    assert.equal(pricesRow[2], "1,000");
    assert.ok(Number(pricesRow[3]!.replaceAll(",", "")) > 0, "bytes");
    assert.ok(Number(pricesRow[4]!.replaceAll(",", "")) > 0, "TTL");
    assert.match(pricesRow[8]!, /^(worker |state store)/);
    const recent = await table("recent");
    const execute = recent.find((r) => r[2]!.endsWith("/Execute") && r[4]!.includes("group_by"))!;
    const traceId = execute[8]!;
    assert.match(traceId, /^[0-9a-f]{32}$/, "the query's trace id");
    await waitFor(
      () => sink.spans(traceId).length > 0,
      { timeoutMs: 30_000, what: "the trace the console names, in the trace sink" },
    );
    assert.equal(
      await page.evaluate<number>(`document.querySelectorAll("td *").length`),
      0,
      "cells hold text only, never markup",
    );
    // A second refresh gives the source its rate.
    await page.waitFor(`!(${hasRow("sources", ["…"])})`, "the source's rate");
    const png = await page.screenshot();
    assert.deepEqual([...png.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const keep = Deno.env.get("POLAROID_CONSOLE_SCREENSHOT");
    if (keep) await Deno.writeFile(keep, png);

    // The operator (a service credential) sees every tenant.
    await page.evaluate(`(() => {
      sessionStorage.setItem("polaroid.console.token", ${JSON.stringify(operatorKey)});
      location.reload();
    })()`);
    await page.waitFor(hasRow("tenants", ["globex"]), "every tenant for the operator");
    await page.waitFor(
      `document.getElementById("viewer").textContent.includes("every tenant")`,
      "the operator's view",
    );
    await Deno.remove(dir, { recursive: true });
  },
);
