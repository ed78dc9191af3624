// `<node>` in the CLI and the API: a configured node's name, or an ad-hoc DIMSE peer written AET@host:port.
import { ApiError } from '../../shared/errors';
import { dimseNodeSchema, type DicomNode, type DimseNode, type DicomOp } from '../../shared/netTypes';
import { getNode } from '../../store/netNodes';
import type { Db } from '../../store/db';

export function parsePeerSpec(spec: string): DimseNode | null {
  const m = /^([^@]{1,16})@(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(spec);
  if (!m) return null;
  const parsed = dimseNodeSchema.safeParse({ name: 'adhoc', kind: 'dimse', aet: m[1], host: m[2].replace(/^\[|\]$/g, ''), port: Number(m[3]) });
  return parsed.success ? { ...parsed.data, name: spec } : null;
}

export function resolveNode(db: Db, ref: string, op?: DicomOp): DicomNode {
  const node = getNode(db, ref) ?? parsePeerSpec(ref);
  if (!node) throw new ApiError('not_found', `No DICOM node "${ref}": give a configured node's name or AET@host:port`);
  if (op && node.kind === 'dimse' && !node.ops.includes(op)) throw new ApiError('validation', `Node "${node.name}" is not allowed to ${op} (its allowed operations: ${node.ops.join(', ')})`);
  return node;
}
