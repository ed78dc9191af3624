// `pulmo dicom echo|listen|find|retrieve|send|nodes`: DICOM networking from the command line. `<node>` is a
// configured node's name (`pulmo dicom nodes add`) or AET@host:port.
import type { Command, CliIo } from '../command';
import { commonOptions } from '../command';
import { createContext, type AppContext } from '../../services/context';
import { createServices, type Services } from '../../services';
import { defaultListenerSettings, type QueryRow } from '../../shared/netTypes';
import type { JobStatus } from '../../shared/types';
import { dispatch } from '../../services/dispatch';
import type { Input, MethodName, Output } from '../../shared/api';
import { getListenerSettings } from '../../store/netNodes';
import { parsePeerSpec } from '../../services/net/nodes';

type Values = Record<string, string | boolean | string[] | undefined>;

const USAGE = `pulmo dicom echo <node>
  pulmo dicom listen [--aet PULMO] [--port 11112] [--bind 127.0.0.1] [--allow AET,AET]
  pulmo dicom find <node> [--level study|series] [--study UID] [--patient-id ID] [--patient-name NAME] [--date FROM-TO] [--modality CT] [--accession N] [--json]
  pulmo dicom retrieve <node> <StudyInstanceUID> [--series UID] [--via get|move|wado] [--json]
  pulmo dicom send <node> <file|folder|SeriesInstanceUID>... [--json]
  pulmo dicom nodes list|add <name> <AET@host:port> [--ops echo,find,move,get,store] [--tls] | add-web <name> <baseUrl> [--auth HEADER] | remove <name>`;

function finished(s: Services, jobId: string, io: CliIo, quiet: boolean): Promise<JobStatus> {
  return new Promise((resolve) => {
    let last = '';
    const check = (): boolean => {
      const st = s.jobs.get(jobId)!.status;
      if (!quiet) {
        const p = st.progress;
        const line = `${p.phase} ${p.filesScanned}${p.filesTotal !== null ? `/${p.filesTotal}` : ''}${p.message ? ` — ${p.message}` : ''}`;
        if (line !== last) io.err(line);
        last = line;
      }
      if (st.finishedAt) resolve(structuredClone(st));
      return st.finishedAt !== null;
    };
    if (check()) return;
    const off = s.ctx.events.on((e) => {
      if (e === 'job.progress' && check()) off();
    });
  });
}

/** Calls the API through dispatch, so CLI arguments are validated by the same schemas as the UI's. */
async function api<M extends MethodName>(s: Services, method: M, args: Input<M>): Promise<Output<M>> {
  const r = await dispatch(s.handlers, method, args);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Output<M>;
}

function printRows(rows: QueryRow[], io: CliIo): void {
  for (const r of rows) {
    if (r.level === 'study') io.out(`${r.studyDate.padEnd(8)}  ${r.patientId.padEnd(16)} ${r.patientName.padEnd(24)} ${r.modalities.padEnd(8)} ${String(r.numberOfInstances ?? '?').padStart(5)} inst  ${r.studyInstanceUID}  ${r.studyDescription}`);
    else io.out(`  #${r.seriesNumber.padEnd(4)} ${r.modalities.padEnd(4)} ${String(r.numberOfInstances ?? '?').padStart(5)} inst  ${r.seriesInstanceUID}  ${r.seriesDescription}`);
  }
}

function filters(values: Values): Record<string, string> {
  const f: Record<string, string> = {};
  const map: [string, string][] = [['patient-id', 'patientId'], ['patient-name', 'patientName'], ['modality', 'modality'], ['accession', 'accessionNumber'], ['study', 'studyInstanceUID']];
  for (const [opt, key] of map) if (typeof values[opt] === 'string') f[key] = values[opt] as string;
  if (typeof values.date === 'string') {
    const [from, to] = (values.date as string).split('-');
    if (from) f.dateFrom = from;
    if (to !== undefined ? to : from) f.dateTo = to !== undefined ? to : from;
  }
  return f;
}

