/**
 * Headless Chromium for page tests: Debian's `chromium` (CHROMIUM_PATH overrides), driven by
 * playwright-core, with a fresh profile and no background networking (this machine's network is closed).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { chromium, type BrowserContext, type Page } from "playwright-core";

import { PROJECT_ROOT } from "./processes.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const profile = await mkdtemp(path.join(tmpdir(), "chromium-profile-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Where page tests save their screenshots. */
export const SCREENSHOTS = path.join(PROJECT_ROOT, "test-output", "screenshots");

export interface PageSession<S extends { url: string; close(): Promise<void> }> {
  service: S;
  browser: BrowserContext;
  /** A fresh page on the service's `/`, for each test. */
  page: Page;
}

/**
 * The mocha hooks of a page test: `start` (the service, and whatever else the tests need) and Chromium once;
 * a fresh page on the service's `/` for each test, closed after it; Chromium and the service closed at the end.
 */
export function pageTests<S extends { url: string; close(): Promise<void> }>(start: () => Promise<S>): PageSession<S> {
  const session = {} as PageSession<S>;
  before(async function () {
    session.service = await start();
    await mkdir(SCREENSHOTS, { recursive: true });
    session.browser = await launchChromium();
  });
  beforeEach(async function () {
    session.page = await session.browser.newPage();
    await session.page.goto(`${session.service.url}/`);
  });
  afterEach(async function () {
    await session.page.close();
  });
  after(async function () {
    await session.browser?.close();
    await session.service?.close();
  });
  return session;
}
