import assert from "node:assert/strict";
import { AlreadyExistsError } from "../errors.ts";
import { join } from "node:path";
import { storeConformance } from "./conformance.ts";
import { FsStateStore } from "./fs.ts";
import { MemoryStateStore } from "./memory.ts";

storeConformance("MemoryStateStore", () => {
  const store = new MemoryStateStore();
  return Promise.resolve({
    store,
    putUncommitted: (key, body) => Promise.resolve(store.putUncommitted(key, body)),
    cleanup: () => Promise.resolve(),
  });
});

storeConformance("FsStateStore", async () => {
  const root = await Deno.makeTempDir({ prefix: "polaroid-state-" });
  const store = await FsStateStore.open({ root });
  return {
    store,
    async putUncommitted(key, body) {
      const path = join(root, "objects", ...key.split("/"));
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.writeFile(path, body);
    },
    cleanup: () => Deno.remove(root, { recursive: true }),
  };
});

Deno.test("FsStateStore.putFile() takes a staged file over without copying it", async () => {
  const root = await Deno.makeTempDir({ prefix: "polaroid-state-" });
  try {
    const store = await FsStateStore.open({ root });
    const meta = {
      tenant: "t",
      rows: 1,
      createdAtMs: 0,
      schemaHash: "",
      planHash: "",
      format: "arrow-ipc" as const,
    };
    const staged = join(store.stagingDir, "result.arrow");
    await Deno.writeFile(staged, new Uint8Array([1, 2, 3]));
    const { ino } = await Deno.stat(staged);
    const committed = await store.putFile("handles/t/a.arrow", staged, meta);
    assert.equal(committed.bytes, 3);
    assert.deepEqual(await store.get("handles/t/a.arrow"), new Uint8Array([1, 2, 3]));
    assert.equal((await Deno.stat(join(root, "objects/handles/t/a.arrow"))).ino, ino, "moved");
    await assert.rejects(Deno.stat(staged), Deno.errors.NotFound);
    // An existing key refuses the file and still removes it.
    await Deno.writeFile(staged, new Uint8Array([9]));
    await assert.rejects(store.putFile("handles/t/a.arrow", staged, meta), AlreadyExistsError);
    await assert.rejects(Deno.stat(staged), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
