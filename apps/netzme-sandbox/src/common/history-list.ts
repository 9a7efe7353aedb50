import { jakartaTimestamp } from '@app/snap';
import { dateField, PAGE_SIZE, pageNumberField } from './dates';
import { uuid } from './ids';
import type { WireBody } from './wire-body';

/** A history-list request (T6 transactions, T25 deposit): range, page and merchant. */
export interface HistoryQuery {
  pageNumber: number;
  partnerReferenceNo: string;
  fromMs: number;
  toMs: number;
  /** `additionalInfo.custIdMerchant`, or a top-level `custIdMerchant`. */
  merchantId: string;
}

export function readHistoryQuery(body: WireBody): HistoryQuery {
  return {
    pageNumber: pageNumberField(body),
    partnerReferenceNo: body.string('partnerReferenceNo'),
    fromMs: dateField(body, 'fromDateTime'),
    toMs: dateField(body, 'toDateTime'),
    merchantId: body.additionalInfo().optString('custIdMerchant') ?? body.string('custIdMerchant'),
  };
}

/** The answer: the requested page of `items` (already filtered and ordered) with Netzme's paging fields. */
export function historyAnswer<T>(query: HistoryQuery, type: string, items: T[], toItem: (item: T) => unknown): Record<string, unknown> {
  const { pageNumber } = query;
  return {
    responseCode: '2001200',
    responseMessage: 'Successful',
    partnerReferenceNo: query.partnerReferenceNo,
    referenceNo: uuid(),
    additionalInfo: { type, pageNumber: String(pageNumber), pageSize: String(PAGE_SIZE), totalData: String(items.length), ts: jakartaTimestamp() },
    detailData: items.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE).map(toItem),
  };
}
