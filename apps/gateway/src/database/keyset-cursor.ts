/**
 * The keyset cursor of every list ordered by (created_at, id) DESC: the last row's id, base64url
 * encoded so that a client treats it as opaque. The list reads that row's (created_at, id) itself,
 * so no timestamp precision is lost in the cursor.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `nextCursor` for a page ending with the row `id`. */
export function idCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

/** The row id a cursor stands for, or null when it is not one of ours (the caller answers 400). */
export function idOfCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return UUID.test(id) ? id : null;
}
