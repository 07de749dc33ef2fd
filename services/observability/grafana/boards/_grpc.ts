/**
 * The gRPC metrics every service records (shared/telemetry/metrics.ts), as the boards name
 * them.
 *
 * @module
 */

export const REQUESTS = "polaroid_grpc_requests_total";
export const ERRORS = "polaroid_grpc_errors_total";
export const DURATION = "polaroid_grpc_request_duration_seconds";
export const QUEUE = "polaroid_grpc_queue_seconds";
export const IN_FLIGHT = "polaroid_grpc_in_flight";
/** Health checks would drown the latency of real calls (as in alerts.yml). */
export const NOT_HEALTH = `method!~"/grpc.health.v1.Health/.*"`;
