/**
 * The deployment tests' stand-in for the secrets a deployment is given: a directory made by
 * `deno task auth:key --init`, and environments whose `/run/secrets/<name>` paths point into it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { DEPLOYMENT_HOSTS, initSecrets } from "../scripts/auth_key.ts";

/** Makes a deployment's secrets in a temporary directory; removed when disposed. */
export async function deploymentSecrets(): Promise<AsyncDisposable & { dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "polaroid-secrets-" });
  await initSecrets(dir, "default", { tlsHosts: DEPLOYMENT_HOSTS });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/**
 * `env` as the container sees it: each `/run/secrets/<name>` value replaced by the file that
 * compose's top-level `secrets` maps `<name>` to (`./secrets/<file>`), found in `dir`.
 */
export function containerEnv(
  env: Record<string, string>,
  secrets: Record<string, { file: string }>,
  dir: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => {
      const name = /^\/run\/secrets\/(.+)$/.exec(v)?.[1];
      if (name === undefined) return [k, v];
      const file = secrets[name]?.file;
      assert.ok(file?.startsWith("./secrets/"), `secret ${name} is a file under secrets/`);
      return [k, `${dir}/${file!.slice("./secrets/".length)}`];
    }),
  );
}
