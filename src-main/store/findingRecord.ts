// The stored form of a finding: data_json is parsed against an explicit schema and a version instead of being
// cast, so a corrupt row is an error naming the finding and a future shape change has somewhere to go.
import { z } from 'zod';
import type { Finding } from '../shared/types';

/** Version written with every new row (findings.schema_version). */
export const FINDING_SCHEMA_VERSION = 1;

const vec3 = z.tuple([z.number(), z.number(), z.number()]);
const nullableNumber = z.number().nullable();

// Core fields every consumer relies on are checked; fields added later by newer code are kept (loose object),
// so a row written by this version round-trips whole.
const findingV1 = z.looseObject({
  id: z.string().min(1),
  seriesInstanceUID: z.string().min(1),
  source: z.enum(['cad', 'reader', 'reference']),
  label: z.string(),
  centerLPS: vec3,
  boxLPS: z.object({ min: vec3, max: vec3 }),
  diameterMm: nullableNumber,
  longAxisMm: nullableNumber,
  shortAxisMm: nullableNumber,
  volumeMm3: nullableNumber,
  meanHU: nullableNumber,
  type: z.enum(['solid', 'part-solid', 'ground-glass']).nullable(),
  lungRads: z.string().nullable(),
  brock: nullableNumber,
  classProbs: z.object({ benign: z.number(), AC: z.number(), SCC: z.number() }).nullable(),
  score: nullableNumber,
  detectorFeatures: z.record(z.string(), z.number()).nullable().optional(),
  modelId: z.string().nullable(),
  modelVersion: z.string().nullable(),
  runId: z.string().nullable(),
  contours: z.array(z.object({ pointsLPS: z.array(vec3) })),
});

export class StoredFindingError extends Error {}

/** Reads one stored finding; throws StoredFindingError naming the row when it cannot be trusted. */
export function parseStoredFinding(id: string, version: number, dataJson: string): Finding {
  if (version > FINDING_SCHEMA_VERSION) {
    throw new StoredFindingError(`Finding ${id} was stored by a newer Pulmo (finding schema ${version}, this version reads up to ${FINDING_SCHEMA_VERSION})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(dataJson);
  } catch (err) {
    throw new StoredFindingError(`Finding ${id}: stored data is not JSON (${(err as Error).message})`);
  }
  const parsed = findingV1.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StoredFindingError(`Finding ${id}: stored data is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as unknown as Finding;
}
