import assert from "node:assert/strict";
import { ColumnNotFoundError, GrpcCode, InternalError } from "../shared/errors.ts";
import { JobStatus } from "../shared/gen/polaroid/v1/jobs.ts";
import { openJob, submitPlan } from "./frame/lazy_frame.ts";
import { jobState } from "./jobs.ts";
import type { Session } from "./transport/session.ts";

const BASE = {
  id: "j1",
  worker: "compute-2",
  attempts: 2,
  handle: "",
  error: undefined,
  submittedAtMs: 10n,
  startedAtMs: 20n,
  finishedAtMs: 30n,
};

Deno.test("jobState() rebuilds a failed job's error as its PolaroidError class", () => {
  const state = jobState({
    ...BASE,
    status: JobStatus.JOB_STATUS_FAILED,
    error: {
      reason: "COLUMN_NOT_FOUND",
      grpcCode: GrpcCode.INVALID_ARGUMENT,
      message: "no column x",
    },
  });
  assert.equal(state.status, "failed");
  assert.ok(state.error instanceof ColumnNotFoundError);
  assert.equal(state.error.message, "no column x");
  assert.deepEqual([state.submittedAtMs, state.startedAtMs, state.finishedAtMs], [10, 20, 30]);
});

Deno.test("jobState() maps statuses and rejects an unknown one", () => {
  assert.equal(jobState({ ...BASE, status: JobStatus.JOB_STATUS_RUNNING }).status, "running");
  assert.equal(jobState({ ...BASE, status: JobStatus.JOB_STATUS_QUEUED }).error, undefined);
  assert.throws(
    () => jobState({ ...BASE, status: JobStatus.JOB_STATUS_UNSPECIFIED }),
    InternalError,
  );
});

Deno.test("submitPlan() and openJob() reject bad ids and sessions without jobs", async () => {
  const session = {} as Session;
  await assert.rejects(submitPlan(session, {}, { jobId: "a b" }), /'jobId' must be/);
  await assert.rejects(submitPlan(session, {}, { ttlSeconds: -1 }), RangeError);
  await assert.rejects(submitPlan(session, {}), /has no job service/);
  await assert.rejects(openJob({}, "j1"), /not a Polaroid client/);
});
