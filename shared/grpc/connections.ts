/**
 * The TCP side of a gRPC server: connections are accepted here, bounded (in all and per peer
 * address), given a time to start speaking HTTP/2, and handed to grpc-js through the GOAWAY
 * filter (goaway_filter.ts). A connection over a bound is closed at once, before HTTP/2 is
 * spoken on it.
 *
 * @module
 */

import net from "node:net";
import tls from "node:tls";
import { X509Certificate } from "node:crypto";
import type { Duplex } from "node:stream";
import { boundSession } from "./_bound_session.ts";
import { withoutGoaway } from "./goaway_filter.ts";

/** The highest stream id: a GOAWAY naming it refuses nothing (RFC 9113 §6.8). */
const LAST_POSSIBLE_STREAM = 2 ** 31 - 1;

/** Options of {@link listenConnections}. */
export interface ConnectionOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  maxConnections: number;
  maxConnectionsPerPeer: number;
  /** Time a new connection has to send the HTTP/2 client preface. */
  handshakeTimeoutMs: number;
  /** Receives each accepted connection (the filtered stream grpc-js reads). */
  accept: (stream: Duplex) => void;
  /**
   * Serve TLS only (ALPN h2): each connection is a TLS session first, whose handshake counts
   * within `handshakeTimeoutMs`. @default plaintext
   */
  tls?: {
    cert: string;
    key: string;
    /** Ask every client for a certificate this CA signed; no certificate, no connection. */
    clientCa?: string;
  };
  /** Told of each connection refused or cut, with the reason. */
  onRefused?: (
    reason: "max_connections" | "max_per_peer" | "handshake_timeout" | "client_certificate",
  ) => void;
}

/** What a client certificate says of its holder. */
export interface PeerSubject {
  /** The subject's common name. */
  cn: string;
  /** The subject's organizational units. */
  ou: string[];
}

/** The listener and what it tracks. */
export interface ConnectionListener {
  readonly port: number;
  /**
   * The verified client certificate's subject of the connection a call came on, by the call's
   * peer (`address:port`, as grpc-js's getPeer() gives it); undefined without one.
   */
  peerSubject(peer: string): PeerSubject | undefined;
  /** Open connections. */
  readonly size: number;
  /**
   * Stops accepting, and sends every connection a shutdown notice: a GOAWAY with the
   * highest stream id. Clients open no more streams on it, while the streams already on
   * their way are still taken (a final GOAWAY, with the last stream taken, follows).
   */
  stopAccepting(): void;
  /** Resolves once every connection has closed, or after `ms`. */
  closed(ms: number): Promise<void>;
  /** Destroys every open connection. */
  destroyAll(): void;
}

/** Listens for gRPC connections with the bounds of `options`. */
export async function listenConnections(options: ConnectionOptions): Promise<ConnectionListener> {
  const sockets = new Map<net.Socket, Duplex>();
  const perPeer = new Map<string, number>();
  const whenEmpty: Array<() => void> = [];
  const secureContext = options.tls
    ? tls.createSecureContext({
      cert: options.tls.cert,
      key: options.tls.key,
      ...(options.tls.clientCa ? { ca: options.tls.clientCa } : {}),
    })
    : undefined;
  const askCertificate = options.tls?.clientCa !== undefined;
  const clientCas = options.tls?.clientCa ? certificatesOf(options.tls.clientCa) : [];
  const subjects = new Map<string, PeerSubject>();
  const server = net.createServer((socket) => {
    const peer = socket.remoteAddress ?? "";
    const fromPeer = perPeer.get(peer) ?? 0;
    if (sockets.size >= options.maxConnections) {
      options.onRefused?.("max_connections");
      socket.destroy();
      return;
    }
    if (fromPeer >= options.maxConnectionsPerPeer) {
      options.onRefused?.("max_per_peer");
      socket.destroy();
      return;
    }
    // With TLS the filter reads the decrypted stream (HTTP/2 frames), never the raw socket.
    const stream: net.Socket = secureContext
      ? new tls.TLSSocket(socket, {
        isServer: true,
        secureContext,
        ALPNProtocols: ["h2"],
        // A client without a certificate fails the handshake; who signed the certificate is
        // checked once it is up (Deno does not: see signedByOneOf).
        ...(askCertificate ? { requestCert: true, rejectUnauthorized: true } : {}),
      } as tls.TLSSocketOptions)
      : socket;
    if (askCertificate) {
      const key = `${socket.remoteAddress}:${socket.remotePort}`;
      stream.once("secure", () => {
        const peer = (stream as tls.TLSSocket).getPeerCertificate();
        if (!peer?.raw || !signedByOneOf(peer.raw, clientCas)) {
          options.onRefused?.("client_certificate");
          socket.destroy();
          return;
        }
        const subject = peer.subject;
        if (subject?.CN) {
          subjects.set(key, { cn: String(subject.CN), ou: [subject.OU ?? []].flat().map(String) });
        }
      });
      socket.once("close", () => subjects.delete(key));
    }
    if (stream !== socket) stream.on("error", () => socket.destroy());
    const connection = withoutGoaway(stream);
    sockets.set(socket, connection);
    perPeer.set(peer, fromPeer + 1);
    socket.once("close", () => {
      sockets.delete(socket);
      const left = (perPeer.get(peer) ?? 1) - 1;
      if (left === 0) perPeer.delete(peer);
      else perPeer.set(peer, left);
      if (sockets.size === 0) { for (const wake of whenEmpty.splice(0)) wake(); }
    });
    // A peer that connects and says nothing holds a connection slot: it gets a bounded time
    // to send the 24-byte client preface and its SETTINGS frame.
    const handshake = setTimeout(() => {
      options.onRefused?.("handshake_timeout");
      socket.destroy();
    }, options.handshakeTimeoutMs);
    let received = 0;
    const counting = (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received >= 24 + 9) {
        clearTimeout(handshake);
        socket.off("data", counting);
      }
    };
    stream.on("data", counting);
    socket.once("close", () => clearTimeout(handshake));
    options.accept(connection);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
  return {
    port,
    peerSubject: (peer) => subjects.get(peer),
    get size() {
      return sockets.size;
    },
    stopAccepting: () => {
      server.close();
      for (const connection of sockets.values()) {
        boundSession(connection)?.goaway(0, LAST_POSSIBLE_STREAM);
      }
    },
    closed: async (ms) => {
      if (sockets.size === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        new Promise<void>((resolve) => whenEmpty.push(resolve)),
        new Promise<void>((resolve) => timer = setTimeout(resolve, ms)),
      ]);
      clearTimeout(timer);
    },
    destroyAll: () => {
      for (const socket of sockets.keys()) socket.destroy();
    },
  };
}

/** The certificates of a PEM bundle. */
function certificatesOf(bundle: string): X509Certificate[] {
  const blocks = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  return (blocks ?? []).map((pem) => new X509Certificate(pem));
}

/**
 * True when the DER certificate was issued and signed by one of `cas` and is valid now.
 * Deno 2.9.6's TLS server asks for a client certificate but accepts any (a self-signed one
 * included; `authorized` stays false even for good ones), so the chain is checked here:
 * certificates signed directly by a listed CA, no intermediates.
 */
function signedByOneOf(der: Uint8Array, cas: readonly X509Certificate[]): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return false;
  }
  const now = Date.now();
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return false;
  return cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
}
