import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, lastValueFrom, mergeMap, NEVER, Observable, of, throwError } from 'rxjs';
import type { SandboxRequest } from '../common/http-types';
import { SERVICE_CODE_METADATA } from '../common/metadata';
import { Errors, NetzmeError } from '../common/netzme-error';
import { TimersService } from '../common/timers.service';
import { FaultsService, type Fault } from './faults.service';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function replay(outcome: Outcome): Observable<unknown> {
  return outcome.ok ? of(outcome.value) : throwError(() => outcome.error);
}

/**
 * Applies request faults to Netzme endpoints (after authentication, so a rejected request does not
 * use up a fault):
 * - `error`: HTTP 500 `500xx00` without processing (`afterProcessing`: process first);
 * - `timeout`: process, hold the response for delayMs, then destroy the socket — the payer never
 *   learns the outcome (`beforeProcessing`: hang without processing);
 * - `drop`: process, then destroy the socket without answering;
 * - `delay`: process and answer after delayMs;
 * - `duplicate`: process twice (as if the request reached Netzme twice) and answer the first.
 */
@Injectable()
export class FaultsInterceptor implements NestInterceptor {
  constructor(
    private readonly faults: FaultsService,
    private readonly timers: TimersService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<SandboxRequest>();
    req.netzme ??= { serviceCode: this.reflector.get<string>(SERVICE_CODE_METADATA, context.getHandler()) ?? '00' };
    const fault = this.faults.takeForRequest(req.path);
    if (!fault) {
      return next.handle();
    }
    return defer(() => this.misbehave(fault, req, next)).pipe(mergeMap((answer) => answer));
  }

  private async misbehave(fault: Fault, req: SandboxRequest, next: CallHandler): Promise<Observable<unknown>> {
    // Each subscription to next.handle() runs the handler again: that is what `duplicate` relies on.
    const process = (): Promise<Outcome> =>
      lastValueFrom(next.handle()).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    const hangUp = () => req.socket.destroy();

    switch (fault.mode) {
      case 'error':
        if (fault.afterProcessing) {
          await process();
        }
        return throwError(() => Errors.internal());
      case 'delay': {
        const outcome = await process();
        await this.timers.sleep(fault.delayMs);
        return replay(outcome);
      }
      case 'drop':
        await process();
        hangUp();
        return NEVER;
      case 'timeout':
        if (!fault.beforeProcessing) {
          await process();
        }
        await this.timers.sleep(fault.delayMs);
        hangUp();
        return NEVER;
      case 'duplicate': {
        const first = await process();
        const second = await process();
        this.faults.record(fault, req.path, `second processing: ${this.describe(second, req)}`);
        return replay(first);
      }
    }
  }

  private describe(outcome: Outcome, req: SandboxRequest): string {
    if (outcome.ok) {
      const code = (outcome.value as { responseCode?: string } | undefined)?.responseCode;
      return `answered ${code ?? 'OK'}`;
    }
    if (outcome.error instanceof NetzmeError) {
      return `answered ${outcome.error.responseCode(req.netzme?.serviceCode ?? '00')} ${outcome.error.message}`;
    }
    return `failed: ${String(outcome.error)}`;
  }
}
