import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, AdminOnly } from '../auth/auth.decorators';
import { AppError } from '../http/app-error';
import { idempotencyKeyOf } from '../idempotency/idempotency';
import { CreateOrderDto, ListOrdersQueryDto, OrderHistoryEntryView, OrderIdParamDto, OrderListView, OrderView } from './order.dto';
import { serverTimingHeader, withServerTiming } from '../observability/server-timing';
import { InvoiceErrorCode } from './invoice-errors';
import { toOrderView } from './order-view';
import { OrdersService } from './orders.service';

const ORDER_EXAMPLE = {
  id: '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11',
  merchantOrderId: 'INV-2023-000123',
  status: 'PENDING',
  amount: { value: '15000.00', currency: 'IDR' },
  payMethod: 'QRIS',
  qrImage: 'data:image/png;base64,iVBORw0KGgo...',
  qrContent: '00020101021226...6304ABCD',
  paymentUrl: 'https://pay-stg.netzme.id/toko/NETZ-INV-M_TB1NMLig1700000000000abc/qris/0b9f',
  virtualAccounts: null,
  expiresAt: '2023-11-15T06:13:21.000Z',
  paidAt: null,
  createdAt: '2023-11-15T05:58:21.000Z',
  updatedAt: '2023-11-15T05:58:22.000Z',
  description: 'Order #123 at Toko Contoh',
  customer: { fullname: 'Budi Santoso', email: 'budi@example.com', phoneNumber: '+6281234567890' },
  partnerReferenceNo: 'GW1700000000000A1B2C3D4E5',
  netzme: { invoiceId: 'NETZ-INV-M_TB1NMLig1700000000000abc', trxId: '0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c' },
  payment: null,
  failure: null,
  message: 'Waiting for the buyer to pay.',
  needsReview: false,
};

const ERROR = (statusCode: number, error: string, code: string, message: string | string[]) => ({
  statusCode,
  error,
  code,
  message,
  requestId: '8d6f0f5e-2b1c-4c1e-9a55-5d2f3a4b5c6d',
});

