// The query page as a person uses it, in headless Chromium: open it, pick a question from the
// query library, run it with YASGUI's run button, read the result table.
//
//   node tests/browser/query-page.mjs URL SCREENSHOT.png
//
// Chromium is the system's (env CHROMIUM, default /usr/bin/chromium); puppeteer-core downloads
// none. Fails (exit 1, one line saying why) when the page's title or heading is wrong, the
// default query is flagged by the editor, the example does not load or run, the table has fewer
// than 5 rows or no "Russia", any request goes to another host than the page's own, or the
// console shows an error. Prints one line on success and leaves the screenshot either way.

import { Failure, args, check, open } from "./chromium.mjs";

const [url, screenshot] = args("query-page.mjs", "URL");

const origin = new URL(url).origin;
const requests = []; // every request the page made: { method, url }
const errors = []; // console errors and uncaught exceptions

let browser;
let page;
let summary;
try {
  [browser, page] = await open(1280, 900);
  page.on("request", (request) => requests.push({ method: request.method(), url: request.url() }));
  page.on("console", (message) => {
    if (message.type() === "error") {
      const where = message.location()?.url;
      errors.push(`console: ${message.text()}${where ? ` (${where})` : ""}`);
    }
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));

  const response = await page.goto(url, { waitUntil: "load" });
  check(response && response.ok(), `GET ${url}: status ${response && response.status()}`);

  // The page itself.
  const title = await page.title();
  check(/ffkg/i.test(title), `title ${JSON.stringify(title)} does not name ffkg`);
  const heading = await page.$eval("h1", (h) => h.textContent.trim()).catch(() => "");
  check(/ffkg/i.test(heading), `heading ${JSON.stringify(heading)} does not name ffkg`);
  const lang = await page.$eval("html", (html) => html.lang);
  check(lang === "en", `<html lang> is ${JSON.stringify(lang)}, not "en"`);
  const links = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
  check(links.includes("/query"), "no link to the plain form at /query");
  check(links.includes("/sparql"), "no link to the service description at /sparql");

  // YASGUI is up, with the default query, which the editor does not flag (the endpoint's
  // prefixes are declared for it even without PREFIX lines).
  await page.waitForSelector(".yasqe .CodeMirror");
  await page.waitForSelector(".yasqe_queryButton");
  const start = await page.$eval(".yasqe_queryButton", (b) => b.className);
  check(
    !/query_error/.test(start),
    "the editor flags the default query as an error (are the prefixes preset?)"
  );
  const tabs = await page.$$eval(".yasgui .tabsList .tab", (ts) => ts.length);
  check(tabs === 1, `YASGUI opened with ${tabs} tabs, not one`);

  // Autocompletion where YASQE's stock completers would ask lov.linkeddata.es (a class after
  // `a`, a property): typed, with Ctrl-Space. Any fetch shows up below as a request or, blocked
  // by the page's Content-Security-Policy, as a console error.
  await page.click(".yasqe .CodeMirror");
  await page.keyboard.down("Control");
  await page.keyboard.press("a");
  await page.keyboard.up("Control");
  for (const text of ["SELECT * WHERE { ?s a foaf:Pers", " ; foaf:na"]) {
    await page.keyboard.type(text);
    await page.keyboard.down("Control");
    await page.keyboard.press("Space");
    await page.keyboard.up("Control");
    await new Promise((resolve) => setTimeout(resolve, 400));
    await page.keyboard.press("Escape");
  }

  // The query library: top-countries, or else a query about countries.
  const config = await page.$eval("#ffkg-config", (s) => JSON.parse(s.textContent));
  const examples = config.examples || [];
  const example =
    examples.find((e) => e.name === "top-countries") ||
    examples.find((e) => /ff:Country/.test(e.query) && /\?country\b/.test(e.query));
  check(example, `the config offers no country query among ${examples.length} examples`);
  await page.waitForSelector(`#ffkg-example option[value="${example.name}"]`);
  await page.select("#ffkg-example", example.name);
  const loaded = await page.$eval(".yasqe .CodeMirror", (cm) => cm.CodeMirror.getValue());
  check(
    loaded.trim() === example.query.trim(),
    `choosing "${example.name}" did not load its query into the editor`
  );

  // Run it with the run button, by POST to the endpoint, and wait for the table.
  const posted = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/sparql"
  );
  await page.click(".yasqe_queryButton");
  const answer = await posted;
  check(answer.ok(), `POST /sparql answered ${answer.status()}: ${await answer.text()}`);
  await page.waitForFunction(
    () => document.querySelectorAll(".yasr table.dataTable tbody tr").length > 0
  );
  const rows = await page.$$eval(".yasr table.dataTable tbody tr", (trs) =>
    trs.map((tr) => tr.innerText.replace(/\s+/g, " ").trim())
  );
  check(rows.length >= 5, `the table has ${rows.length} rows, fewer than 5: ${rows.join(" | ")}`);
  check(
    rows.some((row) => row.includes("Russia")),
    `no row names Russia: ${rows.join(" | ")}`
  );

  // Nothing but this origin (data: and blob: URLs are the page's own).
  const elsewhere = requests.filter((r) => {
    const u = new URL(r.url);
    return u.protocol !== "data:" && u.protocol !== "blob:" && u.origin !== origin;
  });
  check(
    elsewhere.length === 0,
    `requests to other hosts: ${elsewhere.map((r) => `${r.method} ${r.url}`).join(", ")}`
  );
  check(errors.length === 0, `console errors: ${errors.join("; ")}`);

  summary =
    `ok: ${url} ran "${example.name}" by POST: ${rows.length} rows (first: ${rows[0]}); ` +
    `${requests.length} requests, all to ${origin}; no console errors; screenshot ${screenshot}`;
} catch (error) {
  // A check's own message, or the first line of what went wrong (the stack with DEBUG set).
  const message =
    error instanceof Failure || !process.env.DEBUG
      ? String(error.message || error).split("\n")[0]
      : error.stack;
  console.error(`query-page: FAIL: ${message}`);
  if (errors.length && !(error instanceof Failure && /console errors/.test(error.message))) {
    console.error(`query-page: console errors as well: ${errors.join("; ")}`);
  }
  process.exitCode = 1;
} finally {
  if (page) await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  if (browser) await browser.close().catch(() => {});
}
if (summary) console.log(summary);
