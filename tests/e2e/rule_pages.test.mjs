// The rules' documentation pages (`layerlab rules --site dist`, run by `cargo xtask dist`):
// the catalogue opens, links to each rule's page, and a rule page opens directly at the path
// the findings' `url` names (`rules/CODE/`), with its own stylesheet, under its CSP, with no
// request leaving the server. Only relative links: served from a sub-folder, it still works.
//   cd tests/e2e && npm ci && node --test rule_pages.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { ARGS, CHROMIUM, DIST } from "./harness.mjs";


test("rule pages open from the catalogue and directly, from a sub-folder too", { timeout: 120_000 }, async () => {
  // Serve the site one folder down, as a host serving it at a path would.
  const root = await mkdtemp(join(tmpdir(), "layerlab-rules-"));
  await cp(join(DIST, "rules"), join(root, "app", "rules"), { recursive: true });
  const server = await serve(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const page = await browser.newPage();
    const problems = [];
    const seen = [];
    page.on("request", (request) => seen.push(request.url()));
    // A CSP violation or a failed load shows up here (the browser's own /favicon.ico probe,
    // which the pages do not ask for, aside).
    page.on("console", (message) => {
      if (message.type() === "error" && !/status of 404/.test(message.text())) problems.push(message.text());
    });
    page.on("response", (response) => {
      if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) {
        problems.push(`${response.url()}: HTTP ${response.status()}`);
      }
    });

    // Directly, at the path a finding's url names.
    await page.goto(`${server.url}app/rules/DL3008/`);
    assert.equal(await page.textContent("h1"), "DL3008");
    assert.match(await page.textContent('[data-testid="bad"]'), /apt-get install/);
    const css = await page.$eval("body", (body) => getComputedStyle(body).maxWidth);
    assert.notEqual(css, "none", "the page's stylesheet applies");

    // From the catalogue, by its link.
    await page.goto(`${server.url}app/rules/`);
    const links = await page.$$eval("td a", (as) => as.map((a) => a.getAttribute("href")));
    assert.ok(links.length > 100, `catalogue links: ${links.length}`);
    await page.click('a[href="SC2086/"]');
    await page.waitForURL(/\/app\/rules\/SC2086\/$/);
    assert.equal(await page.textContent("h1"), "SC2086");

    assert.deepEqual(problems, []);
    const foreign = seen.filter((url) => !url.startsWith(server.url));
    assert.deepEqual(foreign, [], "nothing leaves the server");
  } finally {
    await browser.close();
    await server.close();
  }
});
