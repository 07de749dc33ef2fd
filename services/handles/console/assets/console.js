// The Polaroid console (served by the handles service; see docs/observability.md, "Console").
// Everything shown comes from the console's API and is written as text, never as markup.

const REFRESH_MS = 2000;
const TOKEN_KEY = "polaroid.console.token";

/** @type {{ tenant: string, after: string } | undefined} */
let picked;
/** @type {Map<string, { rows: number, atMs: number }>} */
const lastRows = new Map();

function byId(id) {
  return /** @type {HTMLElement} */ (document.getElementById(id));
}

async function api(path) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(`/console/api/${path}`, { headers });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (response.status === 401 || response.status === 403) {
    throw Object.assign(new Error(body.error ?? "not allowed"), { signIn: true });
  }
  if (!response.ok) throw new Error(body.error ?? response.statusText);
  return body;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text === undefined || text === null ? "" : String(text);
  if (className) td.className = className;
  return td;
}

function fill(tableId, rows) {
  const body = byId(tableId).querySelector("tbody");
  body.replaceChildren(...rows);
}

function row(cells, className) {
  const tr = document.createElement("tr");
  tr.append(...cells);
  if (className) tr.className = className;
  return tr;
}

const number = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "");
const time = (ms) => new Date(ms).toISOString().slice(11, 23);

/** The cells every call row starts with: when, where, what, for whom, and its plan. */
function callCells(c) {
  return [
    cell(time(c.startedAtMs)),
    cell(c.service),
    cell(c.method),
    cell(c.tenant),
    cell(c.plan, "plan"),
  ];
}

function renderOverview(data) {
  const viewer = data.viewer.tenant === "*" ? "every tenant" : `tenant ${data.viewer.tenant}`;
  byId("viewer").textContent = `${data.viewer.subject}: ${viewer}`;
  fill(
    "tenants",
    data.tenants.map((t) => {
      const tr = row(
        [cell(t.tenant), cell(number(t.live), "n"), cell(number(t.bytes), "n")],
        picked?.tenant === t.tenant ? "pick picked" : "pick",
      );
      tr.dataset.tenant = t.tenant;
      tr.addEventListener("click", () => pickTenant(t.tenant));
      return tr;
    }),
  );
  fill(
    "running",
    data.running.map((c) =>
      row([...callCells(c), cell(number(Math.round(c.ms)), "n"), cell(c.traceId, "trace")])
    ),
  );
  fill(
    "recent",
    data.recent.map((c) =>
      row([
        ...callCells(c),
        cell(number(c.rows), "n"),
        cell(c.ms.toFixed(1), "n"),
        cell(c.code, c.code === "OK" ? "" : "bad"),
        cell(c.traceId, "trace"),
      ])
    ),
  );
  fill(
    "sources",
    data.sources.map((s) => {
      const key = `${s.instance}/${s.tenant}/${s.name}`;
      const before = lastRows.get(key);
      const rate = before && data.atMs > before.atMs
        ? ((s.rows - before.rows) * 1000) / (data.atMs - before.atMs)
        : undefined;
      lastRows.set(key, { rows: s.rows, atMs: data.atMs });
      return row([
        cell(s.tenant),
        cell(s.name),
        cell(s.kind),
        cell(s.state, s.state === "running" ? "" : "bad"),
        cell(s.table),
        cell(rate === undefined ? "…" : number(Math.round(rate)), "n"),
        cell(number(s.rows), "n"),
        cell(number(s.committedRows), "n"),
        cell(number(s.rejected), "n"),
        cell(number(s.droppedRows), "n"),
        cell(s.lastError, "bad"),
      ]);
    }),
  );
  fill(
    "instances",
    data.instances.map((i) => row([cell(i.service), cell(i.instance), cell(time(i.atMs))])),
  );
  if (!picked && data.tenants.length > 0) pickTenant(data.tenants[0].tenant);
}

async function loadHandles(more) {
  if (!picked) return;
  const query = new URLSearchParams({ tenant: picked.tenant });
  if (more && picked.after) query.set("after", picked.after);
  const page = await api(`handles?${query}`);
  byId("handles-tenant").textContent = page.tenant;
  const rows = page.handles.map((h) =>
    row([
      cell(h.id, "trace"),
      cell(h.name),
      cell(number(h.rows), "n"),
      cell(number(h.bytes), "n"),
      cell(number(h.ttlSeconds), "n"),
      cell(h.expiresInSeconds === null ? "never" : number(h.expiresInSeconds), "n"),
      cell(number(h.refcount), "n"),
      cell(h.pinned ? "pinned" : ""),
      cell(h.stored),
      cell(h.lost ? "lost" : "", "bad"),
    ])
  );
  const body = byId("handles").querySelector("tbody");
  if (more) body.append(...rows);
  else body.replaceChildren(...rows);
  picked.after = page.next;
  byId("handles-more").hidden = page.next === "";
}

function pickTenant(tenant) {
  picked = { tenant, after: "" };
  for (const tr of byId("tenants").querySelectorAll("tr.pick")) {
    tr.classList.toggle("picked", tr.dataset.tenant === tenant);
  }
  loadHandles(false).catch(showError);
}

function showError(error) {
  if (error.signIn) {
    byId("main").hidden = true;
    byId("signin").hidden = false;
    byId("signin-error").textContent = error.message;
    byId("status").textContent = "signed out";
    return;
  }
  byId("status").textContent = `error: ${error.message}`;
}

async function refresh() {
  try {
    const data = await api("overview");
    byId("signin").hidden = true;
    byId("main").hidden = false;
    renderOverview(data);
    if (picked) await loadHandles(false);
    byId("status").textContent = `updated ${time(data.atMs)}`;
    document.body.dataset.loaded = "true";
  } catch (error) {
    showError(error);
  }
}

byId("signin").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, /** @type {HTMLInputElement} */ (byId("token")).value);
  refresh();
});
byId("handles-more").addEventListener("click", () => loadHandles(true).catch(showError));

refresh();
setInterval(refresh, REFRESH_MS);
