/**
 * `deno task compat`: regenerates docs/compat.md and docs/compat.json, the compatibility
 * matrix of the SDK against nodejs-polars' lazy API. `--check` only compares and exits 1
 * when the files are stale.
 *
 * @module
 */

import { REPO_ROOT } from "./_repo.ts";
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

/** The matrix and its two renderings. */
export async function generateCompat(): Promise<{ matrix: Matrix; md: string; json: string }> {
  const matrix = await buildMatrix(pinnedPolarsVersion());
  return { matrix, md: renderMarkdown(matrix), json: renderJson(matrix) };
}

if (import.meta.main) {
  const { md, json } = await generateCompat();
  if (Deno.args.includes("--check")) {
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
  Deno.writeTextFileSync(COMPAT_MD, md);
  Deno.writeTextFileSync(COMPAT_JSON, json);
  console.error(`wrote ${COMPAT_MD} and ${COMPAT_JSON}`);
}
