// End-to-end test of the built playground (dist/) in headless Chromium, driven by
// playwright-core. Run by `cargo xtask test`; by hand after `cargo xtask dist`:
//   cd tests/e2e && npm ci && node --test
// LAYERLAB_DIST (default ../../dist) and LAYERLAB_CHROMIUM (default /usr/bin/chromium) set
// where things are; LAYERLAB_E2E_SCREENSHOT=path.png saves a picture of the final page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { ARGS, CHROMIUM, DIST, parsed, rowTexts } from "./harness.mjs";

const BROKEN = `FROM alpine:3.20 AS build
RUN echo hi
ONBUILD ONBUILD RUN x
COPY onlyone`;

test("edits are parsed in the worker and shown as outline and problems", { timeout: 180_000 }, async () => {
  const server = await serve(DIST);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();

    const seen = [];
    const failed = [];
    const problems = [];
    context.on("request", (request) => seen.push(request.url()));
    page.on("request", (request) => seen.push(request.url()));
    page.on("requestfailed", (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.url()}: HTTP ${response.status()}`);
    });
    // A CSP violation, a panic or a failed load shows up here.
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page: ${error.message}`));
    page.on("worker", (worker) => worker.on("console", (message) => {
      if (message.type() === "error") problems.push(`worker console: ${message.text()}`);
    }));

    await page.goto(server.url);

    // The sample is parsed on start.
    await page.waitForSelector('[data-testid="outline-item"]', { timeout: 60_000 });
    await parsed(page);
    const sample = await rowTexts(page, "outline-item");
    assert.ok(sample.length > 5, `the sample's outline: ${JSON.stringify(sample)}`);
    assert.match(sample[0], /^ARG line 2\b/);
    assert.deepEqual(await rowTexts(page, "diagnostic"), [], "the sample has no problems");

    // Replace it by typing, key by key, a Dockerfile with mistakes.
    const editor = page.getByTestId("editor");
    await editor.fill("");
    await editor.pressSequentially(BROKEN, { delay: 15 });
    assert.equal(await editor.inputValue(), BROKEN);
    await parsed(page);

    const outline = await rowTexts(page, "outline-item");
    assert.equal(outline.length, 4, JSON.stringify(outline));
    const expected = [
      ["FROM", 1],
      ["RUN", 2],
      ["ONBUILD", 3],
      ["COPY", 4],
    ];
    expected.forEach(([keyword, line], i) => {
      assert.match(outline[i], new RegExp(`^${keyword} line ${line}\\b`), `outline row ${i}`);
    });
    assert.match(outline[0], /alpine:3\.20 AS build/);

    const diagnostics = await rowTexts(page, "diagnostic");
    const copy = diagnostics.findIndex((text) => text.includes("COPY requires at least two arguments"));
    assert.ok(copy >= 0, `a COPY diagnostic among ${JSON.stringify(diagnostics)}`);
    assert.match(diagnostics[copy], /\bline 4\b/);

    // Clicking a problem selects its range in the editor.
    await page.getByTestId("diagnostic").nth(copy).click();
    const selection = await editor.evaluate((area) => ({
      focused: document.activeElement === area,
      line: area.value.slice(0, area.selectionStart).split("\n").length,
      start: area.selectionStart,
      end: area.selectionEnd,
    }));
    assert.ok(selection.focused, "the editor has focus");
    assert.equal(selection.line, 4, `selection ${JSON.stringify(selection)}`);

    // Clicking an outline row selects the instruction's lines.
    await page.getByTestId("outline-item").nth(1).click();
    const selected = await editor.evaluate((area) => area.value.slice(area.selectionStart, area.selectionEnd));
    assert.equal(selected, "RUN echo hi");

    // Everything came from our server, and it was all there.
    assert.ok(seen.length > 0);
    const elsewhere = seen.filter((url) => !url.startsWith(server.url));
    assert.deepEqual(elsewhere, [], "requests to anywhere but the local server");
    assert.deepEqual(failed, [], "failed requests");
    assert.ok(server.requests.includes("/worker_bg.wasm"), `the parser ran in the worker: ${server.requests}`);
    assert.deepEqual(problems, [], "errors in the console");

    // No inline script, and the CSP is in place.
    assert.equal(await page.locator("script:not([src])").count(), 0, "inline scripts");
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);

    if (process.env.LAYERLAB_E2E_SCREENSHOT) {
      await page.screenshot({ path: process.env.LAYERLAB_E2E_SCREENSHOT, fullPage: true });
    }
  } finally {
    await browser.close();
    await server.close();
  }
});
