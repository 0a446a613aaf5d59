import fs from 'fs';
import path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { ensureTool, repoRoot } from '../infra/tools';
import type { ApiClient } from './api-client';
import { SystemSetup, useSystem } from './system-under-test';

/** Where the browser suites leave their screenshots (CI keeps the folder). */
export const screenshotDir = path.join(repoRoot, 'artifacts/screenshots');
export const DESKTOP = { width: 1280, height: 900 };

export const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });

/**
 * useSystem with the Next.js client, and one headless Chromium for the file, closed at its end: a person in a
 * real browser, through the client and the gateway.
 */
export const useBrowser = (system: SystemSetup = {}) => {
  let browser: Browser | undefined;
  const sut = useSystem({
    startTimeoutMs: 300_000,
    system: { client: true, expirationWindowSeconds: 300, ...system },
    connect: async ({ closeAtEnd }) => {
      fs.mkdirSync(screenshotDir, { recursive: true });
      browser = closeAtEnd(
        await chromium.launch({
          executablePath: ensureTool('chromium'),
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
        }),
      );
    },
  });

  /** A browser context of its own (no cookie shared with another), on the system's gateway. */
  const newContext = (viewport = DESKTOP) => {
    if (!browser) throw new Error('useBrowser: the browser starts in beforeAll');
    return browser.newContext({ viewport, baseURL: sut.system.url });
  };

  /** A page signed in as `user` (the API client's session cookies, handed to the browser), or signed out without one. */
  const pageAs = async (user?: ApiClient, viewport = DESKTOP) => {
    const context = await newContext(viewport);
    const pairs = user ? user.cookieHeader.split('; ').filter(Boolean) : [];
    const cookies = pairs.map((pair) => ({
      name: pair.slice(0, pair.indexOf('=')),
      value: pair.slice(pair.indexOf('=') + 1),
      url: sut.system.url,
    }));
    await context.addCookies(cookies);
    return context.newPage();
  };

  return { sut, newContext, pageAs };
};
