import { Errors } from './netzme-error';
import { goFieldName, type WireBody } from './wire-body';

/** A mandatory ISO-8601 date-time field (history ranges); unparsable -> `400xx01 Invalid Field Format`. */
export function dateField(body: WireBody, name: string): number {
  const text = body.string(name);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw Errors.fieldFormat(goFieldName(name));
  }
  return ms;
}

/** A mandatory positive page number sent as a string ("1"). */
export function pageNumberField(body: WireBody, name = 'pageNumber'): number {
  const page = body.optIntegerish(name);
  if (page === undefined) {
    throw Errors.mandatoryField(goFieldName(name));
  }
  if (page < 1) {
    throw Errors.fieldFormat(goFieldName(name));
  }
  return page;
}

export const PAGE_SIZE = 20;
