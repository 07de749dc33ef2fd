/**
 * Every example of docs/migration.md, both programs on the same files: the nodejs-polars
 * program in-process, its Polaroid twin through a live cluster whose data root holds the
 * files. Results must have equal schemas and rows; the guide must be current.
 */

import assert from "node:assert/strict";
import type pl from "nodejs-polars";
import type { Table } from "apache-arrow";
import { type Client, connect } from "../sdk/mod.ts";
import { writeMigrationData } from "../examples/migration/_data.ts";
import {
  MIGRATION_DIR,
  MIGRATION_MD,
  readExamples,
  renderMigration,
} from "../scripts/migration.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";

/** The guide promises at least this many examples. */
const MIN_EXAMPLES = 20;

const cluster = await testCluster();
writeMigrationData(cluster.dataRoot);
const examples = readExamples();

Deno.test("docs/migration.md is what `deno task migration` generates", () => {
  assert.equal(Deno.readTextFileSync(MIGRATION_MD), renderMigration(examples));
});

Deno.test(`the guide holds at least ${MIN_EXAMPLES} examples`, () => {
  assert.ok(examples.length >= MIN_EXAMPLES, `${examples.length} examples`);
});

Deno.test({
  name: "each migration example gives the same table in nodejs-polars and in Polaroid",
  ...INTEGRATION,
  async fn(t) {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    for (const example of examples) {
      await t.step(example.name, async () => {
        const polars: { run: (dir: string) => pl.DataFrame } = await import(
          `file://${MIGRATION_DIR}/${example.name}/polars.ts`
        );
        const polaroid: { run: (client: Client) => Promise<Table> } = await import(
          `file://${MIGRATION_DIR}/${example.name}/polaroid.ts`
        );
        const expected = frameToTable(polars.run(cluster.dataRoot));
        const actual = await polaroid.run(client);
        assert.ok(expected.numRows > 0, "an example must produce rows");
        assertSameTable(actual, expected, example.name);
      });
    }
  },
});
