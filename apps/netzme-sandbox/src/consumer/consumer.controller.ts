import { Controller, Get, Post, Req } from '@nestjs/common';
import { jakartaTimestamp } from '@app/snap';
import { ClientsService } from '../auth/clients.service';
import { NetzmeBody, NetzmeClientId, NetzmeEndpoint } from '../auth/netzme-endpoint.decorator';
import { checkClientSecretHeader } from '../auth/transactional-auth.guard';
import type { SandboxRequest } from '../common/http-types';
import { money } from '../common/format';
import { uuid } from '../common/ids';
import { Errors } from '../common/netzme-error';
import { CONSUMER_VERSIONS, versioned } from '../common/netzme-paths';
import type { WireBody } from '../common/wire-body';
import { InvoicesService } from '../invoices/invoices.service';
import { merchantTransactionList } from '../invoices/transaction-list';
import { balanceDetailResponse } from '../merchants/merchants.controller';
import { MerchantsService } from '../merchants/merchants.service';
import { ConsumerQrisService } from './consumer-qris.service';
import { ConsumerService, type ConsumerUser } from './consumer.service';

const consumerPaths = (template: string) => versioned(template, CONSUMER_VERSIONS);

/**
 * Netzme (consumer side) endpoints N4–N12, N18 — on the real system they live on another host
 * (apisnap…). Two of their paths are also Toko paths (balance-inquiry, transaction/history-list);
 * the sandbox serves both families on one port and tells them apart by the body.
 */
@Controller()
export class ConsumerController {
  constructor(
    private readonly consumers: ConsumerService,
    private readonly qris: ConsumerQrisService,
    private readonly clients: ClientsService,
    private readonly merchants: MerchantsService,
    private readonly invoices: InvoicesService,
  ) {}

  /** N4 Get Account Status. */
  @Post(consumerPaths('/api/{version}/account/registration-account-inquiry'))
  @NetzmeEndpoint('08', { clientSecretHeader: true })
  accountStatus(@NetzmeBody() body: WireBody): Record<string, unknown> {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const user = this.consumers.require(body.object('additionalInfo').string('custId'));
    return {
      responseCode: '2000800',
      responseMessage: 'Successful',
      partnerReferenceNo,
      referenceNo: uuid(),
      additionalInfo: {
        userStatus: user.userStatus,
        userType: user.userType,
        status: user.upgradeStatus === 'none' ? '' : user.upgradeStatus,
        benefits: user.benefits,
      },
    };
  }

  /** T5 Get Balance Detail (Toko, accountNo = merchant) or N5 Get Balance (consumer, accountNo = custId). */
  @Post(versioned('/api/{version}/payment/balance-inquiry'))
  @NetzmeEndpoint('11')
  balance(@Req() req: SandboxRequest, @NetzmeBody() body: WireBody): Record<string, unknown> {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const accountNo = body.string('accountNo');
    const user = this.consumers.find(accountNo);
    if (!user) {
      return balanceDetailResponse(partnerReferenceNo, this.merchants.require(accountNo));
    }
    this.consumerOnly(req);
    return {
      responseCode: '2001100',
      responseMessage: 'Successful',
      partnerReferenceNo,
      referenceNo: uuid(),
      accountNo,
      accountInfos: [
        { balanceType: 'Cash', availableBalance: money(user.cashMinor) },
        { balanceType: 'Points', availableBalance: money(user.pointsMinor) },
      ],
      additionalInfo: { ts: String(Date.now()), type: 'get_aggregator_balance' },
    };
  }

  /**
   * N6 Get History (documented as GET with a JSON body; POST accepted too), or Toko's Get Transaction
   * List on its v1.0 path (Netzme's QA tool), recognised by `custIdMerchant` in the body.
   */
  @Get(versioned('/api/{version}/transaction/history-list'))
  @NetzmeEndpoint('12')
  historyByGet(@Req() req: SandboxRequest, @NetzmeBody() body: WireBody): Record<string, unknown> {
    return this.history(req, body);
  }

