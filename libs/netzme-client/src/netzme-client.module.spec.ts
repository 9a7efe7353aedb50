import { HttpService } from '@nestjs/axios';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { readKey } from '../../snap/test/vectors';
import { FakeNetzme } from '../test/fake-netzme';
import { NetzmeClient } from './netzme-client';
import { NetzmeClientModule } from './netzme-client.module';

const PRIVATE_KEY = readKey('test-keys/partner-private.pem');
const PUBLIC_KEY = readKey('test-keys/partner-public.pem');

@Injectable()
class Settings {
  url = '';
}

@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

describe('NetzmeClientModule', () => {
  let fake: FakeNetzme;

  beforeEach(async () => {
    fake = await new FakeNetzme({ clientId: 'cid', clientSecret: 'secret-0123456789', publicKey: PUBLIC_KEY }).start();
  });
  afterEach(() => fake.close());

  it('forRootAsync provides a working NetzmeClient built from injected settings, over HttpService', async () => {
    const settings = new Settings();
    settings.url = fake.url;
    const moduleRef = await Test.createTestingModule({
      imports: [
        NetzmeClientModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (s: Settings) => ({ baseUrl: s.url, clientId: 'cid', clientSecret: 'secret-0123456789', privateKey: PRIVATE_KEY, merchantId: 'M_1', logger: false }),
        }),
      ],
    })
      .overrideProvider(Settings)
      .useValue(settings)
      .compile();
    const client = moduleRef.get(NetzmeClient);
    expect(client).toBeInstanceOf(NetzmeClient);
    // The Nest HttpModule's axios instance is the one making the calls.
    const http = moduleRef.get(HttpService, { strict: false });
    const seen: string[] = [];
    http.axiosRef.interceptors.request.use((config) => {
      seen.push(String(config.url));
      return config;
    });
    const res = await client.getBalanceDetail();
    expect(res.responseCode).toBe('2001100');
    expect(fake.tokenRequests).toBe(1);
    expect(seen).toEqual([`${fake.url}/api/v1/access-token/b2b`, `${fake.url}/api/v1.0/payment/balance-inquiry`]);
    await moduleRef.close();
  });
});
