/**
 * The console's API on the handles service's HTTP port (docs/observability.md, "Console"):
 *
 * - `GET /console/api/overview`: tenants with their live handles and bytes, the running and
 *   recent calls of every service instance (method, plan outline, duration, status, trace id),
 *   and the ingest sources with their counters;
 * - `GET /console/api/handles?tenant=<t>&after=<id>`: one page of a tenant's live handles
 *   (rows, bytes, TTL, pins, where the frame is).
 *
 * Who may look: with `POLAROID_AUTH=none` (loopback development) anyone, every tenant; with
 * tokens, a bearer credential whose identity holds `admin` (its tenant only) or `service`
 * (every tenant, the operator's); with mTLS, nobody (the HTTP port has no client
 * certificates), which the answer says. Another tenant's data is left out, never refused by
 * name: asking for its handles answers 404 as an unknown tenant would.
 *
 * @module
 */

import { Metadata } from "@grpc/grpc-js";
import type { Authenticator } from "../../../shared/auth/authenticator.ts";
import { CONSOLE_VIEW, grants } from "../../../shared/auth/roles.ts";
import {
  InvalidArgumentError,
  PolaroidError,
  UnauthenticatedError,
} from "../../../shared/errors.ts";
import { validateTenant } from "../../../shared/ids.ts";
import type { HttpApiReply, HttpApiRequest, HttpApp } from "../../../shared/telemetry/http.ts";
import type { CallView } from "../../../shared/grpc/call_log.ts";
import type { Catalog } from "../catalog_api.ts";
import type { ActivityView } from "./activity_view.ts";
import { CONSOLE_ASSETS } from "./assets.ts";

/** Where the API answers. */
export const CONSOLE_API_PREFIX = "/console/api/";
/** Recent calls the overview lists, all instances together. */
const MAX_RECENT = 100;
/** Running calls the overview lists. */
const MAX_RUNNING = 100;
/** Tenants the overview lists (those holding the most bytes). */
const MAX_TENANTS = 200;
/** Handles on one page. */
const PAGE_SIZE = 100;

/** Who is looking: every tenant, or one. */
type Viewer = { all: true; subject: string } | { all: false; tenant: string; subject: string };

/** Options of consoleApp(). */
export interface ConsoleOptions {
  catalog: Catalog;
  activity: ActivityView;
  auth: Authenticator;
}

/** The console's pages and API. */
export function consoleApp(options: ConsoleOptions): HttpApp {
  return {
    assets: CONSOLE_ASSETS,
    apiPrefix: CONSOLE_API_PREFIX,
    handle: (request) => answer(request, options),
  };
}

async function answer(request: HttpApiRequest, options: ConsoleOptions): Promise<HttpApiReply> {
  const viewer = await viewerOf(request.authorization, options.auth);
  if ("status" in viewer) return viewer;
  const route = request.path.slice(CONSOLE_API_PREFIX.length);
  if (route === "overview") return json(200, await overview(viewer, options));
  if (route === "handles") {
    return await handles(viewer, new URLSearchParams(request.search), options);
  }
  return json(404, { error: `no such console API: ${JSON.stringify(route.slice(0, 64))}` });
}

async function viewerOf(
  authorization: string | undefined,
  auth: Authenticator,
): Promise<Viewer | HttpApiReply> {
  if (auth.mode === "none") return { all: true, subject: "anonymous" };
  if (auth.mode === "mtls") {
    return json(403, {
      error:
        "the console needs POLAROID_AUTH=token (a bearer credential): with mTLS its HTTP port cannot verify a client certificate",
    });
  }
  if (authorization === undefined) {
    return json(401, { error: "send 'authorization: Bearer <token or API key>'" });
  }
  const metadata = new Metadata();
  metadata.set("authorization", authorization);
  try {
    const identity = await auth.authorize(CONSOLE_VIEW, metadata);
    if (identity.roles.has("service")) return { all: true, subject: identity.subject };
    if (!grants(identity.roles, "admin")) {
      return json(403, { error: "the console needs the role admin (or a service credential)" });
    }
    return { all: false, tenant: identity.tenant, subject: identity.subject };
  } catch (error) {
    const e = PolaroidError.from(error);
    return json(e instanceof UnauthenticatedError ? 401 : 403, { error: e.message });
  }
}

function sees(viewer: Viewer, tenant: string): boolean {
  return viewer.all || viewer.tenant === tenant;
}

async function overview(viewer: Viewer, options: ConsoleOptions) {
  const stats = await options.catalog.stats();
  const tenants = [...stats.tenants]
    .filter(([tenant]) => sees(viewer, tenant))
    .sort(([, a], [, b]) => (a.bytes < b.bytes ? 1 : a.bytes > b.bytes ? -1 : 0))
    .slice(0, MAX_TENANTS)
    .map(([tenant, s]) => ({ tenant, live: s.live, bytes: Number(s.bytes) }));
  const instances = [];
  const running: (CallView & { service: string; instance: string })[] = [];
  const recent: (CallView & { service: string; instance: string })[] = [];
  const sources = [];
  for (const snapshot of options.activity.snapshots()) {
    const { service, instance } = snapshot;
    instances.push({ service, instance, atMs: snapshot.atMs });
    for (const call of snapshot.running) {
      if (sees(viewer, call.tenant)) running.push({ ...call, service, instance });
    }
    for (const call of snapshot.recent) {
      if (sees(viewer, call.tenant)) recent.push({ ...call, service, instance });
    }
    for (const source of snapshot.sources) {
      if (sees(viewer, source.tenant)) sources.push({ ...source, instance });
    }
  }
  running.sort((a, b) => a.startedAtMs - b.startedAtMs);
  recent.sort((a, b) => b.startedAtMs + b.ms - (a.startedAtMs + a.ms));
  return {
    viewer: viewer.all ? { tenant: "*", subject: viewer.subject } : viewer,
    atMs: Date.now(),
    tenants,
    instances: viewer.all ? instances : [],
    running: running.slice(0, MAX_RUNNING),
    recent: recent.slice(0, MAX_RECENT),
    sources,
  };
}

async function handles(
  viewer: Viewer,
  params: URLSearchParams,
  options: ConsoleOptions,
): Promise<HttpApiReply> {
  const tenant = params.get("tenant") ?? (viewer.all ? "" : viewer.tenant);
  const after = params.get("after") ?? "";
  try {
    validateTenant(tenant);
  } catch (error) {
    return json(400, { error: PolaroidError.from(error).message });
  }
  if (!sees(viewer, tenant)) return json(404, { error: `no tenant ${JSON.stringify(tenant)}` });
  let page;
  try {
    page = await options.catalog.list(tenant, { limit: PAGE_SIZE, after });
  } catch (error) {
    if (error instanceof InvalidArgumentError) return json(400, { error: error.message });
    throw error;
  }
  const now = Date.now();
  return json(200, {
    tenant,
    next: page.nextAfter,
    handles: page.handles.map((h) => ({
      id: h.id,
      name: h.name,
      rows: Number(h.rows),
      bytes: Number(h.bytes),
      createdAtMs: h.createdAtMs,
      ttlSeconds: h.ttlSeconds,
      expiresInSeconds: h.pinned ? null : Math.max(0, Math.round((h.expiresAtMs - now) / 1000)),
      refcount: h.refcount,
      pinned: h.pinned,
      stored: h.objectKey !== "" ? "state store" : `worker ${h.worker}`,
      lost: h.lost,
    })),
  });
}

function json(status: number, body: unknown): HttpApiReply {
  return { status, body: JSON.stringify(body), contentType: "application/json" };
}
