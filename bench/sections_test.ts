import assert from "node:assert/strict";
import { sections, withSection } from "./sections.ts";

Deno.test("withSection() appends a new section and replaces an existing one in place", () => {
  const once = withSection("# Benchmarks\n\nmain\n", "deep-plans", "| a |\n");
  assert.equal(
    once,
    "# Benchmarks\n\nmain\n\n<!-- section:deep-plans -->\n| a |\n<!-- /section:deep-plans -->\n",
  );
  const twice = withSection(withSection(once, "streaming", "s1"), "deep-plans", "| b |");
  assert.match(twice, /section:deep-plans -->\n\| b \|\n<!-- \/section:deep-plans/);
  assert.ok(twice.indexOf("deep-plans") < twice.indexOf("streaming"), "order kept");
  assert.deepEqual(sections(twice).length, 2);
  assert.doesNotMatch(twice, /\| a \|/);
});
