/**
 * The external handle store on a shared directory (POLAROID_STATE_DIR) with two real compute
 * workers (cases in tests/_external_store_cases.ts); no temporary file is left behind.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { FsStateStore } from "../shared/state_store/fs.ts";
import { externalStoreCases } from "./_external_store_cases.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-state-" });
const cluster = await testCluster({
  workers: 2,
  env: { POLAROID_HANDLE_STORE: "external", POLAROID_STATE_DIR: stateDir },
});
const store = await FsStateStore.open({ root: stateDir });
globalThis.addEventListener("unload", () => {
  Deno.removeSync(stateDir, { recursive: true });
});

externalStoreCases("fs store", cluster, store);

Deno.test({
  name: "fs store: writes leave no temporary file behind",
  ...INTEGRATION,
  async fn() {
    assert.deepEqual(await Array.fromAsync(Deno.readDir(join(stateDir, "tmp"))), []);
  },
});
