import { locationsFile } from '../model/canonicalBundle';
import { slug } from './vendorValues';

/*
 * Vendor exports name a location their own way: Zenoti by its center name ("Contour Clinic –
 * Charleston") or center code, Mindbody, Square and Boulevard by their own location ids. Each
 * mention is resolved to one canonical location of the tenant — by id, by a saved alias, by its
 * normalized name, or by the city part of a "Brand – City" name — and a location no one has
 * described yet is created from the export, so no row is ever rejected for naming a location
 * Caliper did not know. Pure: the known locations come from the store and the bundle.
 */

export interface KnownLocationIdentity {
  location_id: string;
  name: string;
  /** Other names and vendor ids this location goes by (saved with `caliper locations alias`). */
  aliases?: readonly string[];
  timezone?: string | null;
}

/** How an export names a location. */
export interface LocationMention {
  /** The cell or JSON value as exported, e.g. `Contour Clinic – Charleston` or `1`. */
  text: string;
  /** `name`: a display name; `id`: the vendor's own location id or code (namespaced by `prefix`). */
  kind: 'name' | 'id';
  /** The vendor as users know it, e.g. `Zenoti`. */
  vendor: string;
  /** The id namespace of the export (`mindbody`, or the user's `--id-prefix`). */
  prefix: string;
  /** The vendor is the location's EMR (its name goes to `emr_system` of a created location). */
  emr: boolean;
  /**
   * The one location the export's folder describes (its locations.csv, or an ancestor's), if
   * any: the location of a vendor id no one knows yet (Mindbody's `LocationId: 1`).
   */
  folderLocation?: string;
}

/** A vendor location id read as the location of the folder its export sat in. */
export interface AssumedLocation {
  locationId: string;
  /** The vendor's id, namespaced: `mindbody:1`. */
  vendorKey: string;
  vendor: string;
}

export interface CreatedLocation {
  location_id: string;
  name: string;
  emr_system: string | null;
  /** What the exports called it, so the user can tell where it came from. */
  mentions: string[];
  vendor: string;
}

export type LocationResolution =
  | { kind: 'known'; locationId: string }
  | { kind: 'created'; locationId: string }
  | { kind: 'ambiguous'; candidates: string[] };

/** `Contour Clinic – Charleston` → `contour clinic charleston`: case, accents, dashes and punctuation do not matter. */
export function normalizeLocationName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The part after the last dash or colon of a "Brand – City" name, normalized; null when there is none. */
function cityPart(name: string): string | null {
  const parts = name.split(/\s[-–—:|]\s|\s*[–—]\s*|:\s/);
  if (parts.length < 2) return null;
  const last = normalizeLocationName(parts[parts.length - 1] ?? '');
  return last === '' ? null : last;
}

/** The alias key of a vendor id: `mindbody:1`, the id the location had before aliases existed. */
export function vendorLocationKey(mention: Pick<LocationMention, 'prefix' | 'text'>): string {
  return `${mention.prefix}:${mention.text.trim()}`;
}

export class LocationDirectory {
  private readonly byId = new Map<string, KnownLocationIdentity>();
  /** normalized name or alias → location ids carrying it. */
  private readonly byName = new Map<string, Set<string>>();
  /** normalized city part → location ids. */
  private readonly byCity = new Map<string, Set<string>>();
  private readonly createdById = new Map<string, CreatedLocation>();
  private readonly resolved = new Map<string, LocationResolution>();
  /** `vendor key \0 folder location` → the assumption, once per folder location. */
  private readonly assumedByKey = new Map<string, AssumedLocation>();

  constructor(known: readonly KnownLocationIdentity[]) {
    for (const location of known) this.add(location);
  }

  /** Locations this directory created, in the order they were first mentioned. */
  get created(): CreatedLocation[] {
    return [...this.createdById.values()];
  }

