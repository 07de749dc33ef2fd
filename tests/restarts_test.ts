/**
 * Restarts that no client notices, the short version of `deno task restarts`
 * (scripts/restarts.ts): three compute workers on the external store and the shared catalog,
 * nginx in front, four client processes under steady load through the SDK; each compute
 * worker, the handles service and the ingest service is restarted gracefully three times,
 * and nginx reloaded three times. No client process dies and no call fails.
 */

import assert from "node:assert/strict";
import { formatReport, RESTART_KINDS, runRestarts } from "../scripts/restarts.ts";
import { okCalls } from "../scripts/_restarts_clients.ts";
import { INTEGRATION } from "./_harness.ts";

const RESTARTS = 3;

Deno.test({
  name: `${RESTARTS} graceful restarts of every kind of service: no client dies, no call fails`,
  ...INTEGRATION,
  async fn() {
    const lines: string[] = [];
    const report = await runRestarts({
      restarts: RESTARTS,
      workers: 3,
      clients: 4,
      log: (line) => lines.push(line),
    });
    console.log(formatReport(report));
    for (const kind of RESTART_KINDS) assert.equal(report.restarts[kind], RESTARTS, kind);
    assert.deepEqual(report.deaths, [], "no client process died");
    assert.deepEqual(report.counts.failed, {}, "no call failed");
    assert.deepEqual(report.serviceNotices, [], "no service process died or was killed");
    assert.deepEqual(report.stalls, [], "every client went on after every restart");
    assert.ok(okCalls(report.counts) > 500, `calls went on (${okCalls(report.counts)})`);
    for (const kind of ["upload", "execute", "collect", "download slow", "plan stream slow"]) {
      assert.ok((report.counts.ok[kind] ?? 0) > 0, `${kind} calls succeeded`);
    }
    assert.ok(report.counts.goaways > 0, "the clients saw the drains");
  },
});
