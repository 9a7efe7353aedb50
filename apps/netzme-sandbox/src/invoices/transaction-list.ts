import { historyAnswer, readHistoryQuery } from '../common/history-list';
import type { WireBody } from '../common/wire-body';
import type { MerchantsService } from '../merchants/merchants.service';
import { historyItem } from './invoice.views';
import type { InvoicesService } from './invoices.service';

/** T6 Get Transaction List: the merchant's payments in [fromDateTime, toDateTime], newest first. */
export function merchantTransactionList(invoices: InvoicesService, merchants: MerchantsService, body: WireBody): Record<string, unknown> {
  const query = readHistoryQuery(body);
  merchants.require(query.merchantId);
  const items = invoices.merchantHistory(query.merchantId).filter((i) => i.atMs >= query.fromMs && i.atMs <= query.toMs);
  return historyAnswer(query, 'transaction_history_list', items, historyItem);
}
