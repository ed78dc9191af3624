// dicom.*: DICOM nodes, listener settings, C-ECHO, C-FIND/QIDO-RS, retrieve and send jobs, receptions.
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import type { JobRegistry } from '../jobs';
import { ApiError } from '../../shared/errors';
import { deleteNode, listNodes, saveListenerSettings, saveNode } from '../../store/netNodes';
import { listReceptions } from '../../store/netReceptions';
import { instanceFilesOfSeriesUID } from '../../store/instances';
import { echo, find } from '../../net/scu';
import { dicomwebEcho, qido } from '../../net/dicomweb';
import { getListenerSettings } from '../../store/netNodes';
import { resolveNode } from './nodes';
import { checkVia, defaultVia, runRetrieve } from './retrieve';
import { sendFiles } from './send';
import type { ListenerService } from './listenerService';
import { assertWritable } from '../guards';

type NetMethods =
  | 'dicom.nodes.list'
  | 'dicom.nodes.save'
  | 'dicom.nodes.delete'
  | 'dicom.echo'
  | 'dicom.find'
  | 'dicom.retrieve'
  | 'dicom.send'
  | 'dicom.listener.get'
  | 'dicom.listener.set'
  | 'dicom.receptions';

export function netHandlers(ctx: AppContext, jobs: JobRegistry, listener: ListenerService): Pick<Handlers, NetMethods> {
  const callingAet = (): string => getListenerSettings(ctx.db).aet;
  return {
    'dicom.nodes.list': () => listNodes(ctx.db),
    'dicom.nodes.save': (node) => {
      assertWritable(ctx);
      saveNode(ctx.db, node);
      return node;
    },
    'dicom.nodes.delete': ({ name }) => {
      assertWritable(ctx);
      return { deleted: deleteNode(ctx.db, name) };
    },
    'dicom.echo': async ({ node: ref }) => {
      const node = resolveNode(ctx.db, ref, 'echo');
      const t0 = performance.now();
      try {
        if (node.kind === 'dicomweb') await dicomwebEcho(node);
        else await echo(node, { callingAet: callingAet(), timeoutMs: 10_000 });
        return { node: node.name, ok: true, ms: Math.round(performance.now() - t0), message: 'C-ECHO succeeded' };
      } catch (e) {
        return { node: node.name, ok: false, ms: Math.round(performance.now() - t0), message: (e as Error).message };
      }
    },
    'dicom.find': async ({ node: ref, level, filters }) => {
      const node = resolveNode(ctx.db, ref, 'find');
      if (level === 'series' && !filters.studyInstanceUID) throw new ApiError('validation', 'A series-level query needs filters.studyInstanceUID', 'filters.studyInstanceUID');
      try {
        return node.kind === 'dicomweb' ? await qido(node, level, filters) : await find(node, level, filters, { callingAet: callingAet(), timeoutMs: 30_000 });
      } catch (e) {
        throw new ApiError('io', (e as Error).message);
      }
    },
    'dicom.retrieve': ({ node: ref, studyInstanceUID, seriesInstanceUID, via }) => {
      assertWritable(ctx);
      const node = resolveNode(ctx.db, ref);
      const how = via ?? defaultVia(node);
      if (node.kind === 'dimse' && !node.ops.includes(how === 'move' ? 'move' : 'get')) throw new ApiError('validation', `Node "${node.name}" is not allowed to ${how}`);
      checkVia(node, how, listener);
      const job = jobs.create('retrieve');
      runRetrieve(ctx, job, node, { studyInstanceUID, seriesInstanceUID }, how).catch((e) => job.fail(e));
      return { jobId: job.id };
    },
    'dicom.send': ({ node: ref, paths, seriesInstanceUID }) => {
      const node = resolveNode(ctx.db, ref, 'store');
      const files = [...(paths ?? []), ...(seriesInstanceUID ? instanceFilesOfSeriesUID(ctx.db, seriesInstanceUID) : [])];
      if (files.length === 0) throw new ApiError('validation', seriesInstanceUID ? `No indexed files for series ${seriesInstanceUID}` : 'Nothing to send: give paths or a seriesInstanceUID');
      const job = jobs.create('send');
      job.progress({ phase: 'sending', message: `to ${node.name}` }, true);
      sendFiles(ctx, node, files, { signal: job.signal, onProgress: (done, total) => job.progress({ filesScanned: done, filesTotal: total, fraction: done / total }) }).then(
        (r) => {
          for (const f of r.failed) job.addError({ ...f, code: 'network' });
          job.status.progress.message = `sent ${r.sent} of ${r.sent + r.failed.length} files to ${node.name}`;
          job.finish();
        },
        (e) => job.fail(e),
      );
      return { jobId: job.id };
    },
    'dicom.listener.get': () => listener.status(),
    'dicom.listener.set': async (settings) => {
      assertWritable(ctx);
      saveListenerSettings(ctx.db, settings);
      return listener.apply(settings);
    },
    'dicom.receptions': ({ limit }) => listReceptions(ctx.db, limit),
  };
}
