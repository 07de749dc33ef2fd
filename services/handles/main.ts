/**
 * Runs the handles service: `deno run -A services/handles/main.ts`. Configured by the
 * `POLAROID_*` environment variables (see shared/config.ts).
 *
 * @module
 */

import { loadHandlesConfig } from "../../shared/config.ts";
import { connectNats, NATS_INBOX_PREFIX } from "../../shared/nats.ts";
import { runUntilSignal, startService } from "../../shared/service.ts";
import { buildHandlesService } from "./service.ts";
import { openStateStore } from "../../shared/state_store/open.ts";

async function start() {
  const config = loadHandlesConfig(Deno.env.toObject());
  const nats = await connectNats(config.natsUrl, {
    name: "polaroid-handles",
    inboxPrefix: NATS_INBOX_PREFIX.handles,
    ...(config.natsAuth ? { auth: config.natsAuth } : {}),
  });
  const store = config.stateStore && await openStateStore(config.stateStore);
  return await startService({
    name: "handles",
    config,
    build: buildHandlesService(config, {
      nats,
      ...(store ? { store } : {}),
      onClose: async () => {
        await nats.drain();
        await store?.close();
      },
    }),
  });
}

await runUntilSignal(start());
