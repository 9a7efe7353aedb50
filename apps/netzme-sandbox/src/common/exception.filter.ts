import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { SandboxRequest, SandboxResponse } from './http-types';
import { NetzmeError, RawNetzmeAnswer } from './netzme-error';
import { isNetzmePath } from './netzme-paths';

/**
 * One filter for the whole sandbox. On Netzme paths every error comes out in Netzme's format
 * (`responseCode` = HTTP status + service code + case code, HTTP status = its first three digits),
 * never in Nest's default shape; control routes answer `{statusCode, message}`.
 */
@Catch()
export class SandboxExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('NetzmeSandbox');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<SandboxRequest>();
    const res = host.switchToHttp().getResponse<SandboxResponse>();
    if (res.headersSent || res.destroyed) {
      return;
    }
    if (exception instanceof RawNetzmeAnswer) {
      res.status(exception.httpStatus).json(exception.body);
      return;
    }
    if (isNetzmePath(req.path)) {
      const serviceCode = req.netzme?.serviceCode ?? '00';
      let error: NetzmeError;
      if (exception instanceof NetzmeError) {
        error = exception;
      } else if (exception instanceof HttpException) {
        // e.g. an unknown path: Netzme's gateway passes such statuses through with case 00.
        const status = exception.getStatus();
        error = new NetzmeError(status, '00', status === 404 ? 'resource not found' : exception.message);
      } else {
        this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
        error = new NetzmeError(500, '00', 'Internal Server Error');
      }
      res.status(error.httpStatus).json({ responseCode: error.responseCode(serviceCode), responseMessage: error.message });
      return;
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      res.status(exception.getStatus()).json(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body);
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    res.status(500).json({ statusCode: 500, message: 'Internal Server Error' });
  }
}
