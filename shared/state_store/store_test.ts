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
