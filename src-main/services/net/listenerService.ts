// Runs Pulmo's DICOM listener for the app, the server or `pulmo dicom listen`: one 'receive' job per incoming
// association, whose received files go through the ordinary import (runImport) when the association ends.
// Imports run one at a time, in arrival order, so two deliveries of the same series never race. An association
// that aborts keeps what arrived (imported, the reception marked aborted, its series incomplete); a re-send
// completes the series.
import path from 'node:path';
import type { AppContext } from '../context';
import type { JobHandle, JobRegistry } from '../jobs';
import { DicomListener, type ReceivedInstance } from '../../net/storageScp';
import { runImport } from '../import/runImport';
import { WorkerEngine, type ImportEngine } from '../import/engine';
import { getListenerSettings, listNodes } from '../../store/netNodes';
import { finishReception, recordReceived, startReception } from '../../store/netReceptions';
import type { ListenerSettings, ListenerStatus } from '../../shared/netTypes';
import type { ReceiveJobStatus } from '../../shared/types';

interface Live {
  /** Created with the first instance: an association that only echoes leaves a reception row, not a job. */
  job: JobHandle<ReceiveJobStatus> | null;
  callingAet: string;
  remote: string;
  received: ReceivedInstance[];
  failed: number;
  bytes: number;
}

export function receivedDir(ctx: AppContext): string {
  return path.join(ctx.dataDir, 'received');
}

export class ListenerService {
  private listener: DicomListener | null = null;
  private error: string | null = null;
  private live = new Map<string, Live>();
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Where rejected associations are reported besides the database (stderr for the CLI and server). */
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`);

  constructor(
    private readonly ctx: AppContext,
    private readonly jobs: JobRegistry,
    private readonly makeEngine: () => ImportEngine = () => new WorkerEngine(),
  ) {}

  status(): ListenerStatus {
    return { settings: getListenerSettings(this.ctx.db), running: this.listener !== null, address: this.listener?.address ?? null, error: this.error };
  }

  /** Starts, restarts or stops the listener to match `settings` (default: the stored ones). */
  async apply(settings: ListenerSettings = getListenerSettings(this.ctx.db)): Promise<ListenerStatus> {
    await this.stop();
    this.error = null;
    if (!settings.enabled) return this.status();
    const listener = new DicomListener({
      aet: settings.aet,
      port: settings.port,
      bind: settings.bind,
      spoolDir: receivedDir(this.ctx),
      isAllowedCaller: (aet) =>
        settings.allowedCallers.includes(aet) || listNodes(this.ctx.db).some((n) => n.kind === 'dimse' && n.aet === aet && n.ops.includes('store')),
      handler: {
        rejected: (r) => this.rejected(r),
        started: (a) => this.started(a),
        instance: (id, r) => this.instance(id, r),
        instanceFailed: (id, r) => this.instanceFailed(id, r),
        ended: (id, state, reason) => this.ended(id, state, reason),
      },
    });
    try {
      await listener.start();
      this.listener = listener;
    } catch (e) {
      this.error = (e as Error).message;
      this.log(`pulmo: ${this.error}`);
    }
    return this.status();
  }

  async stop(): Promise<void> {
    const l = this.listener;
    this.listener = null;
    if (l) await l.close();
  }

  /** Resolves when every association that has ended so far has been imported. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  private rejected(r: { callingAet: string; calledAet: string; remote: string; reason: string }): void {
    const id = `rej${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const msg = `association from ${r.callingAet.slice(0, 16)} at ${r.remote} rejected: ${r.reason}`;
    this.log(`pulmo dicom listener: ${msg}`);
    try {
      startReception(this.ctx.db, { id, callingAet: r.callingAet.slice(0, 16), remote: r.remote, state: 'rejected', startedAt: new Date().toISOString(), message: r.reason });
    } catch {
      /* a read-only database: the stderr line stays */
    }
  }

  private started(a: { id: string; callingAet: string; remote: string }): void {
    this.live.set(a.id, { job: null, callingAet: a.callingAet, remote: a.remote, received: [], failed: 0, bytes: 0 });
    startReception(this.ctx.db, { id: a.id, callingAet: a.callingAet, remote: a.remote, state: 'receiving', startedAt: new Date().toISOString() });
  }

  private jobOf(l: Live): JobHandle<ReceiveJobStatus> {
    if (!l.job) {
      l.job = this.jobs.create('receive');
      l.job.progress({ phase: 'receiving', message: `from ${l.callingAet} (${l.remote})` }, true);
    }
    return l.job;
  }

  private instance(id: string, r: ReceivedInstance): void {
    const l = this.live.get(id);
    if (!l) return;
    l.received.push(r);
    l.bytes += r.bytes;
    this.jobOf(l).progress({ filesScanned: l.received.length, bytesRead: l.bytes });
  }

  private instanceFailed(id: string, r: { sopInstanceUID: string; reason: string }): void {
    const l = this.live.get(id);
    if (!l) return;
    l.failed++;
    this.jobOf(l).addError({ file: `${l.callingAet}: SOP ${r.sopInstanceUID.slice(0, 64)}`, code: 'network', reason: r.reason });
  }

  private ended(id: string, how: 'released' | 'aborted', reason: string | null): void {
    const l = this.live.get(id);
    if (!l) return;
    this.live.delete(id);
    if (!l.job) {
      // Nothing was stored (a C-ECHO, or an empty association): record how it ended, no import.
      const state = how === 'released' ? 'complete' : 'aborted';
      finishReception(this.ctx.db, id, { state, instances: 0, failed: 0, bytes: 0, finishedAt: new Date().toISOString(), jobId: null, message: reason });
      return;
    }
    const job = l.job;
    // Deduplicate: a peer may send the same instance twice on one association.
    const byFile = new Map(l.received.map((r) => [r.file, r]));
    const received = [...byFile.values()];
    recordReceived(this.ctx.db, id, received.map((r) => ({ sopUID: r.sopInstanceUID, seriesUID: r.seriesInstanceUID, file: r.file })));
    this.pending++;
    this.queue = this.queue
      .then(() => this.importReception(id, job, l, received, how, reason))
      .catch(() => undefined)
      .finally(() => {
        this.pending--;
      });
  }

  private async importReception(id: string, job: JobHandle<ReceiveJobStatus>, l: Live, received: ReceivedInstance[], how: 'released' | 'aborted', reason: string | null): Promise<void> {
    const state = how === 'released' ? 'complete' : 'aborted';
    const note = how === 'aborted' ? `association aborted (${reason}); the ${received.length} instances that arrived are kept, their series marked incomplete until re-sent` : null;
    let failure: string | null = null;
    try {
      if (received.length > 0) await runImport(this.ctx, job, received.map((r) => r.file), this.makeEngine());
      else job.finish({ summary: { filesScanned: 0, instancesImported: 0, series: [], errors: [...job.status.errors] } });
    } catch (e) {
      failure = (e as Error).message;
    }
    if (note) job.progress({ message: note }, true); // after the import's own messages, so it is the last word
    finishReception(this.ctx.db, id, {
      state,
      instances: received.length,
      failed: l.failed,
      bytes: l.bytes,
      finishedAt: new Date().toISOString(),
      jobId: job.id,
      message: [note, failure && `import failed: ${failure}`].filter(Boolean).join('; ') || null,
    });
    this.ctx.events.emit('cases.changed', { reason: 'dicom-receive' });
  }
}
