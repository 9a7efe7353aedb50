import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { fromMinor } from '@app/snap';
import { InvoicesService } from '../invoices/invoices.service';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The `paymentUrl` of every sandbox invoice: a tiny hosted payment page so a person trying the
 * product can "pay" with one click (it calls the control route `POST /sandbox/invoices/:ref/pay`).
 */
@Controller('sandbox/pay')
export class PayPageController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get(':ref')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(@Param('ref') ref: string): string {
    const invoice = this.invoices.find(ref);
    if (!invoice) {
      throw new NotFoundException(`no invoice ${ref}`);
    }
    const qr = invoice.qrImage ? `<img alt="QRIS" src="${invoice.qrImage}" width="300" height="300">` : '';
    const va = invoice.virtualAccountData.map((v) => `<li>${escapeHtml(v.bankCode)}: ${escapeHtml(v.virtualAccountNo)}</li>`).join('');
    const button =
      invoice.status === 'INIT'
        ? `<button onclick="fetch('/sandbox/invoices/${encodeURIComponent(invoice.id)}/pay',{method:'POST'}).then(()=>location.reload())">Pay now (simulated)</button>`
        : '';
    return `<!doctype html><html><head><title>Netzme sandbox payment</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;text-align:center}button{font-size:1.2rem;padding:.6rem 1.2rem}</style></head>
<body><h1>Netzme sandbox</h1><p>${escapeHtml(invoice.merchantId)} &middot; ${escapeHtml(invoice.partnerReferenceNo)}</p>
<h2>Rp ${fromMinor(invoice.totalAmountMinor)}</h2><p>Status: <strong>${invoice.status}</strong> (${escapeHtml(invoice.payMethod)})</p>
${qr}<ul style="list-style:none;padding:0">${va}</ul>${button}
<p><small>Simulator only: no real money moves.</small></p></body></html>`;
  }
}