  /** Vendor ids this directory read as their folder's location, in the order first met. */
  get assumed(): AssumedLocation[] {
    return [...this.assumedByKey.values()];
  }

  resolve(mention: LocationMention): LocationResolution {
    // An export names the same few locations on every row: each mention is resolved once.
    const key = `${mention.kind}\u0000${mention.prefix}\u0000${mention.text}\u0000${mention.folderLocation ?? ''}`;
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const resolution = this.resolveMention(mention);
    this.resolved.set(key, resolution);
    return resolution;
  }

  private resolveMention(mention: LocationMention): LocationResolution {
    const text = mention.text.trim();
    if (mention.kind === 'id') {
      const key = vendorLocationKey(mention);
      const match = this.byId.has(key) ? [key] : this.named(normalizeLocationName(key));
      if (match.length === 1) return this.known(match[0]!, text);
      if (match.length > 1) return { kind: 'ambiguous', candidates: match };
      const assumed = this.assumeFolderLocation(key, mention);
      if (assumed !== null) return assumed;
      const vendor = mention.vendor.charAt(0).toUpperCase() + mention.vendor.slice(1);
      return this.create(key, `${vendor} location ${text}`, mention);
    }
    const match = this.matchName(text);
    if (match.length === 1) return this.known(match[0]!, text);
    if (match.length > 1) return { kind: 'ambiguous', candidates: match };
    return this.create(this.freeId(slug(text) || 'location'), text, mention);
  }

  /** The location ids a name (or id) could mean. */
  private matchName(text: string): string[] {
    if (this.byId.has(text)) return [text];
    const normalized = normalizeLocationName(text);
    const match = this.named(normalized);
    if (match.length > 0) return match;
    // "Contour Clinic – Charleston" and "Charleston" are one location, either way round, as
    // long as only one location fits.
    const city = cityPart(text);
    return [
      ...new Set([
        ...(this.byCity.get(normalized) ?? []),
        ...(city === null ? [] : (this.byName.get(city) ?? [])),
      ]),
    ].sort();
  }

  /** The one known location a name (a folder's, say) means, without creating one; null when none or several fit. */
  find(text: string): string | null {
    const match = this.matchName(text.trim());
    return match.length === 1 ? match[0]! : null;
  }

  /**
   * `--location`: the user's own id for a file's location. A known id or name is that location;
   * anything else becomes a new location with exactly that id.
   */
  resolveGiven(text: string, mention: Omit<LocationMention, 'text' | 'kind'>): LocationResolution {
    const id = text.trim();
    if (this.byId.has(id)) return this.known(id, id);
    const match = this.named(normalizeLocationName(id));
    if (match.length === 1) return this.known(match[0]!, id);
    if (match.length > 1) return { kind: 'ambiguous', candidates: match };
    return this.create(id, id, { ...mention, text: id, kind: 'name' });
  }

  /**
   * A vendor id no one knows, in an export whose folder describes one location, is that
   * location — unless the same vendor already named another unknown id there (a multi-site
   * export), which is a location of its own.
   */
  private assumeFolderLocation(vendorKey: string, mention: LocationMention): LocationResolution | null {
    const folder = mention.folderLocation;
    if (folder === undefined || !this.byId.has(folder)) return null;
    const taken = [...this.assumedByKey.values()].some(
      (a) => a.locationId === folder && a.vendor === mention.vendor && a.vendorKey !== vendorKey,
    );
    if (taken) return null;
    this.assumedByKey.set(`${vendorKey}\u0000${folder}`, {
      locationId: folder,
      vendorKey,
      vendor: mention.vendor,
    });
    return this.known(folder, mention.text.trim());
  }

  private named(normalized: string): string[] {
    return [...(this.byName.get(normalized) ?? [])].sort();
  }

  private known(locationId: string, text: string): LocationResolution {
    const created = this.createdById.get(locationId);
    if (created) {
      if (!created.mentions.includes(text)) created.mentions.push(text);
      return { kind: 'created', locationId };
    }
    return { kind: 'known', locationId };
  }

