import { Injectable, Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { Test } from '@nestjs/testing';
import { readKey } from '../../snap/test/vectors';
import { FakeNetzme } from '../test/fake-netzme';
import type { HttpSender } from './http-sender';
import { undiciSender } from './http-sender';
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
  /** The client options matching the fake Netzme's credentials. */
  const fakeNetzmeOptions = () => ({
    baseUrl: fake.url,
    clientId: 'cid',
    clientSecret: 'secret-0123456789',
    privateKey: PRIVATE_KEY,
    merchantId: 'M_1',
    logger: false as const,
  });

  it('forRootAsync provides a working NetzmeClient built from injected settings, over the configured HTTP sender', async () => {
    const settings = new Settings();
    // A sender that records and forwards: the one from the options is the one making the calls.
    const seen: string[] = [];
    const forward = undiciSender();
    const recording: HttpSender = (exchange) => {
      seen.push(`${exchange.method} ${exchange.url}`);
      return forward(exchange);
    };
    settings.url = fake.url;
    const moduleRef = await Test.createTestingModule({
      imports: [
        NetzmeClientModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (s: Settings) => ({
            baseUrl: s.url,
            clientId: 'cid',
            clientSecret: 'secret-0123456789',
            privateKey: PRIVATE_KEY,
            merchantId: 'M_1',
            logger: false,
            http: recording,
          }),
        }),
      ],
    })
      .overrideProvider(Settings)
      .useValue(settings)
      .compile();
    const client = moduleRef.get(NetzmeClient);
    expect(client).toBeInstanceOf(NetzmeClient);
    const res = await client.getBalanceDetail();
    expect(res.responseCode).toBe('2001100');
    expect(fake.tokenRequests).toBe(1);
    expect(seen).toEqual([`POST ${fake.url}/api/v1/access-token/b2b`, `POST ${fake.url}/api/v1.0/payment/balance-inquiry`]);
    await moduleRef.close();
  });

  it("transport 'nestjs-axios' carries the calls through the HttpModule's HttpService", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        NetzmeClientModule.forRoot({
          transport: 'nestjs-axios',
          imports: [HttpModule.register({ headers: { 'X-From-HttpModule': 'yes' } })],
          ...fakeNetzmeOptions(),
        }),
      ],
    }).compile();
    const res = await moduleRef.get(NetzmeClient).getBalanceDetail();
    expect(res.responseCode).toBe('2001100');
    expect(fake.requests.map((r) => `${r.url} ${String(r.headers['x-from-httpmodule'])}`)).toEqual([
      '/api/v1/access-token/b2b yes',
      '/api/v1.0/payment/balance-inquiry yes',
    ]);
    await moduleRef.close();
  });

  it('refuses an unknown transport, and a transport chosen twice (module option and `http` sender), with the fix in the message', async () => {
    expect(() => NetzmeClientModule.forRootAsync({ useFactory: () => ({}) as never, transport: 'fetch' as never })).toThrow(
      /unknown transport 'fetch' \(expected 'undici' or 'nestjs-axios'\)/,
    );
    await expect(
      Test.createTestingModule({
        imports: [
          NetzmeClientModule.forRoot({
            transport: 'nestjs-axios',
            imports: [HttpModule],
            http: undiciSender(),
            ...fakeNetzmeOptions(),
          }),
        ],
      }).compile(),
    ).rejects.toThrow(/both choose how requests travel; keep one/);
  });
});
