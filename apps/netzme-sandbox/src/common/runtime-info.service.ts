import { Injectable } from '@nestjs/common';

/** Facts known only once the server listens (its own URL, used in paymentUrl links). */
@Injectable()
export class RuntimeInfoService {
  baseUrl = 'http://127.0.0.1:3001';
}
