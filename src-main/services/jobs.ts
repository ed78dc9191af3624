// Long-running jobs (import, CAD): status kept in memory, pushed as `job.progress` events, cancellable.
import crypto from 'node:crypto';
import type { EventBus } from './events';
import type { FileError, ImportSummary, JobStatus } from '../shared/types';

export class JobHandle {
  readonly controller = new AbortController();
  private lastEmit = 0;
  constructor(
    readonly status: JobStatus,
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
  progress(p: Partial<JobStatus['progress']>, force = false): void {
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
  finish(summary: ImportSummary | null, extra: Partial<JobStatus> = {}): void {
    Object.assign(this.status, extra);
    this.status.summary = summary;
    this.status.state = this.signal.aborted ? 'cancelled' : 'done';
    this.status.finishedAt = new Date().toISOString();
    this.status.progress.phase = this.status.state;
    this.emit();
  }
  fail(message: string): void {
    this.status.state = this.signal.aborted ? 'cancelled' : 'failed';
    this.status.error = message;
    this.status.finishedAt = new Date().toISOString();
    this.emit();
  }
  private emit(): void {
    this.events.emit('job.progress', structuredClone(this.status));
  }
}

export class JobRegistry {
  private jobs = new Map<string, JobHandle>();
  constructor(private readonly events: EventBus) {}

  create(kind: JobStatus['kind']): JobHandle {
    const jobId = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
    const status: JobStatus = {
      jobId,
      kind,
      state: 'queued',
      progress: { phase: 'queued', filesScanned: 0, filesTotal: null, seriesFound: 0, bytesRead: 0, fraction: null },
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
      errors: [],
      summary: null,
    };
    const job = new JobHandle(status, this.events);
    this.jobs.set(jobId, job);
    return job;
  }
  get(jobId: string): JobHandle | undefined {
    return this.jobs.get(jobId);
  }
  list(): JobStatus[] {
    return [...this.jobs.values()].map((j) => structuredClone(j.status));
  }
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.status.finishedAt) return false;
    job.controller.abort();
    return true;
  }
}
