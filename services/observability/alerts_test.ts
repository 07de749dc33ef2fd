/**
 * The alert rules: promtool accepts alerts.yml and passes its unit tests (alerts_test.yml),
 * and every alert there has a case where it fires and one where it does not.
 */

import assert from "node:assert/strict";
import { parse } from "yaml";
import { ensureCommand } from "../../scripts/_debian.ts";

const DIR = decodeURIComponent(new URL(".", import.meta.url).pathname);

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface ExpectedAlert {
  exp_labels?: Record<string, string>;
  exp_annotations?: Record<string, string>;
}

interface RuleTest {
  name?: string;
  alert_rule_test?: { eval_time: string; alertname: string; exp_alerts?: ExpectedAlert[] }[];
}

async function load<T>(path: string): Promise<T> {
  return parse(await Deno.readTextFile(`${DIR}/${path}`)) as T;
}

async function alertRules(): Promise<AlertRule[]> {
  const file = await load<{ groups: { rules: AlertRule[] }[] }>("alerts.yml");
  return file.groups.flatMap((g) => g.rules);
}

async function promtool(...args: string[]): Promise<{ success: boolean; text: string }> {
  // The Debian package prometheus provides promtool; installed when missing (as root).
  const command = await ensureCommand("promtool", { package: "prometheus" });
  const out = await new Deno.Command(command, {
    args,
    cwd: DIR,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { success: out.success, text };
}

Deno.test("promtool check rules accepts alerts.yml", async () => {
  const { success, text } = await promtool("check", "rules", "alerts.yml");
  assert.ok(success, `promtool check rules alerts.yml:\n${text}`);
  assert.match(text, /SUCCESS: \d+ rules found/);
});

Deno.test("promtool test rules passes alerts_test.yml", async () => {
  const { success, text } = await promtool("test", "rules", "alerts_test.yml");
  assert.ok(success, `promtool test rules alerts_test.yml:\n${text}`);
  assert.match(text, /SUCCESS/);
});

Deno.test("every alert is named Polaroid*, waits with for:, has a severity and says what to do", async () => {
  for (const rule of await alertRules()) {
    assert.match(rule.alert, /^Polaroid[A-Z]\w+$/);
    assert.match(rule.for ?? "", /^\d+[smh]$/, `${rule.alert} has no for:`);
    assert.ok(
      ["critical", "warning"].includes(rule.labels?.severity ?? ""),
      `${rule.alert} has severity ${rule.labels?.severity}`,
    );
    assert.ok(rule.annotations?.summary, `${rule.alert} has no summary`);
    assert.ok(rule.annotations?.description, `${rule.alert} has no description`);
  }
});

Deno.test("every alert in alerts.yml has a firing and a quiet case in alerts_test.yml", async () => {
  const file = await load<{ rule_files: string[]; tests: RuleTest[] }>("alerts_test.yml");
  assert.deepEqual(file.rule_files, ["alerts.yml"]);
  const firing = new Set<string>();
  const quiet = new Set<string>();
  for (const test of file.tests) {
    for (const step of test.alert_rule_test ?? []) {
      const expected = step.exp_alerts ?? [];
      (expected.length > 0 ? firing : quiet).add(step.alertname);
      for (const alert of expected) {
        // promtool compares labels and annotations whole: these say the case checks them.
        assert.ok(alert.exp_labels?.severity, `${test.name}: ${step.alertname} without severity`);
        assert.ok(
          alert.exp_annotations?.summary,
          `${test.name}: ${step.alertname} without summary`,
        );
        assert.ok(
          alert.exp_annotations?.description,
          `${test.name}: ${step.alertname} without description`,
        );
      }
    }
  }
  const names = (await alertRules()).map((r) => r.alert);
  assert.deepEqual(names.filter((n) => !firing.has(n)), [], "alerts never tested firing");
  assert.deepEqual(names.filter((n) => !quiet.has(n)), [], "alerts never tested quiet");
  const unknown = [...firing, ...quiet].filter((n) => !names.includes(n));
  assert.deepEqual(unknown, [], "tests of alerts alerts.yml does not define");
});
