/**
 * docs/compat.md is current, and the SDK keeps every member the matrix claims.
 */

import assert from "node:assert/strict";
import { COMPAT_JSON, COMPAT_MD, generateCompat } from "../scripts/compat.ts";
import type { Matrix } from "../scripts/compat/matrix.ts";
import { sdkMembers } from "../scripts/compat/sdk_members.ts";

/** The share of nodejs-polars' lazy members the SDK must support. */
const TARGET_SHARE = 0.95;

Deno.test("docs/compat.md and docs/compat.json are what `deno task compat` generates", async () => {
  const { md, json } = await generateCompat();
  assert.equal(Deno.readTextFileSync(COMPAT_MD), md, "docs/compat.md is stale: deno task compat");
  assert.equal(Deno.readTextFileSync(COMPAT_JSON), json, "docs/compat.json is stale");
});

Deno.test("the SDK has every member docs/compat.json claims as supported", () => {
  const claimed: Matrix = JSON.parse(Deno.readTextFileSync(COMPAT_JSON));
  const sdk = sdkMembers();
  const lost: string[] = [];
  for (const section of claimed.sections) {
    for (const row of section.rows) {
      if (row.status === "supported" && !sdk[section.interface]?.has(row.member)) {
        lost.push(`${section.interface}.${row.member}`);
      }
    }
  }
  assert.deepEqual(lost, [], `the SDK lost members the matrix claims: ${lost.join(", ")}`);
});

Deno.test("every member the SDK leaves out has a reason in the matrix", () => {
  const claimed: Matrix = JSON.parse(Deno.readTextFileSync(COMPAT_JSON));
  const silent = claimed.sections.filter((s) => s.interface !== "pl").flatMap((s) =>
    s.rows.filter((r) => r.status === "not supported" && r.note === "").map((r) =>
      `${s.interface}.${r.member}`
    )
  );
  assert.deepEqual(silent, [], `members left out without a reason: ${silent.join(", ")}`);
});

Deno.test(`at least ${TARGET_SHARE * 100}% of nodejs-polars' lazy members are supported`, () => {
  const claimed: Matrix = JSON.parse(Deno.readTextFileSync(COMPAT_JSON));
  const rows = claimed.sections.filter((s) => s.interface !== "pl").flatMap((s) => s.rows);
  const supported = rows.filter((r) => r.status === "supported").length;
  assert.ok(
    supported / rows.length >= TARGET_SHARE,
    `${supported} of ${rows.length} supported (${(100 * supported / rows.length).toFixed(1)}%)`,
  );
});
