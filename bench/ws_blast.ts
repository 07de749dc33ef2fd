/**
 * The WebSocket server of `deno task bench:ingest`: sends `<records>` tick records to the first
 * client that connects, `<per-message>` per message (1: a message is a record; more:
 * `{"data":[...]}`), as fast as the socket takes them (waiting while more than 4 MiB is
 * buffered), then waits for the next client. Prints its port on the first line.
 *
 *   deno run -A bench/ws_blast.ts <records> <per-message>
 *
 * @module
 */

// @ts-types="npm:@types/ws@8.18.1"
import { WebSocketServer } from "ws";

const records = Number(Deno.args[0] ?? 1_000_000);
const perMessage = Number(Deno.args[1] ?? 1);
const symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOG"];
/** Pre-built messages, cycled: building them is not what is measured. */
const messages = Array.from({ length: 1000 }, (_, m) => {
  const ticks = Array.from({ length: perMessage }, (_, i) => {
    const n = m * perMessage + i;
    return `{"sym":"${symbols[n % 5]}","ts":${1_700_000_000_000 + n},"px":${
      (100 + (n % 97) / 10).toFixed(2)
    },"qty":${1 + (n % 50)},"seq":${n}}`;
  });
  return perMessage === 1 ? ticks[0]! : `{"data":[${ticks.join(",")}]}`;
});
const server = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
server.on("listening", () => console.log((server.address() as { port: number }).port));
server.on("connection", (socket) => {
  let sent = 0;
  const pump = () => {
    while (sent < records && socket.bufferedAmount < 4 << 20) {
      socket.send(messages[(sent / perMessage) % messages.length]!);
      sent += perMessage;
    }
    if (sent < records && socket.readyState === socket.OPEN) setTimeout(pump, 1);
  };
  pump();
});
