import { DenseIds } from '../engine/denseIds';
import { type LocalDate, toDayNumber } from '../model/localDate';
import type { HashId, LeadInfo } from './metricData';

/** The texts a lead's numbers point into, in the order first seen. */
interface LeadTables {
  locationIds: readonly string[];
  channels: readonly string[];
  days: readonly LocalDate[];
}

/** One number per lead and field. */
interface LeadColumns {
  location: Int32Array;
  channel: Int32Array;
  /** Into `days`. */
  createdOn: Int32Array;
  /** Of two leads, the higher `touch` is the later touch (`lastTouchRanks`). */
  touch: Int32Array;
  /** -1: none. */
  emailId: Int32Array;
  phoneId: Int32Array;
}

/**
 * The leads as the metrics read them: a lead is a row index, its fields numbers — its location,
 * channel and creation day into small tables of their texts, its hashes as `HashId`s (-1: none).
 * 1 M leads at 200 locations were 73 MB as an object each (`LeadInfo`); as columns ≈ 24 bytes a
 * lead. Rows keep the order they were added in (the load's: by lead id).
 */
export class LeadRows {
  constructor(
    private readonly tables: LeadTables,
    private readonly columns: LeadColumns,
  ) {
    const { location, channel, createdOn, touch, emailId, phoneId } = columns;
    const n = location.length;
    if ([channel, createdOn, touch, emailId, phoneId].some((column) => column.length !== n))
      throw new RangeError('leads: columns of different lengths');
  }

  /** Leads one at a time (a load's rows as it reads them); `build` gives their ranks at the end. */
  static builder(): LeadRowsBuilder {
    return new LeadRowsBuilder();
  }

  /** The leads of `infos`, in their order (tests build leads as objects). */
  static from(infos: readonly LeadInfo[]): LeadRows {
    const builder = LeadRows.builder();
    for (const lead of infos)
      builder.add(lead.location_id, lead.channel, lead.created_on, lead.email_id, lead.phone_id);
    return builder.build(Int32Array.from(infos, (lead) => lead.touch));
  }

  get length(): number {
    return this.columns.location.length;
  }

  locationIdOf(row: number): string {
    return this.tables.locationIds[this.columns.location[row]!]!;
  }

  channelOf(row: number): string {
    return this.tables.channels[this.columns.channel[row]!]!;
  }

  /** The local date the lead was created (`created_at`'s day). */
  createdOnOf(row: number): LocalDate {
    return this.tables.days[this.columns.createdOn[row]!]!;
  }

  touchOf(row: number): number {
    return this.columns.touch[row]!;
  }

  emailIdOf(row: number): HashId | null {
    const id = this.columns.emailId[row]!;
    return id < 0 ? null : id;
  }

  phoneIdOf(row: number): HashId | null {
    const id = this.columns.phoneId[row]!;
    return id < 0 ? null : id;
  }

  /** The creation day's number (`toDayNumber`) of every lead, in row order. */
  createdDayNumbers(): Int32Array {
    const dayNumbers = Int32Array.from(this.tables.days, toDayNumber);
    return Int32Array.from(this.columns.createdOn, (day) => dayNumbers[day]!);
  }
}

/** Grows the columns of `LeadRows` a lead at a time, doubling their capacity as needed. */
export class LeadRowsBuilder {
  private readonly locationIds = new DenseIds<string>();
  private readonly channels = new DenseIds<string>();
  private readonly days = new DenseIds<LocalDate>();
  private columns = {
    location: new Int32Array(1024),
    channel: new Int32Array(1024),
    createdOn: new Int32Array(1024),
    emailId: new Int32Array(1024),
    phoneId: new Int32Array(1024),
  };
  private count = 0;

  add(
    locationId: string,
    channel: string,
    createdOn: LocalDate,
    emailId: HashId | null,
    phoneId: HashId | null,
  ): void {
    let c = this.columns;
    if (this.count === c.location.length) {
      const grown = (column: Int32Array) => {
        const bigger = new Int32Array(column.length * 2);
        bigger.set(column);
        return bigger;
      };
      c = this.columns = {
        location: grown(c.location),
        channel: grown(c.channel),
        createdOn: grown(c.createdOn),
        emailId: grown(c.emailId),
        phoneId: grown(c.phoneId),
      };
    }
    const row = this.count++;
    c.location[row] = this.locationIds.of(locationId);
    c.channel[row] = this.channels.of(channel);
    c.createdOn[row] = this.days.of(createdOn);
    c.emailId[row] = emailId ?? -1;
    c.phoneId[row] = phoneId ?? -1;
  }

  /** The leads added, with each one's last-touch rank (`touches[i]` for the i-th added). */
  build(touches: Int32Array): LeadRows {
    if (touches.length !== this.count)
      throw new RangeError(`leads: ${touches.length} last-touch ranks for ${this.count} leads`);
    const c = this.columns;
    const n = this.count;
    return new LeadRows(
      { locationIds: this.locationIds.values(), channels: this.channels.values(), days: this.days.values() },
      {
        location: c.location.slice(0, n),
        channel: c.channel.slice(0, n),
        createdOn: c.createdOn.slice(0, n),
        touch: touches,
        emailId: c.emailId.slice(0, n),
        phoneId: c.phoneId.slice(0, n),
      },
    );
  }
}
