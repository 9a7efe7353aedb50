// The auth module's public face (docs/architecture.md, "A module's public face"): what other modules may use.
export { AuthModule } from './auth.module';
export { ApiKeysService, type ApiCaller } from './api-keys.service';
export type { AuthenticatedRequest } from './api-key.guard';
export { Access, AdminOnly, Public, type ApiRole } from './auth.decorators';
export { AuthErrorCode } from './auth-errors';
