// One SCU association with dcmjs-dimse turned into a promise: resolves when the association is released, rejects
// with a message a user can act on (refused connection, rejected association and why, timeout, dropped link).
import tls from 'node:tls';
import { Client, PresentationContextResult, RejectReason, SopClass, type Association } from './dimse';

export interface DimsePeer {
  aet: string;
  host: string;
  port: number;
  tls?: boolean;
}

export interface AssociationOptions {
  callingAet: string;
  signal?: AbortSignal;
  /** Connect / association / PDU timeout. */
  timeoutMs?: number;
  /** For TLS peers: CA, client key and certificate. */
  tlsOptions?: tls.ConnectionOptions;
  /** SOP classes the peer must accept; if it refuses one, the association is aborted at once with a message
   * (a peer that accepts the association but not the service would otherwise leave the request unanswered). */
  requires?: string[];
}

const serviceNames: Record<string, string> = {
  [SopClass.Verification]: 'Verification (C-ECHO)',
  [SopClass.StudyRootQueryRetrieveInformationModelFind]: 'Study Root C-FIND',
  [SopClass.StudyRootQueryRetrieveInformationModelMove]: 'Study Root C-MOVE',
  [SopClass.StudyRootQueryRetrieveInformationModelGet]: 'Study Root C-GET',
};

const reasons: Record<number, string> = {
  [RejectReason.CallingAeNotRecognized]: 'calling AE title not recognized',
  [RejectReason.CalledAeNotRecognized]: 'called AE title not recognized',
  [RejectReason.ApplicationContextNotSupported]: 'application context not supported',
  [RejectReason.ProtocolVersionNotSupported]: 'protocol version not supported',
  [RejectReason.TemporaryCongestion]: 'temporary congestion',
  [RejectReason.LocalLimitExceeded]: 'local limit exceeded',
};

export function describePeer(p: DimsePeer): string {
  return `${p.aet}@${p.host}:${p.port}`;
}

/** Runs the client's queued requests on one association. `setup` adds requests and handlers before sending. */
export function runAssociation(peer: DimsePeer, opts: AssociationOptions, setup: (client: InstanceType<typeof Client>) => void): Promise<void> {
  const client = new Client();
  setup(client);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let accepted = false;
    const done = (err?: Error): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = (): void => {
      try {
        client.abort();
      } catch {
        /* not connected yet */
      }
      done(new Error(`cancelled; the association with ${describePeer(peer)} was aborted`));
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    client.on('associationAccepted', (a: Association) => {
      accepted = true;
      for (const sop of opts.requires ?? []) {
        const ok = a.getPresentationContexts().some(({ id }) => {
          const pc = a.getPresentationContext(id);
          return pc.getAbstractSyntaxUid() === sop && pc.getResult() === PresentationContextResult.Accept;
        });
        if (ok) continue;
        try {
          client.abort();
        } catch {
          /* already closing */
        }
        done(new Error(`${describePeer(peer)} accepted the association but refused ${serviceNames[sop] ?? sop} for calling AE ${opts.callingAet} (is this AE title allowed that service on the peer?)`));
        return;
      }
    });
    client.on('associationRejected', (r: { result: number; source: number; reason: number }) =>
      done(new Error(`${describePeer(peer)} rejected the association: ${reasons[r.reason] ?? `reason ${r.reason}`} (check the AE titles configured on both sides)`)),
    );
    client.on('networkError', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message)
          ? 'connection refused (nothing listens on that port)'
          : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || /ENOTFOUND|EAI_AGAIN/.test(e.message)
            ? 'host name not found'
            : /timeout/i.test(e.message)
              ? `no answer within ${(opts.timeoutMs ?? 30_000) / 1000} s (a PACS that does not know calling AE ${opts.callingAet} may ignore its requests: check that it is registered there)`
              : e.message;
      done(new Error(`${describePeer(peer)}: ${why}`));
    });
    client.on('associationReleased', () => done());
    client.on('closed', () => done(accepted ? undefined : new Error(`${describePeer(peer)} closed the connection before accepting the association`)));
    const t = opts.timeoutMs ?? 30_000;
    client.send(peer.host, peer.port, opts.callingAet, peer.aet, {
      connectTimeout: t,
      associationTimeout: t,
      pduTimeout: t,
      ...(peer.tls ? { securityOptions: { rejectUnauthorized: true, ...(opts.tlsOptions as object) } } : {}),
    });
  });
}
