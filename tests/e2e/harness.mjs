// Shared set-up for the end-to-end tests of issue 6 §2, §4–§6 (simulate, share, offline,
// embed): Chromium as in playground.test.mjs, with the same guards — every request goes to
// the local server (or is a file:, data: or blob: URL of the page itself), none fails, and
// nothing is logged as an error (a CSP violation, a panic or a failed load shows up there).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

export const DIST = process.env.LAYERLAB_DIST ?? fileURLToPath(new URL("../../dist", import.meta.url));
export const CHROMIUM = process.env.LAYERLAB_CHROMIUM ?? "/usr/bin/chromium";
// No sandbox (we run as root in CI), and none of Chromium's own calls home: this machine's
// network is closed, and the tests assert that the page talks to nobody but its server.
export const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Path of a 24 MiB OCI archive of two layers (made by make_two_layer_image.py, once per test
 * process): large enough that the image explorer scans it with scan workers, which it does not
 * start for small images such as the shared fixtures.
 */
export function twoLayerImage() {
  const path = join(tmpdir(), `layerlab-e2e-two-layers-${process.pid}.tar`);
  if (!twoLayerImage.made) {
    execFileSync("python3", [fileURLToPath(new URL("./make_two_layer_image.py", import.meta.url)), path]);
    twoLayerImage.made = true;
  }
  return path;
}

/** Starts the server and the browser; `run({ server, browser, context, page, guard })`. */
export async function withBrowser(run, { serveDist = true, contextOptions = {}, server: custom } = {}) {
  const server = custom ?? (serveDist ? await serve(DIST) : null);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext(contextOptions);
    const guard = watch(context, server);
    const page = await context.newPage();
    guard.attach(page);
    await run({ server, browser, context, page, guard });
  } finally {
    await browser.close();
    if (server) await server.close();
  }
}

/** Records requests and errors of a context; `guard.check()` asserts there were none amiss. */
function watch(context, server) {
  const seen = [];
  const failed = [];
  const problems = [];
  context.on("request", (request) => seen.push(request.url()));
  const guard = {
    seen,
    failed,
    problems,
    /** Expected failures (e.g. while offline) are filtered by the test itself. */
    attach(page) {
      page.on("requestfailed", (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
      page.on("response", (response) => {
        if (response.status() >= 400) failed.push(`${response.url()}: HTTP ${response.status()}`);
      });
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page: ${error.message}`));
      page.on("worker", (worker) => worker.on("console", (message) => {
        if (message.type() === "error") problems.push(`worker console: ${message.text()}`);
      }));
    },
    check({ allowFailed = () => false } = {}) {
      const local = (url) =>
        (server && url.startsWith(server.url)) || /^(file|data|blob):/.test(url);
      assert.deepEqual(seen.filter((url) => !local(url)), [], "requests to anywhere but the page's own files");
      assert.deepEqual(failed.filter((f) => !allowFailed(f)), [], "failed requests");
      assert.deepEqual(problems, [], "errors in the console");
    },
  };
  return guard;
}

/** Waits until the editor's report belongs to the text in the editor. */
export const parsed = (page) =>
  page.waitForSelector('[data-testid="status"][data-state="idle"]', { timeout: 60_000 });

export const rowTexts = (page, testid) =>
  page.$$eval(`[data-testid="${testid}"]`, (rows) => rows.map((row) => row.textContent));

/** The page has no inline script and its CSP allows only its own files. */
export async function assertCsp(page) {
  assert.equal(await page.locator("script:not([src])").count(), 0, "inline scripts");
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
}

/** Like server.mjs, plus a switch that makes the network fail: while `unplugged`, every
 *  connection is cut before an answer (as when the machine goes offline), and counted. */
export async function serveUnpluggable(root) {
  const state = { refused: [], unplugged: false };
  const cut = (path) => state.unplugged && state.refused.push(path) > 0;
  return Object.assign(state, await serve(root, { cut }));
}
