import assert from "node:assert/strict";
import { relative } from "node:path";
import { GEN_DIR, generate } from "../scripts/proto.ts";

async function files(root: string, dir = root): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      for (const [k, v] of await files(root, path)) found.set(k, v);
    } else {
      found.set(relative(root, path), await Deno.readTextFile(path));
    }
  }
  return found;
}

Deno.test("shared/gen is what proto/ generates", async () => {
  const out = await Deno.makeTempDir({ prefix: "polaroid-gen-" });
  try {
    await generate(out);
    const fresh = await files(out);
    const committed = await files(GEN_DIR);
    assert.ok(fresh.size > 0, "buf generated files");
    const missing = [...fresh.keys()].filter((k) => !committed.has(k)).sort();
    const extra = [...committed.keys()].filter((k) => !fresh.has(k)).sort();
    const stale = [...fresh.keys()].filter((k) =>
      committed.has(k) && committed.get(k) !== fresh.get(k)
    )
      .sort();
    const problems = [
      ...missing.map((k) => `missing: shared/gen/${k}`),
      ...extra.map((k) => `not generated any more: shared/gen/${k}`),
      ...stale.map((k) => `stale: shared/gen/${k}`),
    ];
    assert.deepEqual(
      problems,
      [],
      `shared/gen does not match proto/: run \`deno task proto\`\n${problems.join("\n")}`,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
