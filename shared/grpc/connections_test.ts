import assert from "node:assert/strict";
import net from "node:net";
import { listenConnections } from "./connections.ts";

/** Opens a TCP connection; resolves with it and a promise of its close. */
function open(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      resolve({ socket, closed: new Promise((r) => socket.once("close", () => r())) });
    });
    socket.once("error", reject);
    socket.on("error", () => {});
  });
}

async function settled(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = await Promise.race([
    p.then(() => true),
    new Promise<boolean>((r) => timer = setTimeout(() => r(false), ms)),
  ]);
  clearTimeout(timer);
  return done;
}

Deno.test("listenConnections() closes a connection over the per-peer bound at once", async () => {
  const refused: string[] = [];
  const accepted: unknown[] = [];
  const listener = await listenConnections({
    host: "127.0.0.1",
    port: 0,
    maxConnections: 10,
    maxConnectionsPerPeer: 2,
    handshakeTimeoutMs: 60_000,
    accept: (stream) => accepted.push(stream),
    onRefused: (reason) => refused.push(reason),
  });
  const kept = [await open(listener.port), await open(listener.port)];
  const third = await open(listener.port);
  assert.ok(await settled(third.closed, 5000), "the third connection is closed");
  assert.deepEqual(refused, ["max_per_peer"]);
  assert.equal(accepted.length, 2);
  assert.equal(listener.size, 2);
  // Once one closes, the peer may connect again.
  kept[0]!.socket.destroy();
  const deadline = Date.now() + 5000;
  while (listener.size > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const again = await open(listener.port);
  assert.equal(await settled(again.closed, 200), false, "taken");
  for (const c of [kept[1]!, again]) c.socket.destroy();
  listener.stopAccepting();
  listener.destroyAll();
});

Deno.test("listenConnections() closes a connection over the total bound", async () => {
  const refused: string[] = [];
  const listener = await listenConnections({
    host: "127.0.0.1",
    port: 0,
    maxConnections: 1,
    maxConnectionsPerPeer: 10,
    handshakeTimeoutMs: 60_000,
    accept: () => {},
    onRefused: (reason) => refused.push(reason),
  });
  const first = await open(listener.port);
  const second = await open(listener.port);
  assert.ok(await settled(second.closed, 5000));
  assert.deepEqual(refused, ["max_connections"]);
  first.socket.destroy();
  listener.stopAccepting();
  listener.destroyAll();
});

Deno.test("a connection that says nothing is closed after the handshake timeout", async () => {
  const refused: string[] = [];
  const listener = await listenConnections({
    host: "127.0.0.1",
    port: 0,
    maxConnections: 10,
    maxConnectionsPerPeer: 10,
    handshakeTimeoutMs: 200,
    accept: (stream) => stream.resume(),
    onRefused: (reason) => refused.push(reason),
  });
  const silent = await open(listener.port);
  const talking = await open(listener.port);
  // The 24-byte HTTP/2 client preface and an empty SETTINGS frame.
  talking.socket.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  talking.socket.write(Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]));
  assert.ok(await settled(silent.closed, 5000), "the silent connection is closed");
  assert.equal(await settled(talking.closed, 300), false, "the one that spoke stays");
  assert.deepEqual(refused, ["handshake_timeout"]);
  talking.socket.destroy();
  listener.stopAccepting();
  listener.destroyAll();
});
