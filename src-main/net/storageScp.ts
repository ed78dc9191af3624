// Pulmo's storage SCP (the listener): C-ECHO and C-STORE only. Associations from AE titles it does not know are
// rejected; every data set is hostile input: it is spooled to disk as it arrives (never held in memory), checked
// with the import's own header reader, size-capped, and filed under its UIDs only when those are valid UIDs.
// What to do with what arrived (the import job) is the caller's: see ReceptionHandler.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { checkSyntax } from '../dicom/transferSyntax';
import { TS } from '../dicom/codecs/transferSyntaxes';
import { fileMetaHeader } from './part10';
import { fileReceived, type ReceivedInstance } from './fileReceived';
import { SpoolWriter } from './spoolWriter';
import { CEchoRequest, CEchoResponse, CStoreResponse, PresentationContextResult, RejectReason, RejectResult, RejectSource, Scp, Dataset, SopClass, Status, type Association, type DimseCStoreRequest, type PresentationContext } from './dimse';

type EchoRequest = InstanceType<typeof CEchoRequest>;

const STORAGE_ROOT = '1.2.840.10008.5.1.4.1.1.';
export const DEFAULT_MAX_INSTANCE_BYTES = 2 * 1024 ** 3;

export type { ReceivedInstance };

export interface ReceptionHandler {
  rejected(r: { callingAet: string; calledAet: string; remote: string; reason: string }): void;
  started(a: { id: string; callingAet: string; remote: string }): void;
  instance(id: string, r: ReceivedInstance): void;
  instanceFailed(id: string, r: { sopInstanceUID: string; reason: string }): void;
  ended(id: string, state: 'released' | 'aborted', reason: string | null): void;
}

export interface ListenerConfig {
  aet: string;
  port: number;
  bind: string;
  isAllowedCaller(aet: string): boolean;
  /** Received files end up in <spoolDir>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm. */
  spoolDir: string;
  handler: ReceptionHandler;
  maxInstanceBytes?: number;
  maxAssociations?: number;
  /** DICOM TLS (key/cert, and ca + requestCert to require client certificates). */
  tls?: tls.TlsOptions;
}

/** The transfer syntax to accept for a storage context: explicit then implicit little endian, else the first
 * proposed one the import can decode. */
function chooseSyntax(proposed: string[]): string | undefined {
  if (proposed.includes(TS.explicitLittle)) return TS.explicitLittle;
  if (proposed.includes(TS.implicitLittle)) return TS.implicitLittle;
  return proposed.find((ts) => checkSyntax(ts) === null);
}

export class DicomListener {
  private server: net.Server | null = null;
  private open = new Set<net.Socket>();
  constructor(readonly config: ListenerConfig) {}

  get address(): string | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? `${this.config.aet}@${a.address}:${a.port}` : null;
  }
  get port(): number | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : null;
  }

  start(): Promise<void> {
    const cfg = this.config;
    const incoming = path.join(cfg.spoolDir, '.incoming');
    fs.mkdirSync(incoming, { recursive: true });
    const ScpClass = makeScpClass(cfg, incoming, () => this.open.size);
    const onSocket = (socket: net.Socket): void => {
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
      socket.on('error', () => undefined); // reported through the association's end
      new ScpClass(socket, { associationTimeout: 30_000, pduTimeout: 60_000 });
    };
    const server = cfg.tls ? tls.createServer(cfg.tls, onSocket) : net.createServer(onSocket);
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        const why =
          e.code === 'EADDRINUSE'
            ? `port ${cfg.port} on ${cfg.bind} is already in use (another Pulmo, storescp or PACS is listening there); choose another port`
            : e.code === 'EACCES'
              ? `no permission to listen on port ${cfg.port} (ports below 1024 need privileges)`
              : e.code === 'EADDRNOTAVAIL'
                ? `${cfg.bind} is not an address of this machine`
                : e.message;
        reject(new Error(`DICOM listener ${cfg.aet}: ${why}`));
      });
      server.listen(cfg.port, cfg.bind, () => {
        this.server = server;
        server.removeAllListeners('error');
        server.on('error', () => undefined);
        resolve();
      });
    });
  }

  /** Stops accepting; open associations are cut (they end as aborted, so their series stay incomplete). */
  close(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.open) sock.destroy();
    return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }
}

