/**
 * `deno task compat`: regenerates docs/compat.md and docs/compat.json, the compatibility
 * matrix of the SDK against nodejs-polars' lazy API, and the per-example measure (it starts a
 * local cluster and runs every example of nodejs-polars' typings on both engines).
 *
 * - `--check` only compares and exits 1 when the files are stale (the measured examples are
 *   taken from docs/compat.json; no cluster);
 * - `--keep-examples` regenerates the matrix and keeps the examples docs/compat.json holds.
 *
 * @module
 */

import { connect } from "../sdk/mod.ts";
import { REPO_ROOT } from "./_repo.ts";
import { startCluster } from "./cluster.ts";
import { type ExamplesReport, measureExamples } from "./compat/examples.ts";
import { buildMatrix, type Matrix } from "./compat/matrix.ts";
import { renderJson, renderMarkdown } from "./compat/render.ts";

/** Where the matrix is written. */
export const COMPAT_MD = `${REPO_ROOT}/docs/compat.md`;
export const COMPAT_JSON = `${REPO_ROOT}/docs/compat.json`;

/** The nodejs-polars version the SDK is measured against (the import map's pin). */
export function pinnedPolarsVersion(): string {
  const config = JSON.parse(Deno.readTextFileSync(`${REPO_ROOT}/deno.json`));
  const spec = String(config.imports?.["nodejs-polars"] ?? "");
  return spec.replace(/^npm:nodejs-polars@/, "");
}

/** The per-example measure docs/compat.json holds, if any. */
export function storedExamples(): ExamplesReport | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(COMPAT_JSON)).examples ?? undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * The matrix and its two renderings.
 * @param examples The per-example measure. @default the one docs/compat.json holds
 */
export async function generateCompat(
  examples: ExamplesReport | undefined = storedExamples(),
): Promise<{ matrix: Matrix; md: string; json: string }> {
  const matrix = await buildMatrix(pinnedPolarsVersion());
  return { matrix, md: renderMarkdown(matrix, examples), json: renderJson(matrix, examples) };
}

/** Runs every example on a local cluster started for the purpose. */
export async function measureOnLocalCluster(): Promise<ExamplesReport> {
  const dataRoot = await Deno.makeTempDir({ prefix: "polaroid-compat-" });
  try {
    await using cluster = await startCluster({ quiet: true, restart: false, dataRoot });
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    return await measureExamples(client);
  } finally {
    await Deno.remove(dataRoot, { recursive: true });
  }
}

if (import.meta.main) {
  if (Deno.args.includes("--check")) {
    const { md, json } = await generateCompat();
    const stale = [[COMPAT_MD, md], [COMPAT_JSON, json]].filter(([path, text]) => {
      try {
        return Deno.readTextFileSync(path!) !== text;
      } catch {
        return true;
      }
    });
    for (const [path] of stale) console.error(`stale: ${path} (run deno task compat)`);
    Deno.exit(stale.length > 0 ? 1 : 0);
  }
  const examples = Deno.args.includes("--keep-examples")
    ? storedExamples()
    : await measureOnLocalCluster();
  const { md, json } = await generateCompat(examples);
  Deno.writeTextFileSync(COMPAT_MD, md);
  Deno.writeTextFileSync(COMPAT_JSON, json);
  console.error(`wrote ${COMPAT_MD} and ${COMPAT_JSON}`);
}