  private create(locationId: string, name: string, mention: LocationMention): LocationResolution {
    const location: CreatedLocation = {
      location_id: locationId,
      name,
      emr_system: mention.emr ? mention.vendor : null,
      mentions: [mention.text.trim()],
      vendor: mention.vendor,
    };
    this.createdById.set(locationId, location);
    this.add({ location_id: locationId, name, aliases: mention.kind === 'id' ? [locationId] : [] });
    return { kind: 'created', locationId };
  }

  /** `evolve-austin`, or `evolve-austin-2` when a different location already has that id. */
  private freeId(base: string): string {
    let id = base;
    for (let n = 2; this.byId.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  private add(location: KnownLocationIdentity): void {
    this.byId.set(location.location_id, location);
    const index = (map: Map<string, Set<string>>, key: string | null) => {
      if (key === null || key === '') return;
      const ids = map.get(key) ?? new Set<string>();
      ids.add(location.location_id);
      map.set(key, ids);
    };
    index(this.byName, normalizeLocationName(location.name));
    index(this.byCity, cityPart(location.name));
    for (const alias of location.aliases ?? []) index(this.byName, normalizeLocationName(alias));
  }
}

/** Practice-management systems: a location first seen in their exports runs them as its EMR. */
const EMR_VENDOR =
  /zenoti|mindbody|boulevard|mangomint|vagaro|patientnow|nextech|aesthetic ?record|jane|fresha|symplast|aestheticspro/i;

export type LocationLookup = { ok: true; locationId: string } | { ok: false; message: string };

/**
 * The canonical location id of one mention in an export, by `--location` when the user gave
 * one, else by the export's own value. Without a directory (a converter run on its own) the
 * export's value is the id, as before locations were resolved.
 */
export function lookUpLocation(
  directory: LocationDirectory | undefined,
  givenId: string | undefined,
  mention: Omit<LocationMention, 'emr'>,
): LocationLookup {
  const full: LocationMention = { ...mention, emr: EMR_VENDOR.test(mention.vendor) };
  if (directory === undefined) {
    const id = givenId ?? (mention.kind === 'id' ? vendorLocationKey(mention) : mention.text.trim());
    return { ok: true, locationId: id };
  }
  const resolution = givenId !== undefined ? directory.resolveGiven(givenId, full) : directory.resolve(full);
  if (resolution.kind !== 'ambiguous') return { ok: true, locationId: resolution.locationId };
  return {
    ok: false,
    message: `location ${JSON.stringify(mention.text.trim())} could be any of ${resolution.candidates.join(', ')}: save an alias with \`caliper locations alias <id> "${mention.text.trim()}"\` or pass --location`,
  };
}

/** A location as the store keeps it: its canonical columns and the aliases saved for it. */
export interface LocationRecord extends KnownLocationIdentity {
  timezone: string | null;
  aliases: readonly string[];
  region: string | null;
  opened_on: string | null;
  closed_on: string | null;
  acquired_on: string | null;
  emr_system: string | null;
  rooms: number | null;
}

export type LocationRow = Omit<LocationRecord, 'aliases'>;

/** The store's columns of a location, in locations.csv order: the canonical spec's, none restated. */
export const LOCATION_COLUMNS = Object.keys(locationsFile.columns) as (keyof typeof locationsFile.columns)[];

/** Location rows and alias rows of a store → location records (aliases grouped by location). */
export function identitiesOf(
  locations: readonly LocationRow[],
  aliases: readonly { location_id: string; alias: string }[],
): LocationRecord[] {
  const byLocation = new Map<string, string[]>();
  for (const a of aliases) byLocation.set(a.location_id, [...(byLocation.get(a.location_id) ?? []), a.alias]);
  return locations.map((l) => ({ ...l, aliases: byLocation.get(l.location_id) ?? [] }));
}