async function nodes(ctx: AppContext, s: Services, args: string[], values: Values, io: CliIo): Promise<number> {
  const [verb, name, where] = args;
  if (verb === 'list' || verb === undefined) {
    const list = await api(s, 'dicom.nodes.list', {});
    if (values.json) io.out(JSON.stringify(list, null, 2));
    for (const n of values.json ? [] : list) io.out(n.kind === 'dimse' ? `${n.name.padEnd(16)} ${n.aet}@${n.host}:${n.port}${n.tls ? ' (TLS)' : ''}  ${n.ops.join(',')}` : `${n.name.padEnd(16)} ${n.baseUrl} (DICOMweb)`);
    const l = getListenerSettings(ctx.db);
    if (!values.json) io.out(`this workstation: ${l.aet}, listener ${l.enabled ? `on ${l.bind}:${l.port}` : 'off'}`);
    return 0;
  }
  if (verb === 'remove' && name) {
    const r = await api(s, 'dicom.nodes.delete', { name });
    io.out(r.deleted ? `removed ${name}` : `no node ${name}`);
    return r.deleted ? 0 : 1;
  }
  if ((verb === 'add' || verb === 'add-web') && name && where) {
    const peer = verb === 'add' ? parsePeerSpec(where) : null;
    if (verb === 'add' && !peer) throw new Error(`"${where}" is not AET@host:port`);
    const raw =
      verb === 'add'
        ? { name, kind: 'dimse', aet: peer!.aet, host: peer!.host, port: peer!.port, tls: values.tls === true, ...(values.ops ? { ops: String(values.ops).split(',') } : {}) }
        : { name, kind: 'dicomweb', baseUrl: where, ...(values.auth ? { authHeader: String(values.auth) } : {}) };
    await api(s, 'dicom.nodes.save', raw as Input<'dicom.nodes.save'>);
    io.out(`saved ${name}`);
    return 0;
  }
  io.err(`Usage: ${USAGE}`);
  return 2;
}

