// The one place that loads dcmjs-dimse (MIT, PantelisGeorgiadis/dcmjs-dimse): the DIMSE library behind Pulmo's
// SCU and SCP. Chosen because it is maintained (releases through 2026), pure JavaScript (nothing to compile for
// Electron), and implements C-ECHO/FIND/STORE/MOVE/GET as both SCU and SCP, with TLS. Its logging is silenced
// here: Pulmo reports what matters through its own messages.
import * as dimse from 'dcmjs-dimse';

dimse.log.setLevel('silent');

export { dimse };
export const { Client, Scp, Dataset } = dimse;
export const { CEchoRequest, CFindRequest, CMoveRequest, CGetRequest, CStoreRequest } = dimse.requests;
export const { CEchoResponse, CStoreResponse } = dimse.responses;
export const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason, SopClass, StorageClass, TransferSyntax } = dimse.constants;
export type Association = InstanceType<typeof dimse.association.Association>;
export type PresentationContext = InstanceType<typeof dimse.association.PresentationContext>;
export type DimseCStoreRequest = InstanceType<typeof dimse.requests.CStoreRequest>;
