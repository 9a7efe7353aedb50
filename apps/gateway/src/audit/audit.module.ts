import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditBeforeInterceptor, AuditTrail } from './audit-trail';
import { AuditController } from './audit.controller';

/** Who changed what (docs/access.md): the "before" read by an interceptor, the row written on send. */
@Module({
  controllers: [AuditController],
  providers: [AuditBeforeInterceptor, { provide: APP_INTERCEPTOR, useExisting: AuditBeforeInterceptor }, AuditTrail],
  exports: [AuditTrail],
})
export class AuditModule {}
