// The audit module's public face (docs/architecture.md, "A module's public face").
export { AuditModule } from './audit.module';
export { AuditTrail } from './audit-trail';
