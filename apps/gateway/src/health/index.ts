// The health module's public face (docs/architecture.md, "A module's public face").
export { HealthModule } from './health.module';
export { HealthErrorCode } from './health-errors';
