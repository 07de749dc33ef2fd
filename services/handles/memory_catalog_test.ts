import { catalogContract } from "./_catalog_contract.ts";
import { MemoryCatalog } from "./memory_catalog.ts";

catalogContract("MemoryCatalog", (options) => {
  const catalog = new MemoryCatalog(options);
  return Promise.resolve({ catalog, stop: () => catalog.close() });
});