  @Post(versioned('/api/{version}/transaction/history-list'))
  @NetzmeEndpoint('12')
  history(@Req() req: SandboxRequest, @NetzmeBody() body: WireBody): Record<string, unknown> {
    const info = body.additionalInfo();
    if (!info.has('custId') && (body.has('custIdMerchant') || info.has('custIdMerchant'))) {
      return merchantTransactionList(this.invoices, this.merchants, body);
    }
    this.consumerOnly(req);
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const pageSize = body.optIntegerish('pageSize') ?? 10;
    const seqId = info.optIntegerish('seqId') ?? 0;
    const user = this.consumers.require(info.string('custId'));
    return {
      responseCode: '2001200',
      responseMessage: 'Successful',
      partnerReferenceNo,
      referenceNo: uuid(),
      detailData: this.consumers.history(user, pageSize, seqId).map((e) => ({
        amount: money(e.amountMinor),
        dateTime: jakartaTimestamp(new Date(e.atMs)),
        type: e.type,
        status: 'success',
        additionalInfo: {
          seq: e.seq,
          // A JSON string, as Netzme sends it.
          details: JSON.stringify({
            side: e.side,
            type: e.type,
            trxId: e.trxId,
            billId: e.billId ?? '',
            source: e.source,
            status: 'success',
            balance: money(e.balanceAfterMinor).value,
            description: e.description,
          }),
          msgId: e.trxId,
          duplicateEvent: false,
        },
      })),
      additionalInfo: { ts: String(Date.now()), type: 'aggregator_transaction_history' },
    };
  }

  /** N7 Get Fixed Topup VA: GET with `?custId=` (signed with the query string). Response INFERRED. */
  @Get(consumerPaths('/api/{version}/payment/fixed-va'))
  @NetzmeEndpoint('00', { clientSecretHeader: true })
  fixedVa(@Req() req: SandboxRequest): Record<string, unknown> {
    const custId = typeof req.query.custId === 'string' ? req.query.custId : '';
    if (custId === '') {
      throw Errors.mandatoryField('CustId');
    }
    const user: ConsumerUser = this.consumers.require(custId);
    return { responseCode: '2000000', responseMessage: 'Successful', custId, virtualAccountData: user.virtualAccounts };
  }

  /** N8–N11 Get Detail Qris (static, static with fee, dynamic, dynamic with fee). */
  @Post(consumerPaths('/api/{version}/payment/qr'))
  @NetzmeEndpoint('47', { clientSecretHeader: true })
  qrDetail(@NetzmeBody() body: WireBody): Record<string, unknown> {
    return this.qris.detail(body);
  }

  /** N12 QRIS Payment — INFERRED ONLY (SNAP qr-mpm-payment, service 60). */
  @Post(consumerPaths('/api/{version}/qr/qr-mpm-payment'))
  @NetzmeEndpoint('60', { clientSecretHeader: true })
  qrPayment(@NetzmeClientId() clientId: string, @NetzmeBody() body: WireBody): Record<string, unknown> {
    return this.qris.pay(clientId, body);
  }

  /** N18 Upgrade Account — INFERRED ONLY: starts KYC; the outcome arrives as N17 (control route decides). */
  @Post(consumerPaths('/api/{version}/account/upgrade'))
  @NetzmeEndpoint('00', { clientSecretHeader: true })
  upgrade(@NetzmeBody() body: WireBody): Record<string, unknown> {
    const partnerReferenceNo = body.string('partnerReferenceNo');
    const user = this.consumers.require(body.object('additionalInfo').string('custId'));
    this.consumers.startUpgrade(user);
    return {
      responseCode: '2000000',
      responseMessage: 'Successful',
      partnerReferenceNo,
      referenceNo: uuid(),
      additionalInfo: { custId: user.custId, status: user.upgradeStatus },
    };
  }

  private consumerOnly(req: SandboxRequest): void {
    checkClientSecretHeader(req, this.clients.get(req.netzme!.clientId!));
  }
}
