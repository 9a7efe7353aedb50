import { Logger, Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import type { NetzmeCallLog, NetzmeLogger } from './logger';
import { NetzmeClient } from './netzme-client';
import type { NetzmeClientOptions } from './options';

export const NETZME_CLIENT_OPTIONS = Symbol('NETZME_CLIENT_OPTIONS');

export interface NetzmeClientModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => NetzmeClientOptions | Promise<NetzmeClientOptions>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  /** Register NetzmeClient globally. */
  global?: boolean;
}

/** Call log through Nest's logger: one JSON line per Netzme call under the `NetzmeClient` context. */
export function nestNetzmeLogger(context = 'NetzmeClient'): NetzmeLogger {
  const logger = new Logger(context);
  return {
    info: (entry: NetzmeCallLog) => logger.log(JSON.stringify(entry)),
    warn: (entry: NetzmeCallLog) => logger.warn(JSON.stringify(entry)),
  };
}

/**
 * Nest wiring for NetzmeClient. HTTP goes through the client's default keep-alive undici pool
 * unless the options bring their own `http` sender.
 */
@Module({})
export class NetzmeClientModule {
  static forRootAsync(options: NetzmeClientModuleAsyncOptions): DynamicModule {
    return {
      module: NetzmeClientModule,
      global: options.global ?? false,
      imports: options.imports ?? [],
      providers: [
        { provide: NETZME_CLIENT_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: NetzmeClient,
          useFactory: (clientOptions: NetzmeClientOptions) => new NetzmeClient({ ...clientOptions, logger: clientOptions.logger ?? nestNetzmeLogger() }),
          inject: [NETZME_CLIENT_OPTIONS],
        },
      ],
      exports: [NetzmeClient],
    };
  }

  static forRoot(options: NetzmeClientOptions & { global?: boolean }): DynamicModule {
    const { global, ...clientOptions } = options;
    return NetzmeClientModule.forRootAsync({ useFactory: () => clientOptions, global });
  }
}
