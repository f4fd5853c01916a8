// Lighthouse on a list of pages, one after another, in one Chromium that is already running
// (tests/e2e/test_lighthouse.py starts it and the portal). One Node process for every page:
// Lighthouse's start-up and configuration cost seconds, paid once.
//
// Usage: node tests/e2e/lighthouse.mjs DEBUGGING_PORT PAGES.json
//   PAGES.json: [{"url": "...", "cookies": [{"name": "sessionid", "value": "..."}]}, ...]
// Prints a JSON list: per page its category scores, key metrics and what fell short.
//
// Each page starts with the browser's cookies it names and no other: Chromium drops an extra
// Cookie header (Lighthouse's extraHeaders) once its own jar holds a cookie for the site, and
// Lighthouse's storage reset leaves cookies alone.
import { readFileSync } from "node:fs";
import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const [port, pagesFile] = process.argv.slice(2);
const pages = JSON.parse(readFileSync(pagesFile, "utf8"));
const categories = ["performance", "accessibility", "best-practices"];
const metrics = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
  "total-byte-weight",
];

const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
const cdp = await browser.target().createCDPSession();
const results = [];
for (const page of pages) {
  // A busy machine now and then loses the page load's trace (NO_NAVSTART): that run has no
  // result at all, so it is run again, up to three times.
  let lhr;
  for (let attempt = 0; attempt < 3 && (!lhr || lhr.runtimeError); attempt++) {
    await cdp.send("Storage.clearCookies");
    if (page.cookies?.length) {
      const cookies = page.cookies.map((c) => ({ ...c, url: new URL("/", page.url).href }));
      await cdp.send("Storage.setCookies", { cookies });
    }
    const runner = await lighthouse(page.url, {
      port: Number(port),
      output: "json",
      logLevel: "error",
      onlyCategories: categories,
      // Neither counts in a score; both take seconds per page.
      disableFullPageScreenshot: true,
      skipAudits: ["bf-cache", "screenshot-thumbnails", "final-screenshot"],
    });
    lhr = runner.lhr;
  }
  const shortfalls = [];
  for (const id of categories) {
    for (const ref of lhr.categories[id].auditRefs) {
      const audit = lhr.audits[ref.id];
      const counts = ref.weight > 0 || id !== "performance";
      if (counts && audit.score !== null && audit.score < 1) {
        shortfalls.push({
          category: id,
          id: ref.id,
          title: audit.title,
          score: audit.score,
          value: audit.displayValue || "",
          items: (audit.details?.items || []).slice(0, 5).map((item) =>
            JSON.stringify(item.node?.snippet || item.url || item.source || item.description || item).slice(0, 200),
          ),
        });
      }
    }
  }
  results.push({
    url: page.url,
    final_url: lhr.finalDisplayedUrl,
    runtime_error: lhr.runtimeError?.message || null,
    scores: Object.fromEntries(categories.map((id) => [id, lhr.categories[id].score])),
    metrics: Object.fromEntries(metrics.map((id) => [id, lhr.audits[id].numericValue])),
    shortfalls,
  });
}
await browser.disconnect();
process.stdout.write(JSON.stringify(results));
