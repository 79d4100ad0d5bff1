import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests run wherever Chromium is installed (Debian's package). Without it they are
 * skipped with a note — except in CI (ATELIER_REQUIRE_BROWSER=1), where a missing browser fails.
 */
export function browserAvailable(): boolean {
  const found = fs.existsSync(CHROMIUM);
  if (!found && process.env.ATELIER_REQUIRE_BROWSER === '1') throw new Error(`Chromium is required but not found at ${CHROMIUM}`);
  if (!found) process.stderr.write(`Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)\n`);
  return found;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

const AXE_SOURCE = fs.readFileSync(path.join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the page as it is. It is evaluated through the DevTools protocol, so the
 * page's strict Content-Security-Policy stays on while it runs.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })) })))`) as Promise<AxeViolation[]>;
}

export const ARTIFACTS = path.join(process.cwd(), 'test-artifacts');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A test app with the demo data, listening on a free port, and a browser to drive it. */
export interface BrowserRig {
  t: import('../utils/create-test-app').TestApp;
  browser: Browser;
  base: string;
}

export async function startRig(): Promise<BrowserRig> {
  const { createTestApp } = await import('../utils/create-test-app');
  const { seedDemo } = await import('../../src/seed/demo-seed');
  const t = await createTestApp();
  await seedDemo(t.db);
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as import('node:net').AddressInfo).port}`;
  return { t, browser: await launch(), base };
}

export async function stopRig(rig: BrowserRig | undefined): Promise<void> {
  await rig?.browser.close();
  await rig?.t.close();
}

/** axe-core on the page as it is, a screenshot, and no violations expected. */
export async function check(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  const violations = await axe(page);
  await screenshot(page, name);
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

export async function signInAs(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/dashboard`);
}
