import { testCredentials } from '../../../netzme-sandbox/src/sandbox';
import { loadGatewaySettings } from './gateway.settings';

const NETZME = {
  NETZME_BASE_URL: 'http://127.0.0.1:9',
  NETZME_CLIENT_ID: 'Client',
  NETZME_CLIENT_SECRET: '0'.repeat(32),
  NETZME_PRIVATE_KEY: testCredentials().privateKey,
  NETZME_CALLBACK_TOKEN: 'c'.repeat(32),
  NETZME_MERCHANT_ID: 'M_TEST1',
};

describe('database timeouts (DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS)', () => {
  it('default to 5 s to get a connection and 20 s per statement', () => {
    expect(loadGatewaySettings(NETZME).databaseTimeouts).toEqual({ connectMs: 5000, statementMs: 20_000 });
    expect(loadGatewaySettings({ ...NETZME, DATABASE_CONNECT_TIMEOUT_MS: '1500', DATABASE_STATEMENT_TIMEOUT_MS: '30000' }).databaseTimeouts).toEqual({
      connectMs: 1500,
      statementMs: 30_000,
    });
  });

  it("refuse a statement timeout that a replica waiting for another one's Netzme token request would hit", () => {
    expect(() => loadGatewaySettings({ ...NETZME, NETZME_TIMEOUT_MS: '20000' })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS \(20000\) must be greater than NETZME_TIMEOUT_MS \(20000\)/,
    );
  });

  it('refuse values that are not whole milliseconds in range', () => {
    expect(() => loadGatewaySettings({ ...NETZME, DATABASE_CONNECT_TIMEOUT_MS: 'soon' })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS/);
    expect(() => loadGatewaySettings({ ...NETZME, DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  });
});
