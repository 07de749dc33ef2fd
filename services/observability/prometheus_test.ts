import assert from "node:assert/strict";
import { parse } from "yaml";
import { findCommand } from "../../scripts/_debian.ts";
import { WELL_KNOWN_PORTS } from "../../scripts/_up.ts";

const DIR = decodeURIComponent(new URL(".", import.meta.url).pathname);

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  file_sd_configs?: { files: string[] }[];
}

async function load<T>(path: string): Promise<T> {
  return parse(await Deno.readTextFile(`${DIR}/${path}`)) as T;
}

Deno.test("prometheus.yml scrapes /metrics of compute, handles and ingest", async () => {
  const config = await load<{ scrape_configs: ScrapeConfig[]; rule_files: string[] }>(
    "prometheus.yml",
  );
  assert.deepEqual(config.scrape_configs.map((s) => s.job_name), ["compute", "handles", "ingest"]);
  for (const scrape of config.scrape_configs) {
    assert.equal(scrape.metrics_path, "/metrics");
    assert.deepEqual(scrape.file_sd_configs?.[0]?.files, [`targets/${scrape.job_name}.yml`]);
  }
  assert.deepEqual(config.rule_files, ["alerts.yml"]);
});

Deno.test("prometheus targets default to the HTTP ports of deno task up", async () => {
  const expected = {
    compute: WELL_KNOWN_PORTS.computeHttp,
    handles: WELL_KNOWN_PORTS.handlesHttp,
    ingest: WELL_KNOWN_PORTS.ingestHttp,
  };
  for (const [job, port] of Object.entries(expected)) {
    const groups = await load<{ targets: string[] }[]>(`targets/${job}.yml`);
    assert.deepEqual(groups, [{ targets: [`127.0.0.1:${port}`] }], job);
  }
});

Deno.test("alerts.yml defines service-down, error-rate and p99-latency alerts", async () => {
  const rules = await load<{ groups: { rules: { alert: string; expr: string }[] }[] }>(
    "alerts.yml",
  );
  const byName = new Map(rules.groups.flatMap((g) => g.rules).map((r) => [r.alert, r.expr]));
  assert.match(
    byName.get("PolaroidServiceDown") ?? "",
    /up\{job=~"compute\|handles\|ingest"\} == 0/,
  );
  assert.match(byName.get("PolaroidHighErrorRate") ?? "", /polaroid_grpc_errors_total/);
  assert.match(
    byName.get("PolaroidHighLatencyP99") ?? "",
    /histogram_quantile\(0\.99,[\s\S]*polaroid_grpc_request_duration_seconds_bucket/,
  );
});

Deno.test("promtool accepts prometheus.yml and alerts.yml when it is installed", async () => {
  const promtool = await findCommand("promtool");
  if (!promtool) return; // the Debian package prometheus provides it; CI does not need it
  for (const args of [["check", "config", "prometheus.yml"], ["check", "rules", "alerts.yml"]]) {
    const out = await new Deno.Command(promtool, {
      args,
      cwd: DIR,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.ok(out.success, `promtool ${args.join(" ")}:\n${text}`);
    assert.match(text, /SUCCESS/);
  }
});
