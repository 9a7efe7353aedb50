import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { GatewayConfig, loadGatewaySettings } from './gateway.settings';
import { RawEnv } from './env-validation';

/** Injection token for the typed, validated configuration. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/**
 * @nestjs/config reads `.env` (unless an explicit env is given, as tests do) and our schema validates
 * it once; everything else injects the typed GatewayConfig rather than reading process.env.
 */
@Global()
@Module({})
export class GatewayConfigModule {
  static forRoot(options: { env?: RawEnv } = {}): DynamicModule {
    return {
      module: GatewayConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: options.env !== undefined,
          envFilePath: '.env',
          load: [() => ({ gateway: loadGatewaySettings(options.env ?? process.env) })],
        }),
      ],
      providers: [
        {
          provide: GATEWAY_CONFIG,
          inject: [ConfigService],
          useFactory: (config: ConfigService<{ gateway: GatewayConfig }, true>) => config.get('gateway', { infer: true }),
        },
      ],
      exports: [GATEWAY_CONFIG],
    };
  }
}
