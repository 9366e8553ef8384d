// A resource's page as a person reaches it, in headless Chromium: open a country's IRI on the
// endpoint (a 303 to its page), follow the link to one of its figures, and read the figure's
// value, quote and citation.
//
//   node tests/browser/resource-page.mjs BASE SCREENSHOT.png
//
// Fails (exit 1, one line saying why) when a page's heading or language is wrong, the link is
// missing, the figure page lacks its quote or "Cite this", the page has an image without alt
// text, any request goes to another host, or the console shows an error. The screenshot is of
// the figure's page.

import { args, check, open } from "./chromium.mjs";

const [base, screenshot] = args("resource-page.mjs", "BASE");

const origin = new URL(base).origin;
const requests = [];
const errors = [];
let browser;
let page;
let summary;
try {
  [browser, page] = await open(1100, 900);
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));

  const country = `${base}/id/country/RUS`;
  const response = await page.goto(country, { waitUntil: "load" });
  check(response && response.ok(), `GET ${country}: status ${response && response.status()}`);
  check(page.url().endsWith("/id/country/RUS.html"), `the IRI led to ${page.url()}, not its page`);
  const heading = await page.$eval("h1", (h) => h.textContent.trim());
  check(heading === "Russia", `the country page's heading is ${JSON.stringify(heading)}`);
  check((await page.$eval("html", (h) => h.lang)) === "en", "the page has no lang=en");

  const figure = 'a[href="/id/figure/soufan-2017-rus-foreign-fighters"]';
  check(await page.$(figure), "the country page does not link to its Soufan 2017 figure");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(figure)]);
  const title = await page.$eval("h1", (h) => h.textContent.trim());
  check(/Russia: foreign fighters/.test(title), `the figure page's heading is ${JSON.stringify(title)}`);
  const text = await page.$eval("main", (m) => m.innerText);
  check(text.includes("3,417"), "the figure page does not show the printed value 3,417");
  check(await page.$("blockquote"), "the figure page shows no quote");
  check(/Cite this/.test(text), "the figure page has no Cite this");
  const unlabelled = await page.$$eval("img:not([alt])", (imgs) => imgs.length);
  check(unlabelled === 0, `${unlabelled} images without alt text`);

  const elsewhere = requests.filter((u) => new URL(u).origin !== origin);
  check(elsewhere.length === 0, `requests to other hosts: ${elsewhere.join(", ")}`);
  check(errors.length === 0, `console errors: ${errors.join("; ")}`);
  summary = `ok: ${country} → ${page.url()} (“${title}”); ${requests.length} requests, all to ${origin}`;
} catch (error) {
  console.error(`resource-page: FAIL: ${String(error.message || error).split("\n")[0]}`);
  process.exitCode = 1;
} finally {
  if (page) await page.screenshot({ path: screenshot, fullPage: false }).catch(() => {});
  if (browser) await browser.close().catch(() => {});
}
if (summary) console.log(summary);
