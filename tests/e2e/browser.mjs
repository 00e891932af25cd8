// Debian's Chromium driven by playwright-core; never a downloaded browser.
import { chromium } from 'playwright-core';

export const BASE = process.env.TEST_BASE_URL || 'http://127.0.0.1:18888';

// Playwright gives every launch a fresh temporary profile of its own.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  return {
    browser,
    async close() { await browser.close(); },
  };
}

// A new context (its own cookies) logged in through the real form.
export async function staffPage(browser, username, password) {
  const context = await browser.newContext({ baseURL: BASE, locale: 'vi-VN' });
  const page = await context.newPage();
  await page.goto('/dang-nhap');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
  return page;
}
