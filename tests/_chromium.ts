/**
 * Headless Chromium (Debian `chromium`) driven over the DevTools protocol, for the console's
 * browser test: open a page, evaluate script in it, take a screenshot. Started on a free port
 * with a throwaway profile; `await using` stops it and removes the profile.
 *
 * @module
 */

import { ensureCommand } from "../scripts/_debian.ts";

/** A page of the browser. */
export interface BrowserPage {
  /** Evaluates `expression` in the page (promises awaited); its value, as JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; throws with `what` after `timeoutMs`. */
  waitFor(expression: string, what: string, timeoutMs?: number): Promise<void>;
  /** A PNG of the whole page. */
  screenshot(): Promise<Uint8Array>;
}

/** A headless browser. */
export interface Browser extends AsyncDisposable {
  /** Opens `url` in the browser's page and waits for it to load. */
  open(url: string): Promise<BrowserPage>;
}

/** Starts headless Chromium. */
export async function startBrowser(): Promise<Browser> {
  const chromium = await ensureCommand("chromium");
  const profile = await Deno.makeTempDir({ prefix: "polaroid-chromium-" });
  const child = new Deno.Command(chromium, {
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--remote-debugging-port=0",
      "--remote-allow-origins=*",
      `--user-data-dir=${profile}`,
      "--window-size=1400,1000",
      "about:blank",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone already */ }
    await child.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  let port: number;
  try {
    port = await devtoolsPort(child.stderr, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const sockets: WebSocket[] = [];
  return {
    async open(url) {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as {
        type: string;
        webSocketDebuggerUrl: string;
      }[];
      const target = targets.find((t) => t.type === "page");
      if (!target) throw new Error("the browser has no page");
      const session = await cdpSession(target.webSocketDebuggerUrl);
      sockets.push(session.socket);
      await session.send("Page.enable");
      const loaded = session.event("Page.loadEventFired");
      await session.send("Page.navigate", { url });
      await loaded;
      return pageOf(session);
    },
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.close();
      await stop();
    },
  };
}

/** Reads the DevTools port from the browser's "DevTools listening on ws://..." line. */
async function devtoolsPort(stderr: ReadableStream<Uint8Array>, timeoutMs: number) {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const timer = setTimeout(() => reader.cancel().catch(() => {}), timeoutMs);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`chromium did not start: ${text.slice(-2000)}`);
      text += value;
      const found = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(text);
      if (found) {
        // The rest of its output is not read: drain it so that the pipe never fills.
        (async () => {
          while (!(await reader.read()).done) { /* drain */ }
        })().catch(() => {});
        return Number(found[1]);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

interface CdpSession {
  socket: WebSocket;
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  event(method: string): Promise<void>;
}

async function cdpSession(url: string): Promise<CdpSession> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot reach the browser at ${url}`));
  });
  let nextId = 1;
  const replies = new Map<number, PromiseWithResolvers<Record<string, unknown>>>();
  const waiters = new Map<string, (() => void)[]>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    if (typeof message.id === "number") {
      const reply = replies.get(message.id);
      replies.delete(message.id);
      if (message.error) reply?.reject(new Error(JSON.stringify(message.error)));
      else reply?.resolve(message.result ?? {});
    } else if (typeof message.method === "string") {
      for (const wake of waiters.get(message.method)?.splice(0) ?? []) wake();
    }
  };
  return {
    socket,
    send(method, params = {}) {
      const id = nextId++;
      const reply = Promise.withResolvers<Record<string, unknown>>();
      replies.set(id, reply);
      socket.send(JSON.stringify({ id, method, params }));
      return withTimeout(reply.promise, 30_000, method);
    },
    event(method) {
      const { promise, resolve } = Promise.withResolvers<void>();
      waiters.set(method, [...(waiters.get(method) ?? []), resolve]);
      return withTimeout(promise, 30_000, method);
    },
  };
}

function pageOf(session: CdpSession): BrowserPage {
  const evaluate = async <T>(expression: string): Promise<T> => {
    const result = await session.send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    }) as { result: { value?: T }; exceptionDetails?: { text: string } };
    if (result.exceptionDetails) {
      throw new Error(`the page threw: ${JSON.stringify(result.exceptionDetails).slice(0, 500)}`);
    }
    return result.result.value as T;
  };
  return {
    evaluate,
    async waitFor(expression, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await evaluate<boolean>(`Boolean(${expression})`))) {
        if (Date.now() > deadline) throw new Error(`the page never showed ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async screenshot() {
      const { data } = await session.send("Page.captureScreenshot", {
        format: "png",
        captureBeyondViewport: true,
      }) as { data: string };
      return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        timer = setTimeout(() => reject(new Error(`the browser did not answer ${what}`)), ms)
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
