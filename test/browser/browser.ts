import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
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
  return page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })) })))`);
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

// The Nu HTML checker (W3C), run offline from the vnu-jar package over the HTML the server sent.

const VNU_JAR = path.join(process.cwd(), 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

/**
 * The Nu checker needs Java. Without it the check is skipped with a note — except in CI
 * (ATELIER_REQUIRE_BROWSER=1), where .ci/run installs default-jre-headless and a missing Java fails.
 */
export function javaAvailable(): boolean {
  const found = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.ATELIER_REQUIRE_BROWSER === '1')
    throw new Error('Java is required for the Nu HTML checker but `java` was not found (apt-get install default-jre-headless)');
  if (!found) process.stderr.write('Nu HTML check skipped: no `java` on PATH (apt-get install default-jre-headless)\n');
  return found;
}

/** The HTML of each page a walk checked, as the server sent it, by screenshot name. */
const documents = new Map<string, string>();
const lastDocument = new WeakMap<Page, Promise<string | null>>();

/**
 * Keeps the body of the last HTML document each page received (redirects have none), so that
 * check() can hand the server's own HTML — not the browser's re-serialised DOM — to the Nu checker.
 */
export function trackDocuments(page: Page): void {
  page.on('response', (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    if (response.status() >= 300 && response.status() < 400) return;
    if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) return;
    lastDocument.set(
      page,
      response.text().catch(() => null),
    );
  });
}

export interface NuMessage {
  page: string;
  line?: number;
  message: string;
  extract?: string;
}

/** Runs the Nu checker once over every page checked so far in this file; returns its errors. */
export function nuErrors(): NuMessage[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-nu-'));
  try {
    for (const [name, html] of documents) fs.writeFileSync(path.join(dir, `${name}.html`), html);
    const run = spawnSync('java', ['-Xss8m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--exit-zero-always', dir], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`The Nu checker did not run: ${run.stderr || run.error}`);
    const out = JSON.parse(run.stderr || run.stdout) as { messages: { type: string; url?: string; lastLine?: number; message: string; extract?: string }[] };
    return out.messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error')
      .map((m) => ({ page: path.basename(m.url ?? '', '.html'), line: m.lastLine, message: m.message, extract: m.extract }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** How many pages this file's walks have handed to the Nu checker so far. */
export function nuPageCount(): number {
  return documents.size;
}

/**
 * axe-core on the page as it is, a screenshot, and no violations expected; the page's HTML is
 * kept for the Nu checker (one Java run per test file, see nuErrors()).
 */
export async function check(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  const html = await lastDocument.get(page);
  if (html) documents.set(name, html);
  const violations = await axe(page);
  await screenshot(page, name);
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

/**
 * The last test of a browser file: every page its walks checked passes the Nu HTML checker.
 * Skipped with a note when Java is missing (failing instead in CI, see javaAvailable()).
 */
export function itPassesTheNuChecker(minimumPages: number): void {
  it('every page the walk visited passes the Nu HTML checker (W3C)', () => {
    if (!javaAvailable()) return;
    expect(nuPageCount()).toBeGreaterThanOrEqual(minimumPages);
    expect(nuErrors()).toEqual([]);
  }, 120_000);
}

export async function signInAs(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/dashboard`);
}
