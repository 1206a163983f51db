import type { HashId, MetricData } from './metricData';

/**
 * One person across systems and locations. At ingest a patient's key is its email hash, else
 * its phone hash; two records of the same person that share only one of the two (email and
 * phone in the EMR, phone alone at the POS) get different keys there. Here every patient
 * record is linked to each email and phone hash it carries, and each connected group takes
 * its smallest key, so the metrics count that person once.
 */
export function unifyPersons(data: MetricData): MetricData {
  const renamed = renamedPersons(data.patients);
  if (renamed.size === 0) return data;
  const canonical = (key: string) => renamed.get(key) ?? key;
  return {
    ...data,
    events: data.events.withPersonKeys(canonical),
    revenue: data.revenue.withPersonKeys(canonical),
    patients: data.patients.map((p) => withKey(p, 'person_key', canonical(p.person_key))),
    memberships: data.memberships.map((m) => withKey(m, 'person_key', canonical(m.person_key))),
  };
}

/**
 * Each patient person key whose group (the keys linked through a shared email or phone hash)
 * is named by another, smaller key → that key. Union-find over numbers: each distinct key gets a
 * node, and each hash the node after the keys' numbered by its own number (hashes are dense
 * numbers within a load, `hashIds`), so 900 k patients at 200 locations link with one map, of
 * their keys, and no text or map entry per hash.
 */
function renamedPersons(patients: MetricData['patients']): Map<string, string> {
  const keyIds = new Map<string, number>();
  let hashes = 0;
  for (const p of patients) {
    if (p.email_id !== null && p.email_id >= hashes) hashes = p.email_id + 1;
    if (p.phone_id !== null && p.phone_id >= hashes) hashes = p.phone_id + 1;
  }
  // At most one key per patient: key nodes are 0 … patients.length − 1, hash h is node patients.length + h.
  const firstHashNode = patients.length;
  const parent = new Int32Array(firstHashNode + hashes).map((_, i) => i);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    // Path compression keeps later look-ups flat.
    while (parent[x] !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  const link = (key: number, hash: HashId | null): void => {
    if (hash === null) return;
    const a = find(key);
    const b = find(firstHashNode + hash);
    if (a !== b) parent[b] = a;
  };
  let linked = false;
  for (const p of patients) {
    let key = keyIds.get(p.person_key);
    if (key === undefined) {
      key = keyIds.size;
      keyIds.set(p.person_key, key);
    }
    link(key, p.email_id);
    link(key, p.phone_id);
    linked ||= p.email_id !== null || p.phone_id !== null;
  }
  const renamed = new Map<string, string>();
  if (!linked) return renamed;
  // A group is named by its smallest patient person key, never by a bare hash, whatever the order.
  const nameOf = new Map<number, string>();
  for (const [key, id] of keyIds) {
    const root = find(id);
    const current = nameOf.get(root);
    if (current === undefined || key < current) nameOf.set(root, key);
  }
  for (const [key, id] of keyIds) {
    const name = nameOf.get(find(id))!;
    if (name !== key) renamed.set(key, name);
  }
  return renamed;
}

/** The row itself when its key is already `key`, else a copy with it. */
function withKey<T, K extends keyof T>(row: T, field: K, key: T[K]): T {
  return row[field] === key ? row : { ...row, [field]: key };
}
