import { Body, Controller, HttpCode, NotFoundException, Param, Post, Put, UsePipes, ValidationPipe } from '@nestjs/common';
import { fromMinor, toMinor } from '@app/snap';
import { IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ConsumerService } from '../consumer/consumer.service';

const DECIMAL = /^(0|[1-9]\d*)(\.\d{1,2})?$/;

export class PayBillDto {
  @Matches(DECIMAL, { message: 'amount must be a decimal string, e.g. "25000.00"' })
  amount: string;

  @IsOptional()
  @IsString()
  billId?: string;

  @IsOptional()
  @IsString()
  description?: string;
}

export class DecideUpgradeDto {
  @IsIn(['approved', 'rejected'])
  status: 'approved' | 'rejected';

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  rejectReasons?: string[];
}

export class SetConsumerBalanceDto {
  @IsOptional()
  @Matches(DECIMAL)
  cash?: string;

  @IsOptional()
  @Matches(DECIMAL)
  points?: string;
}

/** Control routes for the consumer side: events that reach the partner as N15 / N17 callbacks. */
@Controller('sandbox/consumers')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class ConsumerControlController {
  constructor(private readonly consumers: ConsumerService) {}

  /** The user pays a bill in Netzme's webview (N14): sends `bill-paid` (N15). */
  @Post(':custId/bills')
  @HttpCode(200)
  payBill(@Param('custId') custId: string, @Body() body: PayBillDto): Record<string, unknown> {
    const entry = this.consumers.payBill(custId, { billId: body.billId, amountMinor: toMinor(body.amount), description: body.description });
    return { custId, billId: entry.billId, referenceNo: entry.trxId, balance: fromMinor(entry.balanceAfterMinor) };
  }

  /** Netzme decides the user's KYC upgrade: sends `account-upgrade` (N17). */
  @Post(':custId/upgrade')
  @HttpCode(200)
  upgrade(@Param('custId') custId: string, @Body() body: DecideUpgradeDto): Record<string, unknown> {
    const user = this.consumers.decideUpgrade(custId, body.status === 'approved', body.rejectReasons);
    return { custId, userStatus: user.userStatus, status: user.upgradeStatus };
  }

  @Put(':custId/balance')
  balance(@Param('custId') custId: string, @Body() body: SetConsumerBalanceDto): Record<string, unknown> {
    const user = this.consumers.setBalance(
      custId,
      body.cash === undefined ? undefined : toMinor(body.cash),
      body.points === undefined ? undefined : toMinor(body.points),
    );
    if (!user) {
      throw new NotFoundException(`no Netzme user ${custId}`);
    }
    return { custId, cash: fromMinor(user.cashMinor), points: fromMinor(user.pointsMinor) };
  }
}
