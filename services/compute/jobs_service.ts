/**
 * JobService handlers: clients submit plans as jobs, and read or watch their records.
 * Every call acts for the calling tenant; another tenant's job is not found.
 *
 * @module
 */

import { type JobInfo, JobServiceService, JobStatus } from "../../shared/gen/polaroid/v1/jobs.ts";
import type { ComputeLimits } from "../../shared/config_limits.ts";
import { InvalidPlanError, NotFoundError } from "../../shared/errors.ts";
import { bind, type ServiceBinding } from "../../shared/grpc/types.ts";
import { validatePlan } from "./engine/mod.ts";
import { type JobQueue, type JobRecord, validateJobId } from "./jobs_queue.ts";

const STATUS: Readonly<Record<JobRecord["status"], JobStatus>> = {
  queued: JobStatus.JOB_STATUS_QUEUED,
  running: JobStatus.JOB_STATUS_RUNNING,
  succeeded: JobStatus.JOB_STATUS_SUCCEEDED,
  failed: JobStatus.JOB_STATUS_FAILED,
};

/** A record as the wire shows it. */
export function jobInfo(record: JobRecord): JobInfo {
  return {
    id: record.id,
    status: STATUS[record.status],
    worker: record.worker,
    attempts: record.attempts,
    handle: record.handle,
    error: record.error
      ? {
        reason: record.error.code,
        grpcCode: record.error.grpcCode,
        message: record.error.message,
      }
      : undefined,
    submittedAtMs: BigInt(record.submittedAtMs),
    startedAtMs: BigInt(record.startedAtMs),
    finishedAtMs: BigInt(record.finishedAtMs),
  };
}

function finished(record: JobRecord): boolean {
  return record.status === "succeeded" || record.status === "failed";
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(
    `Cannot find job as the tenant has no job of that id: current value is ${id}`,
  );
}

export function jobService(queue: JobQueue, limits: ComputeLimits): ServiceBinding {
  const lookup = async (id: string, tenant: string): Promise<JobRecord> => {
    const found = await queue.get(tenant, validateJobId(id));
    if (!found) throw notFound(id);
    return found.record;
  };

  return bind(JobServiceService, {
    async submitJob(request, ctx) {
      const id = validateJobId(request.jobId);
      ctx.log.job = id;
      if (!request.plan) throw new InvalidPlanError("Cannot submit the job as it has no plan");
      validatePlan(request.plan, limits);
      const record: JobRecord = {
        id,
        tenant: ctx.tenant,
        status: "queued",
        worker: "",
        attempts: 0,
        handle: "",
        submittedAtMs: Date.now(),
        startedAtMs: 0,
        finishedAtMs: 0,
      };
      if (await queue.submit(record, request)) return jobInfo(record);
      const existing = await lookup(id, ctx.tenant);
      ctx.log.duplicate = true;
      // A first submission may have stored its record and failed to queue its message.
      if (existing.status === "queued") await queue.publish(ctx.tenant, request);
      return jobInfo(existing);
    },

    async getJob(request, ctx) {
      ctx.log.job = request.jobId;
      return jobInfo(await lookup(request.jobId, ctx.tenant));
    },

    async *watchJob(request, ctx) {
      ctx.log.job = request.jobId;
      const first = await lookup(request.jobId, ctx.tenant);
      if (finished(first)) {
        yield jobInfo(first);
        return;
      }
      for await (const record of queue.watch(ctx.tenant, request.jobId, ctx.signal)) {
        yield jobInfo(record);
        if (finished(record)) return;
      }
    },
  });
}
