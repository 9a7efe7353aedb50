import { jakartaTimestamp } from '@app/snap';
import { dateField, PAGE_SIZE, pageNumberField } from '../common/dates';
import { uuid } from '../common/ids';
import type { WireBody } from '../common/wire-body';
import type { MerchantsService } from '../merchants/merchants.service';
import { historyItem } from './invoice.views';
import type { InvoicesService } from './invoices.service';

/** T6 Get Transaction List: the merchant's payments in [fromDateTime, toDateTime], newest first. */
export function merchantTransactionList(invoices: InvoicesService, merchants: MerchantsService, body: WireBody): Record<string, unknown> {
  const pageNumber = pageNumberField(body);
  const partnerReferenceNo = body.string('partnerReferenceNo');
  const from = dateField(body, 'fromDateTime');
  const to = dateField(body, 'toDateTime');
  const merchantId = body.additionalInfo().optString('custIdMerchant') ?? body.string('custIdMerchant');
  merchants.require(merchantId);
  const items = invoices.merchantHistory(merchantId).filter((i) => i.atMs >= from && i.atMs <= to);
  return {
    responseCode: '2001200',
    responseMessage: 'Successful',
    partnerReferenceNo,
    referenceNo: uuid(),
    additionalInfo: { type: 'transaction_history_list', pageNumber: String(pageNumber), pageSize: String(PAGE_SIZE), totalData: String(items.length), ts: jakartaTimestamp() },
    detailData: items.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE).map(historyItem),
  };
}