async function listen(s: Services, values: Values, io: CliIo): Promise<number> {
  const stored = getListenerSettings(s.ctx.db);
  const settings = {
    ...stored,
    enabled: true,
    aet: (values.aet as string | undefined) ?? stored.aet,
    port: values.port !== undefined ? Number(values.port) : stored.port,
    bind: (values.bind as string | undefined) ?? stored.bind ?? defaultListenerSettings.bind,
    allowedCallers: values.allow ? String(values.allow).split(',').map((a) => a.trim()) : stored.allowedCallers,
  };
  s.listener.log = (l) => io.err(l);
  const reported = new Set<string>();
  const off = s.ctx.events.on((e, p) => {
    const j = p as JobStatus;
    if (e !== 'job.progress' || j.kind !== 'receive' || !j.finishedAt) return;
    const note = j.progress.message?.startsWith('association aborted') ? ` — ${j.progress.message}` : '';
    if (!note && reported.has(j.jobId)) return;
    reported.add(j.jobId);
    io.err(`reception ${j.jobId}: ${j.summary?.instancesImported ?? 0} instances imported into ${j.summary?.series.length ?? 0} series, ${j.errors.length} problems${note}`);
  });
  const st = await s.listener.apply(settings);
  if (!st.running) {
    off();
    io.err(`pulmo dicom listen: ${st.error}`);
    return 1;
  }
  io.out(`listening as ${st.address}; Ctrl+C stops`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  off();
  return 0;
}

export const dicomCommand: Command = {
  name: 'dicom',
  summary: 'DICOM networking: C-ECHO, the storage listener, C-FIND, C-MOVE/C-GET/WADO-RS retrieve, C-STORE/STOW-RS send, configured nodes',
  usage: USAGE,
  options: {
    ...commonOptions,
    json: { type: 'boolean' },
    aet: { type: 'string' },
    port: { type: 'string' },
    bind: { type: 'string' },
    allow: { type: 'string' },
    level: { type: 'string' },
    study: { type: 'string' },
    series: { type: 'string' },
    'patient-id': { type: 'string' },
    'patient-name': { type: 'string' },
    date: { type: 'string' },
    modality: { type: 'string' },
    accession: { type: 'string' },
    via: { type: 'string' },
    ops: { type: 'string' },
    tls: { type: 'boolean' },
    auth: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [sub, ...args] = positionals;
    if (!sub) {
      io.err(`Usage: ${USAGE}`);
      return 2;
    }
    const ctx = createContext({ dataDir: values.data as string | undefined });
    const s = createServices(ctx);
    try {
      switch (sub) {
        case 'nodes':
          return await nodes(ctx, s, args, values, io);
        case 'listen':
          return await listen(s, values, io);
        case 'echo': {
          if (!args[0]) break;
          const r = await api(s, 'dicom.echo', { node: args[0] });
          if (values.json) io.out(JSON.stringify(r));
          else (r.ok ? io.out : io.err)(`${r.node}: ${r.ok ? `C-ECHO ok in ${r.ms} ms` : r.message}`);
          return r.ok ? 0 : 1;
        }
        case 'find': {
          if (!args[0]) break;
          const level = (values.level as 'study' | 'series' | undefined) ?? (values.study ? 'series' : 'study');
          const rows = await api(s, 'dicom.find', { node: args[0], level, filters: filters(values) });
          if (values.json) io.out(JSON.stringify(rows, null, 2));
          else printRows(rows, io);
          return 0;
        }
        case 'retrieve': {
          const [node, study] = args;
          if (!node || !study) break;
          const via = values.via as 'move' | 'get' | 'wado' | undefined;
          let started = false;
          if (via === 'move' && !s.listener.status().running) {
            // The PACS delivers to our listener: run it (stored AE title and port) for the length of the move.
            const st = await s.listener.apply({ ...getListenerSettings(ctx.db), enabled: true });
            if (!st.running) throw new Error(st.error ?? 'the listener did not start');
            started = true;
          }
          const { jobId } = await api(s, 'dicom.retrieve', { node, studyInstanceUID: study, seriesInstanceUID: values.series as string | undefined, via });
          const st = await finished(s, jobId, io, values.json === true);
          if (started) {
            await s.listener.stop();
          }
          await s.listener.idle();
          if (values.json) io.out(JSON.stringify(st, null, 2));
          else {
            const summary = st.kind === 'retrieve' ? st.summary : null;
            io.out(st.state === 'done' ? `retrieved: ${summary ? `${summary.instancesImported} instances imported, ${summary.series.length} series` : st.progress.message}` : `retrieve ${st.state}: ${st.error?.message}`);
            for (const e of st.errors) io.out(`  ${e.file}: ${e.reason}`);
          }
          return st.state === 'done' ? 0 : 1;
        }
        case 'send': {
          const [node, ...what] = args;
          if (!node || what.length === 0) break;
          const uids = what.filter((w) => /^[0-9.]{1,64}$/.test(w) && w.includes('.') && !w.includes('/'));
          const paths = what.filter((w) => !uids.includes(w));
          if (uids.length > 1) throw new Error('send one SeriesInstanceUID at a time');
          const { jobId } = await api(s, 'dicom.send', { node, paths: paths.length ? paths : undefined, seriesInstanceUID: uids[0] });
          const st = await finished(s, jobId, io, values.json === true);
          if (values.json) io.out(JSON.stringify({ state: st.state, message: st.progress.message ?? st.error?.message, failed: st.errors }, null, 2));
          else {
            io.out(st.state === 'done' ? (st.progress.message ?? 'sent') : `send ${st.state}: ${st.error?.message}`);
            for (const e of st.errors) io.out(`  ${e.file}: ${e.reason}`);
          }
          return st.state === 'done' && st.errors.length === 0 ? 0 : 1;
        }
        default:
          io.err(`pulmo dicom: unknown sub-command "${sub}"`);
          return 2;
      }
      io.err(`Usage: ${USAGE}`);
      return 2;
    } finally {
      await s.close();
      ctx.close();
    }
  },
};
