// The reconciliation module's public face (docs/architecture.md, "A module's public face").
export { ReconciliationModule } from './reconciliation.module';
export { ReconciliationService } from './reconciliation.service';
export { ReconciliationErrorCode } from './reconciliation-errors';
