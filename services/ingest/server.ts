/**
 * The IngestService gRPC handlers: decode, call the registry for the calling tenant, encode.
 *
 * @module
 */

import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import { IngestServiceService } from "../../shared/gen/polaroid/v1/ingest.ts";
import { bind, type ServiceBinding } from "../../shared/grpc/types.ts";
import type { SourceRegistry } from "./registry.ts";
import {
  FailedPreconditionError,
  InvalidArgumentError,
  LimitExceededError,
} from "../../shared/errors.ts";
import { validateLiveTableName } from "../../shared/live_table.ts";
import type { StateStore } from "../../shared/state_store/store.ts";
import { followTable } from "./follow.ts";
import { type AppendDeps, appendHandler } from "./append.ts";

/** Stores a snapshot (Arrow IPC) as a new handle of the tenant. */
export type Uploader = (
  ipc: Uint8Array,
  options: { tenant: string; ttlSeconds: bigint; signal: AbortSignal },
) => Promise<HandleInfo>;

/** What Follow needs: the live tables' store, and how to hear of this process's commits. */
export interface FollowDeps {
  store: StateStore | undefined;
  /** Subscribes to commits of a tenant's table written here. */
  onCommit(tenant: string, table: string, wake: () => void): () => void;
  /** Follows served at once at most (POLAROID_INGEST_MAX_FOLLOWS). */
  maxFollows: number;
  /** ...of them for one tenant (POLAROID_INGEST_MAX_FOLLOWS_PER_TENANT). @default maxFollows */
  maxFollowsPerTenant?: number;
  /** How often a follow lists its table when nothing wakes it. @default 250 */
  pollMs?: number;
}

/** Rows per Follow message at most, and by default. */
const MAX_FOLLOW_BATCH_ROWS = 1_000_000;
const DEFAULT_FOLLOW_BATCH_ROWS = 65_536;

/** IngestService served from a registry; snapshots go through `upload`. */
export function ingestServiceBinding(
  registry: SourceRegistry,
  upload: Uploader,
  follows: FollowDeps = { store: undefined, onCommit: () => () => {}, maxFollows: 0 },
  appends: AppendDeps = {
    writer: () =>
      Promise.reject(
        new FailedPreconditionError(
          "Cannot append to a live table as the ingest service has no state store (POLAROID_STATE_DIR or POLAROID_S3_BUCKET)",
        ),
      ),
    maxBytes: 0,
  },
): ServiceBinding {
  let following = 0;
  const followingByTenant = new Map<string, number>();
  return bind(IngestServiceService, {
    addSource: async ({ spec }, ctx) => {
      ctx.log.source = spec?.name;
      return (await registry.add(ctx.tenant, spec)).info();
    },
    listSources: (_request, ctx) =>
      Promise.try(() => ({ sources: registry.list(ctx.tenant).map((s) => s.info()) })),
    removeSource: async ({ name }, ctx) => {
      ctx.log.source = name;
      await registry.remove(ctx.tenant, name);
      return {};
    },
    snapshotSource: async ({ name, ttlSeconds }, ctx) => {
      ctx.log.source = name;
      const ipc = await registry.get(ctx.tenant, name).snapshot();
      ctx.log.bytes = ipc.byteLength;
      const handle = await upload(ipc, { tenant: ctx.tenant, ttlSeconds, signal: ctx.signal });
      ctx.log.handle = handle.id;
      return { handle };
    },
    append: appendHandler(appends),
    async *follow(request, ctx) {
      const table = validateLiveTableName(request.table, "table");
      ctx.log.table = table;
      const batchRows = request.maxBatchRows || DEFAULT_FOLLOW_BATCH_ROWS;
      if (batchRows > MAX_FOLLOW_BATCH_ROWS) {
        throw new InvalidArgumentError(
          `Cannot follow as 'max_batch_rows' must be at most ${MAX_FOLLOW_BATCH_ROWS}: current value is ${batchRows}`,
          { metadata: { field: "max_batch_rows" } },
        );
      }
      if (request.fromRow > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new InvalidArgumentError(
          `Cannot follow as 'from_row' must be at most 2^53 - 1: current value is ${request.fromRow}`,
          { metadata: { field: "from_row" } },
        );
      }
      const store = follows.store;
      if (!store) {
        throw new FailedPreconditionError(
          "Cannot follow a live table as the ingest service has no state store (POLAROID_STATE_DIR or POLAROID_S3_BUCKET)",
        );
      }
      if (following >= follows.maxFollows) {
        throw new LimitExceededError(
          `Cannot follow as the service serves at most ${follows.maxFollows} follows at once (POLAROID_INGEST_MAX_FOLLOWS)`,
          { metadata: { limit: "max_follows" } },
        );
      }
      const mine = followingByTenant.get(ctx.tenant) ?? 0;
      const perTenant = follows.maxFollowsPerTenant ?? follows.maxFollows;
      if (mine >= perTenant) {
        throw new LimitExceededError(
          `Cannot follow as a tenant may follow at most ${perTenant} tables at once (POLAROID_INGEST_MAX_FOLLOWS_PER_TENANT)`,
          { metadata: { limit: "max_follows_per_tenant" } },
        );
      }
      following++;
      followingByTenant.set(ctx.tenant, mine + 1);
      try {
        for await (
          const batch of followTable({
            store,
            tenant: ctx.tenant,
            table,
            from: request.fromEnd ? "end" : Number(request.fromRow),
            maxBatchRows: batchRows,
            pollMs: follows.pollMs ?? 250,
            signal: ctx.signal,
            onCommit: (wake) => follows.onCommit(ctx.tenant, table, wake),
          })
        ) {
          yield {
            arrowIpc: batch.ipc,
            rows: BigInt(batch.rows),
            firstRow: BigInt(batch.firstRow),
            nextRow: BigInt(batch.nextRow),
            skippedRows: BigInt(batch.skippedRows),
          };
        }
      } finally {
        following--;
        const left = (followingByTenant.get(ctx.tenant) ?? 1) - 1;
        if (left > 0) followingByTenant.set(ctx.tenant, left);
        else followingByTenant.delete(ctx.tenant);
      }
    },
  });
}