@ApiTags('Orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Access('checkout')
  @ApiOperation({
    summary: 'Create an order (a Netzme invoice with a QRIS code)',
    description:
      'Writes the order with our own partnerReferenceNo, then asks Netzme (Create Invoice Transaction) for the invoice. ' +
      '201: created, with `qrImage` (QRIS) or `virtualAccounts` / `paymentUrl`. A repeat with the same `merchantOrderId` (or the same `Idempotency-Key`) and the same body returns the same order with 200 and never creates a second Netzme invoice; ' +
      'the same id with a different body is refused with 409. If Netzme times out or fails with a 5xx the answer is 202 with status `UNKNOWN`: the gateway resolves it in the background (re-sending with the same reference, which Netzme refuses to duplicate); repeat the request or read GET /orders/:id. ' +
      '422 when Netzme refused the invoice (the order is FAILED).',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Optional: 1-255 visible ASCII characters (a UUID is a good choice). Behaves like merchantOrderId.',
  })
  @ApiBody({
    type: CreateOrderDto,
    examples: {
      qris: {
        summary: 'QRIS (default)',
        value: {
          merchantOrderId: 'INV-2023-000123',
          amount: '15000.00',
          expiresInSeconds: 900,
          description: 'Order #123 at Toko Contoh',
          customer: { fullname: 'Budi Santoso', email: 'budi@example.com', phoneNumber: '+6281234567890' },
        },
      },
      bankTransfer: { summary: 'Virtual account', value: { merchantOrderId: 'INV-2023-000124', amount: '250000.00', payMethod: 'BANK_TRANSFER' } },
    },
  })
  @ApiCreatedResponse({ type: OrderView, description: 'Created at Netzme; show qrImage / paymentUrl to the buyer.', example: ORDER_EXAMPLE })
  @ApiOkResponse({ type: OrderView, description: 'A repeat of an earlier request: the same order.' })
  @ApiAcceptedResponse({
    type: OrderView,
    description: 'Netzme did not confirm (timeout, 5xx): the order is UNKNOWN and is being resolved.',
    example: {
      ...ORDER_EXAMPLE,
      status: 'UNKNOWN',
      qrImage: null,
      qrContent: null,
      paymentUrl: null,
      netzme: { invoiceId: null, trxId: null },
      message: 'Netzme did not confirm the invoice. The gateway is finding out ...',
    },
  })
  @ApiBadRequestResponse({
    description: 'Invalid body or header',
    schema: {
      example: ERROR(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['amount must be a positive decimal string with at most two decimals, such as "15000.00"']),
    },
  })
  @ApiConflictResponse({
    description: 'merchantOrderId / Idempotency-Key already used with another body',
    schema: {
      example: ERROR(
        409,
        'CONFLICT',
        InvoiceErrorCode.ORDER_CONFLICT,
        'merchantOrderId INV-2023-000123 was already used for an order with a different body (order 5b0e6a4c-...)',
      ),
    },
  })
  @ApiUnprocessableEntityResponse({
    description: 'Netzme refused the invoice; the order is FAILED (details.order)',
    schema: { example: ERROR(422, 'UNPROCESSABLE_ENTITY', InvoiceErrorCode.ORDER_REJECTED, 'Netzme refused the invoice (4044713 Invalid Amount)') },
  })
  async create(
    @Body() dto: CreateOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: { status(code: number): unknown; header(name: string, value: string): unknown },
  ): Promise<OrderView> {
    const { result, timing } = await withServerTiming(() => this.orders.create(dto, idempotencyKeyOf(idempotencyKey, { required: false, what: 'order' })));
    const { order, created } = result;
    res.header('Server-Timing', serverTimingHeader(timing));
    const view = toOrderView(order);
    if (order.status === 'FAILED') {
      throw new AppError(HttpStatus.UNPROCESSABLE_ENTITY, InvoiceErrorCode.ORDER_REJECTED, order.failureMessage ?? 'Netzme refused the invoice', {
        order: view,
      });
    }
    res.status(order.status === 'CREATING' || order.status === 'UNKNOWN' ? HttpStatus.ACCEPTED : created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }

  @Get(':id')
  @Access('checkout')
  @ApiOperation({
    summary: 'Read one order',
    description: 'The order by our id (the `id` returned by POST /orders), with its current status. Checkout and admin keys.',
  })
  @ApiOkResponse({
    type: OrderView,
    example: {
      ...ORDER_EXAMPLE,
      status: 'PAID',
      paidAt: '2023-11-15T06:01:02.000Z',
      payment: {
        paidAmount: { value: '15000.00', currency: 'IDR' },
        fee: { value: '105.00', currency: 'IDR' },
        netAmount: { value: '14895.00', currency: 'IDR' },
        method: 'QRIS',
        rrn: '411310123456',
        issuerName: 'GOPAY',
      },
    },
  })
  @ApiBadRequestResponse({ schema: { example: ERROR(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['id must be an order id (a UUID)']) } })
  @ApiNotFoundResponse({
    schema: { example: ERROR(404, 'NOT_FOUND', InvoiceErrorCode.ORDER_NOT_FOUND, 'No order with id 5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11') },
  })
  async get(@Param() params: OrderIdParamDto): Promise<OrderView> {
    return toOrderView(await this.orders.get(params.id));
  }

  @Get()
  @AdminOnly()
  @ApiOperation({
    summary: 'List orders (admin)',
    description: 'Newest first. Filter by status, merchantOrderId, needsReview and creation time [from, to). Keyset pagination: pass `nextCursor` as `cursor`.',
  })
  @ApiOkResponse({ type: OrderListView, example: { items: [ORDER_EXAMPLE], nextCursor: 'NWIwZTZhNGMtM2YwZS00ZjdlLTlhNTEtMGQ3ZjBkM2M4YzEx' } })
  @ApiBadRequestResponse({
    schema: { example: ERROR(400, 'BAD_REQUEST', 'VALIDATION_FAILED', ['status must be one of CREATING, UNKNOWN, PENDING, PAID, EXPIRED, FAILED']) },
  })
  async list(@Query() query: ListOrdersQueryDto): Promise<OrderListView> {
    const page = await this.orders.list(query);
    return { items: page.items.map(toOrderView), nextCursor: page.nextCursor };
  }

  @Post(':id/refresh')
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Refresh an order from Netzme now (admin)',
    description:
      'PENDING: asks Get Invoice Transaction and applies the answer (PAID / EXPIRED). UNKNOWN or stuck CREATING: re-sends Create Invoice Transaction with the same reference or looks the invoice up by reference. Terminal orders are returned unchanged. Uses the same state transition as callbacks and the poller, so it cannot race them into a wrong state.',
  })
  @ApiOkResponse({ type: OrderView, example: ORDER_EXAMPLE })
  @ApiNotFoundResponse({
    schema: { example: ERROR(404, 'NOT_FOUND', InvoiceErrorCode.ORDER_NOT_FOUND, 'No order with id 5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11') },
  })
  @ApiConflictResponse({
    schema: {
      example: ERROR(
        409,
        'CONFLICT',
        InvoiceErrorCode.ORDER_BUSY,
        'Order 5b0e6a4c-... is being worked on right now (create call or poll in flight); try again in a few seconds',
      ),
    },
  })
  async refresh(@Param() params: OrderIdParamDto): Promise<OrderView> {
    return toOrderView(await this.orders.refresh(params.id));
  }

  @Get(':id/history')
  @AdminOnly()
  @ApiOperation({
    summary: 'Status history of an order (admin)',
    description: 'Every status change with who made it: create, checkout-retry, callback (with the callback id), poll or admin.',
  })
  @ApiOkResponse({
    type: [OrderHistoryEntryView],
    example: [
      { from: null, to: 'PENDING', source: 'create', sourceRef: null, reason: 'Netzme created the invoice', at: '2023-11-15T05:58:22.000Z' },
      { from: 'PENDING', to: 'PAID', source: 'callback', sourceRef: '9c1d...', reason: 'payment notification', at: '2023-11-15T06:01:02.000Z' },
    ],
  })
  @ApiNotFoundResponse({
    schema: { example: ERROR(404, 'NOT_FOUND', InvoiceErrorCode.ORDER_NOT_FOUND, 'No order with id 5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11') },
  })
  async history(@Param() params: OrderIdParamDto): Promise<OrderHistoryEntryView[]> {
    const entries = await this.orders.history(params.id);
    return entries.map((e) => ({
      from: e.fromStatus,
      to: e.toStatus,
      source: e.source,
      sourceRef: e.sourceRef,
      reason: e.reason,
      at: e.createdAt.toISOString(),
    }));
  }
}
