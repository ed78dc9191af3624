// Configured DICOM peers (DIMSE and DICOMweb) and the listener's settings. Rows are re-validated on the way out:
// a row edited by hand into something invalid is reported, never used.
import type { Db } from './db';
import { defaultListenerSettings, listenerSettingsSchema, nodeSchema, type DicomNode, type ListenerSettings } from '../shared/netTypes';

export function listNodes(db: Db): DicomNode[] {
  const rows = db.prepare('SELECT name, config_json FROM net_nodes ORDER BY name').all() as { name: string; config_json: string }[];
  return rows.map((r) => {
    const parsed = nodeSchema.safeParse(JSON.parse(r.config_json));
    if (!parsed.success) throw new Error(`DICOM node "${r.name}" in the database is invalid: ${parsed.error.issues[0].message}`);
    return parsed.data;
  });
}

export function getNode(db: Db, name: string): DicomNode | undefined {
  return listNodes(db).find((n) => n.name === name);
}

export function saveNode(db: Db, node: DicomNode, now = new Date().toISOString()): void {
  db.prepare(
    `INSERT INTO net_nodes (name, kind, config_json, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, config_json = excluded.config_json, updated_at = excluded.updated_at`,
  ).run(node.name, node.kind, JSON.stringify(node), now);
}

export function deleteNode(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM net_nodes WHERE name = ?').run(name).changes > 0;
}

export function getListenerSettings(db: Db): ListenerSettings {
  const row = db.prepare("SELECT value_json FROM net_settings WHERE key = 'listener'").get() as { value_json: string } | undefined;
  if (!row) return { ...defaultListenerSettings };
  const parsed = listenerSettingsSchema.safeParse({ ...defaultListenerSettings, ...JSON.parse(row.value_json) });
  return parsed.success ? parsed.data : { ...defaultListenerSettings };
}

export function saveListenerSettings(db: Db, s: ListenerSettings): void {
  db.prepare(`INSERT INTO net_settings (key, value_json) VALUES ('listener', ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json`).run(
    JSON.stringify(s),
  );
}
