/**
 * Opening a JetStream KV bucket that several processes may be first to create: two replicas
 * (or workers) starting at once both try to add its stream, and JetStream refuses the
 * second ("subjects overlap with an existing stream"). The loser opens what the winner made.
 *
 * @module
 */

import { type KV, Kvm, type KvOptions } from "@nats-io/kv";

/** A refusal that means another process created the same bucket at the same moment. */
function lostTheRace(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /subjects overlap|stream name already in use|already exists/i.test(message);
}

/**
 * Creates the bucket, or opens it when another process created it meanwhile; gives up after
 * `timeoutMs` with the last error.
 */
export async function createOrOpenKv(
  kvm: Kvm,
  bucket: string,
  options: Partial<KvOptions>,
  timeoutMs = 10_000,
): Promise<KV> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1;; attempt++) {
    try {
      return await kvm.create(bucket, options);
    } catch (error) {
      if (!lostTheRace(error) || Date.now() > deadline) throw error;
      try {
        return await kvm.open(bucket, options);
      } catch (openError) {
        if (Date.now() > deadline) throw openError;
        // The winner's stream is not visible yet.
        await new Promise((resolve) => setTimeout(resolve, Math.min(500, 25 * attempt)));
      }
    }
  }
}
