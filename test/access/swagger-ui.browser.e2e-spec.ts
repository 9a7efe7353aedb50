import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import request from 'supertest';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { ADMIN_KEY, startTestGateway, TestGateway } from '../support/gateway';
import { sandboxEnv, startTestSandbox } from '../support/sandbox';

/**
 * Swagger UI in a real browser (issue 20): Debian's Chromium driven by playwright-core, as an admin
 * works: sign in (production), Authorize with an admin key, create an order through "Try it out",
 * then open it by id, refresh it and read its history. In CI (CI=true) it never skips; elsewhere it
 * skips only when /usr/bin/chromium is missing (`.ci/run` installs it with apt-get).
 */
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run); this test is never skipped in CI`);
}
/** Where the screenshot goes: docs/swagger-ui.png when refreshing it (UPDATE_SCREENSHOT=1), otherwise a temp file. */
const SCREENSHOT =
  process.env.UPDATE_SCREENSHOT === '1' ? join(__dirname, '..', '..', 'docs', 'swagger-ui.png') : join(tmpdir(), `swagger-ui-${process.pid}.png`);

(available ? describe : describe.skip)('Swagger UI in Chromium', () => {
  let sandbox: StartedSandbox;
  let gw: TestGateway;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    gw = await startTestGateway({ netzme: sandboxEnv(sandbox), env: { NODE_ENV: 'production', NETZME_TIMEOUT_MS: '15000' } });
    profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      // The production sign-in: HTTP Basic, any user name, an admin key as the password.
      httpCredentials: { username: 'admin', password: ADMIN_KEY },
      viewport: { width: 1280, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await gw?.close();
    await sandbox?.close();
  });

  /** Expand an operation, press "Try it out", fill it, Execute, and read the live answer. */
  async function tryItOut(operationId: string, fill: (op: Locator) => Promise<void>): Promise<{ status: number; body: Record<string, unknown> | unknown[] }> {
    const op = page.locator(`[id$="-${operationId}"]`).first();
    await op.scrollIntoViewIfNeeded();
    if (!(await op.locator('.opblock-body').isVisible())) {
      await op.locator('.opblock-summary').first().click();
    }
    const tryOut = op.locator('button.try-out__btn');
    if ((await tryOut.textContent())?.includes('Try it out')) {
      await tryOut.click();
    }
    await fill(op);
    await op.locator('button.execute').click();
    const status = op.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    const text = (await op.locator('.live-responses-table .response-col_description pre').first().textContent()) ?? '';
    return { status: Number((await status.textContent())?.trim()), body: JSON.parse(text) as Record<string, unknown> };
  }

  it('signs in, authorizes with an admin key, creates an order and opens, refreshes and traces it', async () => {
    // Production: nothing without signing in (the browser context sends the Basic credentials).
    expect((await request(gw.url).get('/docs/')).status).toBe(401);
    const docs = await page.goto(`${gw.url}/docs`);
    expect(docs?.status()).toBe(200);
    await page.locator('.swagger-ui .info .title').waitFor();
    // The tags in the order an admin needs them, Netzme's receivers last.
    const tags = await page.locator('.opblock-tag-section h3 .nostyle span').allTextContents();
    expect(tags[0]).toBe('Orders');
    expect(tags[tags.length - 1]).toBe('Netzme callbacks');

    // Authorize: the bearer scheme, with the admin key.
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('input[type="text"], input[type="password"]').first().fill(ADMIN_KEY);
    await dialog.locator('button.authorize').click();
    await dialog.locator('button.btn-done').click();

    const merchantOrderId = `UI-${Date.now()}`;
    const created = await tryItOut('OrdersController_create', async (op) => {
      await op
        .locator('textarea.body-param__text')
        .fill(JSON.stringify({ merchantOrderId, amount: '15000.00', description: 'Swagger UI test order' }, null, 2));
    });
    // 201, or 202 (UNKNOWN, resolved in the background) if the sandbox was slower than the timeout.
    expect([201, 202]).toContain(created.status);
    const order = created.body as { id: string; merchantOrderId: string; status: string };
    expect(order.merchantOrderId).toBe(merchantOrderId);
    expect(['PENDING', 'UNKNOWN']).toContain(order.status);

    const byId = await tryItOut('OrdersController_get', (op) => op.locator('input[placeholder="id"]').fill(order.id));
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: order.id, merchantOrderId });

    const refreshed = await tryItOut('OrdersController_refresh', (op) => op.locator('input[placeholder="id"]').fill(order.id));
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ id: order.id });

    const history = await tryItOut('OrdersController_history', (op) => op.locator('input[placeholder="id"]').fill(order.id));
    expect(history.status).toBe(200);
    expect(Array.isArray(history.body) && history.body.length).toBeGreaterThan(0);

    await page.locator('[id$="-OrdersController_history"]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
  }, 180_000);
});
