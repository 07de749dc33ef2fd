import assert from "node:assert/strict";
import { parse } from "yaml";
import { dashboards, generatedFiles, GRAFANA_DIR, writeGeneratedFiles } from "./dashboards.ts";
import { DATASOURCE, type Panel } from "./_grafana.ts";

const STALE = "is stale: run `deno task dashboards` and commit the result";

Deno.test("the committed Grafana files equal what dashboards.ts generates", async () => {
  for (const [path, text] of generatedFiles()) {
    const committed = await Deno.readTextFile(`${GRAFANA_DIR}/${path}`).catch(() => undefined);
    assert.ok(committed !== undefined, `${path} is missing: run \`deno task dashboards\``);
    assert.equal(committed, text, `${path} ${STALE}`);
  }
  const generated = new Set(generatedFiles().keys());
  for await (const entry of Deno.readDir(`${GRAFANA_DIR}/dashboards`)) {
    assert.ok(generated.has(`dashboards/${entry.name}`), `dashboards/${entry.name} ${STALE}`);
  }
});

Deno.test("writeGeneratedFiles() writes every file and removes dashboards no longer generated", async () => {
  const dir = await Deno.makeTempDir({ prefix: "polaroid-grafana-" });
  try {
    await Deno.mkdir(`${dir}/dashboards`);
    await Deno.writeTextFile(`${dir}/dashboards/old.json`, "{}");
    const done = await writeGeneratedFiles(dir);
    assert.ok(done.includes(`removed ${dir}/dashboards/old.json`));
    for (const [path, text] of generatedFiles()) {
      assert.equal(await Deno.readTextFile(`${dir}/${path}`), text, path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dashboards have the five boards with unique uids and a schema version", () => {
  const boards = dashboards();
  assert.deepEqual(Object.keys(boards), ["overview", "compute", "handles", "ingest", "jobs"]);
  const uids = Object.values(boards).map((b) => b.uid);
  assert.equal(new Set(uids).size, uids.length, `uids repeat: ${uids}`);
  for (const board of Object.values(boards)) {
    assert.ok(Number.isInteger(board.schemaVersion) && board.schemaVersion > 0, board.uid);
    assert.ok(board.panels.length > 0, board.uid);
  }
});

Deno.test("every panel has a unique id, the prometheus datasource, targets with an expr and a place", () => {
  for (const [name, board] of Object.entries(dashboards())) {
    const ids = board.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, `${name}: panel ids repeat: ${ids}`);
    for (const panel of board.panels) {
      const where = `${name} / ${panel.title}`;
      assert.deepEqual(panel.datasource, DATASOURCE, where);
      assert.equal(panel.datasource.uid, "prometheus", where);
      assert.ok(panel.targets.length > 0, `${where} has no target`);
      const refIds = panel.targets.map((t) => t.refId);
      assert.equal(new Set(refIds).size, refIds.length, `${where}: refIds repeat`);
      for (const target of panel.targets) {
        assert.equal(target.datasource.uid, "prometheus", where);
        assert.ok(target.expr.trim() !== "", `${where} has a target without expr`);
      }
      const { x, y, w, h } = panel.gridPos;
      assert.ok([x, y, w, h].every(Number.isInteger), `${where}: gridPos ${panel.gridPos}`);
      assert.ok(w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= 24, `${where}: gridPos`);
    }
    assertNoOverlap(name, board.panels);
  }
});

Deno.test("exprs use only the template variables their dashboard defines, and balanced brackets", () => {
  for (const [name, board] of Object.entries(dashboards())) {
    const defined = new Set(board.templating.list.map((v) => v.name));
    for (const panel of board.panels) {
      for (const { expr } of panel.targets) {
        for (const [, variable] of expr.matchAll(/\$(\w+)/g)) {
          if (variable!.startsWith("__")) continue; // Grafana's macros
          assert.ok(defined.has(variable!), `${name} / ${panel.title}: $${variable} undefined`);
        }
        assert.ok(balanced(expr), `${name} / ${panel.title}: unbalanced ${expr}`);
        assert.match(expr, /polaroid_/, `${name} / ${panel.title}`);
      }
    }
  }
});

Deno.test("the provisioning names the datasource uid the panels use and the dashboards folder", () => {
  const files = generatedFiles();
  const datasources = parse(files.get("provisioning/datasources/prometheus.yml")!) as {
    datasources: { uid: string; type: string }[];
  };
  assert.deepEqual(
    datasources.datasources.map((d) => [d.type, d.uid]),
    [[DATASOURCE.type, DATASOURCE.uid]],
  );
  const providers = parse(files.get("provisioning/dashboards/polaroid.yml")!) as {
    providers: { type: string; options: { path: string } }[];
  };
  assert.equal(providers.providers[0]?.type, "file");
  assert.match(providers.providers[0]?.options.path ?? "", /dashboards/);
});

function assertNoOverlap(name: string, panels: readonly Panel[]): void {
  const cells = new Map<string, string>();
  for (const { title, gridPos: { x, y, w, h } } of panels) {
    for (let i = x; i < x + w; i++) {
      for (let j = y; j < y + h; j++) {
        const other = cells.get(`${i},${j}`);
        assert.equal(other, undefined, `${name}: '${title}' overlaps '${other}'`);
        cells.set(`${i},${j}`, title);
      }
    }
  }
}

function balanced(expr: string): boolean {
  const open: string[] = [];
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  let quoted = false;
  for (const c of expr) {
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if ("([{".includes(c)) open.push(c);
    else if (c in pairs && open.pop() !== pairs[c]) return false;
  }
  return open.length === 0 && !quoted;
}