function makeScpClass(cfg: ListenerConfig, incoming: string, openCount: () => number) {
  const maxBytes = cfg.maxInstanceBytes ?? DEFAULT_MAX_INSTANCE_BYTES;
  const writers = new WeakMap<object, SpoolWriter>();
  return class PulmoScp extends Scp {
    private assocId: string | null = null;
    private ended = false;
    private count = 0;
    private callingAet = '';

    constructor(socket: net.Socket, opts: ConstructorParameters<typeof Scp>[1]) {
      super(socket, opts);
      this.on('close', () => this.end('aborted', 'the connection closed without an association release'));
    }

    private get remote(): string {
      const s = (this as unknown as { socket: net.Socket }).socket;
      return `${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`;
    }

    private end(state: 'released' | 'aborted', reason: string | null): void {
      if (!this.assocId || this.ended) return;
      this.ended = true;
      try {
        cfg.handler.ended(this.assocId, state, reason);
      } catch {
        /* the handler reports its own failures */
      }
    }

    override associationRequested(association: Association): void {
      const callingAet = association.getCallingAeTitle().trim();
      const calledAet = association.getCalledAeTitle().trim();
      const reject = (reason: number, why: string, result = RejectResult.Permanent): void => {
        cfg.handler.rejected({ callingAet, calledAet, remote: this.remote, reason: why });
        this.sendAssociationReject(result, RejectSource.ServiceUser, reason);
      };
      if (calledAet !== cfg.aet) return reject(RejectReason.CalledAeNotRecognized, `called AE title "${calledAet}" is not this listener's ("${cfg.aet}")`);
      if (!cfg.isAllowedCaller(callingAet)) return reject(RejectReason.CallingAeNotRecognized, `calling AE title "${callingAet}" is not a known node allowed to store`);
      if (openCount() > (cfg.maxAssociations ?? 16)) return reject(RejectReason.LocalLimitExceeded, 'too many associations at once', RejectResult.Transient);
      for (const { id } of association.getPresentationContexts()) {
        const pc = association.getPresentationContext(id);
        const abstract = pc.getAbstractSyntaxUid();
        if (abstract !== SopClass.Verification && !abstract.startsWith(STORAGE_ROOT)) {
          pc.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
          continue;
        }
        const ts = chooseSyntax(pc.getTransferSyntaxUids());
        if (ts) pc.setResult(PresentationContextResult.Accept, ts);
        else pc.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
      this.callingAet = callingAet;
      this.assocId = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
      this.sendAssociationAccept();
      cfg.handler.started({ id: this.assocId, callingAet, remote: this.remote });
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
      this.end('released', null);
    }

    override abort(): void {
      this.end('aborted', 'the peer aborted the association (A-ABORT)');
    }

    override cEchoRequest(request: EchoRequest, callback: (r: InstanceType<typeof CEchoResponse>) => void): void {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override createStoreWritableStream(pc: PresentationContext, request: DimseCStoreRequest) {
      const writer = new SpoolWriter(
        path.join(incoming, `${this.assocId}-${++this.count}.part`),
        fileMetaHeader({
          sopClassUID: request.getAffectedSopClassUid(),
          sopInstanceUID: request.getAffectedSopInstanceUid(),
          transferSyntaxUID: pc.getAcceptedTransferSyntaxUid() ?? TS.implicitLittle,
          sourceAet: this.callingAet,
        }),
        maxBytes,
      );
      writers.set(request, writer);
      return writer;
    }

    override createDatasetFromStoreWritableStream(writable: unknown, pc: PresentationContext, callback: (d: InstanceType<typeof Dataset>) => void): void {
      (writable as SpoolWriter).finished().then(
        () => callback(new Dataset({}, pc.getAcceptedTransferSyntaxUid())),
        () => callback(new Dataset({}, pc.getAcceptedTransferSyntaxUid())),
      );
    }

    override cStoreRequest(request: DimseCStoreRequest, callback: (r: InstanceType<typeof CStoreResponse>) => void): void {
      const respond = (status: number, comment?: string): void => {
        const response = CStoreResponse.fromRequest(request);
        response.setStatus(status);
        if (comment) response.setErrorComment(comment.slice(0, 64));
        callback(response);
      };
      const sop = request.getAffectedSopInstanceUid();
      const writer = writers.get(request);
      const fail = (status: number, reason: string): void => {
        writer?.discard();
        cfg.handler.instanceFailed(this.assocId!, { sopInstanceUID: sop, reason });
        respond(status, reason);
      };
      try {
        if (!writer) return fail(Status.ProcessingFailure, 'no data set was received');
        if (writer.tooLarge) return fail(Status.ResourceLimitation, `instance larger than the ${maxBytes} byte limit`);
        const out = fileReceived(writer.file, cfg.spoolDir, sop);
        if (!out.ok) return fail(out.code === 'unreadable' ? Status.ProcessingFailure : Status.InvalidAttributeValue, out.reason);
        cfg.handler.instance(this.assocId!, { ...out.instance, bytes: writer.bytes });
        respond(Status.Success);
      } catch (e) {
        fail(Status.ProcessingFailure, `could not store: ${(e as Error).message}`);
      }
    }
  };
}
