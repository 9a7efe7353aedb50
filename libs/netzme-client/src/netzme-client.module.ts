import { Logger, Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import type { HttpService } from '@nestjs/axios';
import { axiosSender } from './axios-sender';
import type { NetzmeCallLog, NetzmeLogger } from './logger';
import { NetzmeClient } from './netzme-client';
import type { NetzmeClientOptions } from './options';

export const NETZME_CLIENT_OPTIONS = Symbol('NETZME_CLIENT_OPTIONS');

/**
 * How NetzmeClient's requests travel:
 * - `'undici'` (default): the client's own keep-alive undici pool, the cheapest per call;
 * - `'nestjs-axios'`: the `HttpService` of an `HttpModule` in the module's `imports`, so that its
 *   configuration (headers, proxy, agents, interceptors) applies to every Netzme call. Needs the
 *   optional peers `@nestjs/axios` and `axios`, loaded only when chosen.
 */
export type NetzmeHttpTransport = 'undici' | 'nestjs-axios';

export interface NetzmeClientModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => NetzmeClientOptions | Promise<NetzmeClientOptions>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  /** Register NetzmeClient globally. */
  global?: boolean;
  /** See `NetzmeHttpTransport`. With `'nestjs-axios'`, put your `HttpModule.register(...)` in `imports`. */
  transport?: NetzmeHttpTransport;
}

/** Call log through Nest's logger: one JSON line per Netzme call under the `NetzmeClient` context. */
export function nestNetzmeLogger(context = 'NetzmeClient'): NetzmeLogger {
  const logger = new Logger(context);
  return {
    info: (entry: NetzmeCallLog) => logger.log(JSON.stringify(entry)),
    warn: (entry: NetzmeCallLog) => logger.warn(JSON.stringify(entry)),
  };
}

/** `@nestjs/axios`' HttpService class (the DI token), required only when that transport is chosen. */
function httpServiceToken(): typeof HttpService {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('@nestjs/axios') as typeof import('@nestjs/axios')).HttpService;
  } catch {
    throw new Error("NetzmeClientModule: transport 'nestjs-axios' needs the packages @nestjs/axios and axios (npm install @nestjs/axios axios)");
  }
}

function build(clientOptions: NetzmeClientOptions, http?: HttpService): NetzmeClient {
  return new NetzmeClient({
    ...clientOptions,
    ...(http ? { http: axiosSender(http) } : {}),
    logger: clientOptions.logger ?? nestNetzmeLogger(),
  });
}

/**
 * Nest wiring for NetzmeClient. HTTP goes through the client's default keep-alive undici pool,
 * or through `@nestjs/axios`' HttpService with `transport: 'nestjs-axios'`, unless the options
 * bring their own `http` sender.
 */
@Module({})
export class NetzmeClientModule {
  static forRootAsync(options: NetzmeClientModuleAsyncOptions): DynamicModule {
    const transport = options.transport ?? 'undici';
    if (transport !== 'undici' && transport !== 'nestjs-axios') {
      throw new Error(`NetzmeClientModule: unknown transport '${String(transport)}' (expected 'undici' or 'nestjs-axios')`);
    }
    const client: Provider =
      transport === 'nestjs-axios'
        ? {
            provide: NetzmeClient,
            useFactory: (clientOptions: NetzmeClientOptions, http: HttpService | undefined) => {
              if (!http) {
                throw new Error(
                  "NetzmeClientModule: transport 'nestjs-axios' needs an HttpService: add HttpModule (or HttpModule.register({...})) to forRootAsync({ imports })",
                );
              }
              if (clientOptions.http) {
                throw new Error("NetzmeClientModule: transport 'nestjs-axios' and an `http` sender in the options both choose how requests travel; keep one");
              }
              return build(clientOptions, http);
            },
            inject: [NETZME_CLIENT_OPTIONS, { token: httpServiceToken(), optional: true }],
          }
        : { provide: NetzmeClient, useFactory: (clientOptions: NetzmeClientOptions) => build(clientOptions), inject: [NETZME_CLIENT_OPTIONS] };
    return {
      module: NetzmeClientModule,
      global: options.global ?? false,
      imports: options.imports ?? [],
      providers: [{ provide: NETZME_CLIENT_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }, client],
      exports: [NetzmeClient],
    };
  }

  static forRoot(options: NetzmeClientOptions & Pick<NetzmeClientModuleAsyncOptions, 'global' | 'transport' | 'imports'>): DynamicModule {
    const { global, transport, imports, ...clientOptions } = options;
    return NetzmeClientModule.forRootAsync({ useFactory: () => clientOptions, global, transport, imports });
  }
}
