import { Global, Module } from '@nestjs/common';
import { JobRegistry } from './job-registry';

/** Background jobs: the registry is global so any feature module can register its jobs. */
@Global()
@Module({
  providers: [JobRegistry],
  exports: [JobRegistry],
})
export class JobsModule {}
