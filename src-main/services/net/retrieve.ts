// Retrieve a study or series from a peer into the case index: C-MOVE (to Pulmo's running listener, whose
// reception jobs import what arrives), C-GET or WADO-RS (files validated and filed like received ones, then
// imported on this job).
import path from 'node:path';
import type { AppContext } from '../context';
import type { JobHandle } from '../jobs';
import { ApiError } from '../../shared/errors';
import { get, move, type RetrieveProgress, type RetrieveTarget } from '../../net/scu';
import { wadoRetrieve } from '../../net/dicomweb';
import { fileReceived } from '../../net/fileReceived';
import { runImport } from '../import/runImport';
import { WorkerEngine } from '../import/engine';
import { getListenerSettings } from '../../store/netNodes';
import { receivedDir, type ListenerService } from './listenerService';
import type { DicomNode } from '../../shared/netTypes';
import type { RetrieveJobStatus } from '../../shared/types';

export type RetrieveVia = 'move' | 'get' | 'wado';

export function defaultVia(node: DicomNode): RetrieveVia {
  return node.kind === 'dicomweb' ? 'wado' : 'get';
}

export function checkVia(node: DicomNode, via: RetrieveVia, listener: ListenerService): void {
  if (node.kind === 'dicomweb' && via !== 'wado') throw new ApiError('validation', `Node "${node.name}" is a DICOMweb peer: retrieve it with WADO-RS`);
  if (node.kind === 'dimse' && via === 'wado') throw new ApiError('validation', `Node "${node.name}" is a DIMSE peer: retrieve with C-GET or C-MOVE`);
  if (via === 'move' && !listener.status().running) {
    const s = listener.status().settings;
    throw new ApiError('unsupported', `C-MOVE delivers to Pulmo's listener, which is not running: turn it on (AE ${s.aet}, port ${s.port}) and register it on the PACS, or retrieve with C-GET`);
  }
}

export async function runRetrieve(ctx: AppContext, job: JobHandle<RetrieveJobStatus>, node: DicomNode, target: RetrieveTarget, via: RetrieveVia): Promise<void> {
  const settings = getListenerSettings(ctx.db);
  const files: string[] = [];
  const progress = (p: RetrieveProgress): void => {
    const total = p.remaining === null ? null : p.completed + p.failed + p.warnings + p.remaining;
    job.progress({ phase: via === 'move' ? 'moving' : 'retrieving', filesScanned: p.completed, filesTotal: total, fraction: total ? (0.5 * p.completed) / total : null });
  };
  const accept = (tmp: string): string | null => {
    const out = fileReceived(tmp, receivedDir(ctx));
    if (out.ok) {
      files.push(out.instance.file);
      job.progress({ filesScanned: files.length });
      return null;
    }
    job.addError({ file: `${node.name}: ${path.basename(tmp)}`, code: out.code === 'unreadable' ? 'bad_header' : 'unsupported', reason: out.reason });
    return out.reason;
  };
  const tmpDir = path.join(receivedDir(ctx), '.incoming');
  try {
    job.progress({ phase: 'connecting', message: `${via.toUpperCase()} from ${node.name}` }, true);
    if (node.kind === 'dicomweb') {
      await wadoRetrieve(node, target, tmpDir, (f) => void accept(f), job.signal);
    } else if (via === 'move') {
      const r = await move(node, settings.aet, target, { callingAet: settings.aet, signal: job.signal, onProgress: progress });
      job.status.progress.message = `${r.completed} instances moved to ${settings.aet}; ${r.failed} failed. The listener's reception job imports them.`;
      job.finish();
      return;
    } else {
      await get(node, target, tmpDir, { callingAet: settings.aet, signal: job.signal, onProgress: progress, onInstance: accept });
    }
  } catch (e) {
    if (files.length === 0 || job.signal.aborted) {
      job.fail(e);
      return;
    }
    job.addError({ file: node.name, code: 'network', reason: `retrieve ended early: ${(e as Error).message}; importing the ${files.length} instances that arrived` });
  }
  if (files.length === 0) {
    job.finish({ summary: { filesScanned: 0, instancesImported: 0, series: [], errors: [...job.status.errors] } });
    return;
  }
  try {
    await runImport(ctx, job, files, new WorkerEngine());
  } catch {
    /* runImport recorded the failure on the job */
  }
}
