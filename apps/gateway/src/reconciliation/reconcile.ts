/**
 * The comparison at the heart of reconciliation, as pure functions: our records and Netzme's for a
 * window around one Jakarta day in, report items out. No I/O, so every rule below is unit-tested.
 */

/** What kind of money movement an entry is. Both sides are matched only within the same source. */
export const RECON_SOURCES = ['ORDER', 'QRIS_PAYMENT', 'WITHDRAWAL', 'DEPOSIT_WITHDRAWAL'] as const;
export type ReconSource = (typeof RECON_SOURCES)[number];

/** Either side's status, reduced to what can be compared. */
export type Settlement = 'SETTLED' | 'OPEN' | 'FAILED';

export interface LedgerEntry {
  source: ReconSource;
  /** Our id (order, withdrawal) or Netzme's id of the transaction. */
  id: string;
  /** Every reference that may identify it on the other side (trxId, invoice id, partnerReferenceNo, referenceNo). */
  keys: string[];
  amountMinor: bigint;
  state: Settlement;
  /** The status as its side spells it (PAID, PROCESSING, SUCCESS, 00, ...). */
  status: string;
  /** When it settled (paid, booked); when it was created if it has not. */
  at: Date | null;
}

export const ITEM_KINDS = ['MATCHED', 'ONLY_OURS', 'ONLY_NETZME', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export interface ReconItem {
  source: ReconSource;
  kind: ItemKind;
  /**
   * The difference is expected to resolve by itself (a callback or poll still to come, a payout
   * still processing, a payment too recent for Netzme's list): not a real mismatch yet.
   */
  inFlight: boolean;
  /** The reference people search by (Netzme's transaction id when known). */
  reference: string;
  ours: LedgerEntry | null;
  netzme: LedgerEntry | null;
  note: string | null;
}

export interface ReconWindow {
  /** The Jakarta day: [dayStart, dayEnd). */
  dayStart: Date;
  dayEnd: Date;
  /**
   * Slack around the day: both sides are read for [dayStart - margin, dayEnd + margin], so an item
   * booked a few minutes apart on the two sides of midnight still pairs up; and an unmatched
   * settled item younger than the margin is in flight (Netzme's list may not show it yet).
   */
  marginMs: number;
  /** When the comparison runs. */
  now: Date;
}

const inDay = (entry: LedgerEntry, w: ReconWindow) => entry.at !== null && entry.at >= w.dayStart && entry.at < w.dayEnd;
const money = (minor: bigint) => {
  const abs = minor < 0n ? -minor : minor;
  return `${minor < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

/** Sources whose Netzme side is a list of completed movements (absent = "Netzme has nothing settled"). */
const LISTED_SOURCES: readonly ReconSource[] = ['ORDER', 'QRIS_PAYMENT'];

/**
 * Pair our entries with Netzme's by any shared reference (same source only), then classify each
 * pair and each leftover. Items touching neither side of the day are left to the neighbouring
 * days' reports. Output order: ours in input order (with their pairs), then Netzme-only items.
 */
export function reconcile(ours: LedgerEntry[], netzme: LedgerEntry[], window: ReconWindow): ReconItem[] {
  const byKey = new Map<string, LedgerEntry[]>();
  for (const entry of netzme) {
    for (const key of new Set(entry.keys.filter(Boolean))) {
      const list = byKey.get(`${entry.source}\u0000${key}`) ?? [];
      list.push(entry);
      byKey.set(`${entry.source}\u0000${key}`, list);
    }
  }
  const taken = new Set<LedgerEntry>();
  const items: ReconItem[] = [];

  for (const our of ours) {
    let their: LedgerEntry | undefined;
    for (const key of our.keys.filter(Boolean)) {
      their = byKey.get(`${our.source}\u0000${key}`)?.find((candidate) => !taken.has(candidate));
      if (their) break;
    }
    if (their) {
      taken.add(their);
      if (inDay(our, window) || inDay(their, window)) {
        items.push(comparePair(our, their, window));
      }
    } else if (inDay(our, window)) {
      const item = onlyOurs(our, window);
      if (item) items.push(item);
    }
  }

  for (const their of netzme) {
    if (!taken.has(their) && inDay(their, window) && their.state === 'SETTLED') {
      items.push({
        source: their.source,
        kind: 'ONLY_NETZME',
        inFlight: false,
        reference: reference(null, their),
        ours: null,
        netzme: their,
        note:
          their.source === 'QRIS_PAYMENT'
            ? 'QRIS payment without an invoice (e.g. the static QR): not created through this gateway'
            : 'Netzme settled it, but no record in the gateway carries any of its references',
      });
    }
  }
  return items;
}

function reference(our: LedgerEntry | null, their: LedgerEntry | null): string {
  return their?.keys.find(Boolean) ?? our?.keys.find(Boolean) ?? our?.id ?? their?.id ?? '';
}

function comparePair(our: LedgerEntry, their: LedgerEntry, w: ReconWindow): ReconItem {
  const base = { source: our.source, reference: reference(our, their), ours: our, netzme: their };
  const amountsDiffer = our.amountMinor !== their.amountMinor;
  const amountNote = amountsDiffer ? `amounts differ: ours ${money(our.amountMinor)}, Netzme ${money(their.amountMinor)}` : null;
  const dayNote = inDay(our, w) !== inDay(their, w) ? 'booked on different days by the two sides (around midnight)' : null;
  const notes = (...parts: Array<string | null>) => parts.filter(Boolean).join('; ') || null;

  if (our.state === their.state) {
    if (amountsDiffer) {
      return { ...base, kind: 'AMOUNT_MISMATCH', inFlight: false, note: notes(amountNote, dayNote) };
    }
    return { ...base, kind: 'MATCHED', inFlight: our.state === 'OPEN', note: notes(our.state === 'OPEN' ? 'still in progress on both sides' : null, dayNote) };
  }
  // Statuses differ. Ours still open: our state machine will catch up (callback, poll) by itself.
  if (our.state === 'OPEN') {
    const why =
      their.state === 'SETTLED'
        ? 'Netzme settled it; ours is still open (callback or status poll not yet applied)'
        : 'Netzme failed it; ours is still open (not yet resolved)';
    return { ...base, kind: 'STATUS_MISMATCH', inFlight: true, note: notes(why, amountNote, dayNote) };
  }
  const why =
    our.state === 'SETTLED' && their.state === 'OPEN'
      ? 'ours is final but Netzme still shows it in progress'
      : our.state === 'SETTLED'
        ? 'ours settled but Netzme failed it'
        : their.state === 'SETTLED'
          ? 'ours failed or expired but Netzme settled it: money moved'
          : 'ours failed but Netzme still shows it in progress';
  return { ...base, kind: 'STATUS_MISMATCH', inFlight: false, note: notes(why, amountNote, dayNote) };
}

function onlyOurs(our: LedgerEntry, w: ReconWindow): ReconItem | null {
  const base = { source: our.source, kind: 'ONLY_OURS' as const, reference: reference(our, null), ours: our, netzme: null };
  if (our.state === 'FAILED') {
    return null; // nothing moved on either side
  }
  if (our.state === 'OPEN') {
    // An unpaid order is absent from Netzme's list of payments by design; a payout Netzme does not know yet is in flight.
    return LISTED_SOURCES.includes(our.source) ? null : { ...base, inFlight: true, note: 'still in progress; Netzme does not report it yet' };
  }
  const recent = our.at !== null && w.now.getTime() - our.at.getTime() < w.marginMs;
  return {
    ...base,
    inFlight: recent,
    note: recent ? 'settled moments ago: Netzme may not list it yet' : 'settled in the gateway, but Netzme does not report it',
  };
}

export interface ReconSummary {
  total: number;
  matched: number;
  inFlight: number;
  mismatches: number;
  byKind: Record<ItemKind, number>;
  bySource: Partial<Record<ReconSource, { matched: number; inFlight: number; mismatches: number }>>;
  /** Sums of matched settled amounts per source, decimal strings. */
  matchedAmount: Partial<Record<ReconSource, string>>;
}

/** Counts for the report header. A mismatch is any item that is neither matched nor in flight. */
export function summarize(items: ReconItem[]): ReconSummary {
  const byKind = Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as Record<ItemKind, number>;
  const bySource: ReconSummary['bySource'] = {};
  const matchedMinor = new Map<ReconSource, bigint>();
  let matched = 0;
  let inFlight = 0;
  let mismatches = 0;
  for (const item of items) {
    byKind[item.kind]++;
    const source = (bySource[item.source] ??= { matched: 0, inFlight: 0, mismatches: 0 });
    if (item.inFlight) {
      inFlight++;
      source.inFlight++;
    } else if (item.kind === 'MATCHED') {
      matched++;
      source.matched++;
      if (item.ours?.state === 'SETTLED') {
        matchedMinor.set(item.source, (matchedMinor.get(item.source) ?? 0n) + item.ours.amountMinor);
      }
    } else {
      mismatches++;
      source.mismatches++;
    }
  }
  const matchedAmount = Object.fromEntries([...matchedMinor].map(([source, minor]) => [source, money(minor)]));
  return { total: items.length, matched, inFlight, mismatches, byKind, bySource, matchedAmount };
}
