// What the browser scripts share: their arguments, a failing check, and Debian's Chromium
// (env CHROMIUM, default /usr/bin/chromium) launched headless by puppeteer-core, which
// downloads none.

import puppeteer from "puppeteer-core";

export const timeout = 30_000;

export class Failure extends Error {}

export function check(condition, message) {
  if (!condition) throw new Failure(message);
}

/// The script's two arguments (a URL and a screenshot's path), or exit 2 with its usage.
export function args(script, what) {
  const [url, screenshot] = process.argv.slice(2);
  if (!url || !screenshot) {
    console.error(`usage: node ${script} ${what} SCREENSHOT.png`);
    process.exit(2);
  }
  return [url, screenshot];
}

/// Chromium in its new headless mode, and a page with the timeout and a viewport.
export async function open(width, height) {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // headless: true is Chromium's new headless mode (--headless=new).
    headless: true,
    args: ["--no-sandbox", "--headless=new"],
    timeout,
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  await page.setViewport({ width, height });
  return [browser, page];
}
