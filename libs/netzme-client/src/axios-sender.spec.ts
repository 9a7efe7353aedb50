import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { readKey } from '../../snap/test/vectors';
import { FakeNetzme } from '../test/fake-netzme';
import { axiosSender } from './axios-sender';
import { NetzmeError } from './errors';
import { NetzmeClient } from './netzme-client';

const PRIVATE_KEY = readKey('test-keys/partner-private.pem');
const PUBLIC_KEY = readKey('test-keys/partner-public.pem');
const CLIENT_ID = 'TokoNetmeClientId';
const SECRET = 'f013bc2810be469790dc99773c08812e';

/** The axios sender against a local stand-in: what a user's own axios defaults cannot change. */
describe('axiosSender', () => {
  let fake: FakeNetzme;

  beforeEach(async () => {
    fake = await new FakeNetzme({ clientId: CLIENT_ID, clientSecret: SECRET, publicKey: PUBLIC_KEY }).start();
  });
  afterEach(() => fake.close());

  const client = (http: HttpService, timeoutMs = 5_000) =>
    new NetzmeClient({
      baseUrl: fake.url,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      privateKey: PRIVATE_KEY,
      merchantId: 'M_TB1NMLig',
      timeoutMs,
      logger: false,
      http: axiosSender(http),
    });

  it("an axios `timeout` from the user's HttpModule config on a money call is a TIMEOUT with an unknown outcome, not retried", async () => {
    const c = client(new HttpService(axios.create({ timeout: 300 })));
    await c.getAccessToken();
    fake.script.push({ kind: 'hang' });
    const err = await c.createInvoiceTransaction({ partnerReferenceNo: 'ORDER-1', amount: '1000.00', payMethod: 'QRIS' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetzmeError);
    expect(err).toMatchObject({ category: 'TIMEOUT', outcome: 'unknown', sent: true, networkCode: 'ECONNABORTED', attempts: 1 });
    expect(fake.requests.filter((r) => r.url.includes('create-transaction'))).toHaveLength(1);
  });

  it("a user's strict validateStatus and parsing transformResponse do not apply: a 409 is read as text and classified", async () => {
    // Defaults a user may well have: a JSON-parsing transformResponse and a strict validateStatus.
    const instance = axios.create({ validateStatus: (s) => s < 300, transformResponse: [(d: string) => ({ parsed: d })] });
    const c = client(new HttpService(instance));
    fake.script.push({ kind: 'reply', status: 409, body: '{"responseCode":"4094701","responseMessage":"Duplicate partnerReferenceNo"}', raw: true });
    const err = await c.createInvoiceTransaction({ partnerReferenceNo: 'ORDER-2', amount: '1000.00', payMethod: 'QRIS' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ category: 'DUPLICATE_REFERENCE', outcome: 'definite', httpStatus: 409, responseCode: '4094701' });
  });

  it("a user's transformRequest does not touch the signed body: the bytes sent are the bytes signed", async () => {
    // e.g. a default that pretty-prints or stamps every JSON body: it would break the signature.
    const instance = axios.create({ transformRequest: [(d: unknown) => (typeof d === 'string' ? JSON.stringify({ ...JSON.parse(d), stamped: 'yes' }) : d)] });
    const c = client(new HttpService(instance));
    const res = await c.createInvoiceTransaction({ partnerReferenceNo: 'ORDER-3', amount: '1000.00', payMethod: 'QRIS' });
    // The stand-in verified the HMAC over the received body.
    expect(res.responseCode).toBe('2004700');
    const sent = fake.requests.find((r) => r.url.includes('create-transaction'))!;
    expect(sent.body).toBe(
      '{"custIdMerchant":"M_TB1NMLig","partnerReferenceNo":"ORDER-3","amount":{"value":"1000.00","currency":"IDR"},"amountDetail":{"basicAmount":{"value":"1000.00","currency":"IDR"},"shippingAmount":{"value":"0.00","currency":"IDR"}},"payMethod":"QRIS"}',
    );
  });
});
