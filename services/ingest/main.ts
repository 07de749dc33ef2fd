/**
 * Runs the ingest service: `deno run -A services/ingest/main.ts`. Configured by the
 * `POLAROID_*` environment variables (see shared/config.ts).
 *
 * @module
 */

import { loadIngestConfig } from "../../shared/config.ts";
import { connectNats, NATS_INBOX_PREFIX } from "../../shared/nats.ts";
import { runUntilSignal, startService } from "../../shared/service.ts";
import { buildIngestService } from "./service.ts";

async function start() {
  const config = loadIngestConfig(Deno.env.toObject());
  const nats = await connectNats(config.natsUrl, {
    name: "polaroid-ingest",
    inboxPrefix: NATS_INBOX_PREFIX.ingest,
    ...(config.natsAuth ? { auth: config.natsAuth } : {}),
  });
  return await startService({
    name: "ingest",
    config,
    build: buildIngestService(config, { nats, onClose: () => nats.drain() }),
  });
}

await runUntilSignal(start());
