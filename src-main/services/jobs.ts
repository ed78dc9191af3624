// Long-running jobs (import, CAD) as typed variants of one job: status kept in memory, pushed as `job.progress`
// events, cancelled through one AbortSignal per job (jobs.cancel), ended with a coded error when they fail.
import crypto from 'node:crypto';
import type { EventBus } from './events';
import type { CadJobStatus, FileError, ImportJobStatus, JobError, JobKind, JobProgress, JobStatus } from '../shared/types';
import { ApiError } from '../shared/errors';
import { isCancellation } from '../shared/cancellation';

type StatusOf<K extends JobKind> = Extract<JobStatus, { kind: K }>;

/** The error a job ends with: the API kind of an ApiError, 'internal' for anything unexpected. */
export function jobErrorOf(err: unknown): JobError {
  if (err instanceof ApiError) return { code: err.kind, message: err.message };
  if (isCancellation(err)) return { code: 'cancelled', message: 'Cancelled by the user' };
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return { code: 'io', message: e.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export class JobHandle<S extends JobStatus = JobStatus> {
  readonly controller = new AbortController();
  private lastEmit = 0;
  constructor(
    readonly status: S,
    private readonly events: EventBus,
  ) {}
  get id(): string {
    return this.status.jobId;
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  /** Merge progress; events are throttled to ~10/s so a fast import cannot flood the renderer, but a change of
   * phase is always sent. */
  progress(p: Partial<JobProgress>, force = false): void {
    if (p.phase !== undefined && p.phase !== this.status.progress.phase) force = true;
    Object.assign(this.status.progress, p);
    if (this.status.state === 'queued') this.status.state = 'running';
    const now = Date.now();
    if (force || now - this.lastEmit > 100) {
      this.lastEmit = now;
      this.emit();
    }
  }
  addError(e: FileError): void {
    this.status.errors.push(e);
  }
  /** Ends the job with its result; 'cancelled' when it was cancelled meanwhile. Always emits the final state. */
  finish(result: Partial<S> = {}): void {
    Object.assign(this.status, result);
    this.status.state = this.signal.aborted ? 'cancelled' : 'done';
    if (this.status.state === 'cancelled') this.status.error = { code: 'cancelled', message: 'Cancelled by the user' };
    this.status.finishedAt = new Date().toISOString();
    this.status.progress.phase = this.status.state;
    this.emit();
  }
  fail(err: unknown): void {
    const error = jobErrorOf(err);
    this.status.state = this.signal.aborted || error.code === 'cancelled' ? 'cancelled' : 'failed';
    this.status.error = this.status.state === 'cancelled' ? { code: 'cancelled', message: 'Cancelled by the user' } : error;
    this.status.finishedAt = new Date().toISOString();
    this.status.progress.phase = this.status.state;
    this.emit();
  }
  private emit(): void {
    this.events.emit('job.progress', structuredClone(this.status) as JobStatus);
  }
}

export class JobRegistry {
  private jobs = new Map<string, JobHandle>();
  constructor(private readonly events: EventBus) {}

  create<K extends JobKind>(kind: K): JobHandle<StatusOf<K>> {
    const jobId = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
    const base = {
      jobId,
      state: 'queued' as const,
      progress: { phase: 'queued', filesScanned: 0, filesTotal: null, seriesFound: 0, bytesRead: 0, fraction: null },
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
      errors: [],
    };
    const status: JobStatus = kind === 'import' ? ({ ...base, kind: 'import', summary: null } satisfies ImportJobStatus) : ({ ...base, kind: 'cad', runId: null } satisfies CadJobStatus);
    const job = new JobHandle(status as StatusOf<K>, this.events);
    this.jobs.set(jobId, job as unknown as JobHandle);
    return job;
  }
  get(jobId: string): JobHandle | undefined {
    return this.jobs.get(jobId);
  }
  list(): JobStatus[] {
    return [...this.jobs.values()].map((j) => structuredClone(j.status));
  }
  /** Cancels a running job of any kind; false when there is no such job or it has already ended. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.status.finishedAt) return false;
    job.controller.abort();
    return true;
  }
}
