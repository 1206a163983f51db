import type { MetricData } from './metricData';

/**
 * One person across systems and locations. At ingest a patient's key is its email hash, else
 * its phone hash; two records of the same person that share only one of the two (email and
 * phone in the EMR, phone alone at the POS) get different keys there. Here every patient
 * record is linked to each email and phone hash it carries, and each connected group takes
 * its smallest key, so the metrics count that person once.
 */
export function unifyPersons(data: MetricData): MetricData {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) ?? root;
    // Path compression keeps later look-ups flat.
    let node = x;
    while (node !== root) {
      const next = parent.get(node) ?? root;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // The smaller key becomes the root, so the result does not depend on input order.
    if (ra < rb) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  let linked = false;
  for (const p of data.patients) {
    parent.set(p.person_key, parent.get(p.person_key) ?? p.person_key);
    for (const hash of [p.email_hash, p.phone_hash]) {
      if (hash === null) continue;
      const node = `hash:${hash}`;
      if (!parent.has(node)) parent.set(node, node);
      union(p.person_key, node);
      linked = true;
    }
  }
  if (!linked) return data;
  // A group is named by its smallest patient person key, never by a bare hash node.
  const nameOf = new Map<string, string>();
  for (const p of data.patients) {
    const root = find(p.person_key);
    const current = nameOf.get(root);
    if (current === undefined || p.person_key < current) nameOf.set(root, p.person_key);
  }
  const canonical = (key: string) => (parent.has(key) ? (nameOf.get(find(key)) ?? key) : key);
  // Only the rows whose key changes are copied: at 50 locations, copying all 2.6 M events and
  // revenue rows held two of each in memory for a moment, the query process's peak.
  let moved = false;
  const events = data.events.map((e) => {
    const personKey = canonical(e.personKey);
    if (personKey === e.personKey) return e;
    moved = true;
    return { ...e, personKey };
  });
  if (moved) {
    events.sort((a, b) =>
      a.personKey < b.personKey
        ? -1
        : a.personKey > b.personKey
          ? 1
          : a.startAt < b.startAt
            ? -1
            : a.startAt > b.startAt
              ? 1
              : 0,
    );
  }
  return {
    ...data,
    events,
    revenue: data.revenue.map((r) => withKey(r, 'personKey', canonical(r.personKey))),
    patients: data.patients.map((p) => withKey(p, 'person_key', canonical(p.person_key))),
    memberships: data.memberships.map((m) => withKey(m, 'person_key', canonical(m.person_key))),
  };
}

/** The row itself when its key is already `key`, else a copy with it. */
function withKey<T, K extends keyof T>(row: T, field: K, key: T[K]): T {
  return row[field] === key ? row : { ...row, [field]: key };
}
