// The single-file build (issue 6 §6): `cargo xtask dist --single-file` writes the whole app as
// one HTML file (xtask/src/single_file.rs). Opened from disk (file://) in Chromium it must
// lint as you type, start its on-demand workers (cache simulation, image explorer) from the
// page itself, and request nothing — no http(s), not even a second file.
// `cargo xtask test` writes dist/layerlab.html before the end-to-end tests; by hand:
//   cargo xtask dist --single-file && cd tests/e2e && node --test single_file.test.mjs
// LAYERLAB_SINGLE_FILE names another file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, parsed, rowTexts, twoLayerImage, withBrowser } from "./harness.mjs";

const SINGLE_FILE = process.env.LAYERLAB_SINGLE_FILE ?? join(DIST, "layerlab.html");

const DOCKERFILE = `FROM alpine
RUN apk add curl
COPY onlyone`;

const missing = existsSync(SINGLE_FILE)
  ? false
  : `SKIPPED: ${SINGLE_FILE} does not exist — run \`cargo xtask dist --single-file\` first`;
if (missing) console.warn(`\n*** single_file.test.mjs ${missing} ***\n`);

test("the single HTML file works from disk and requests nothing", { timeout: 240_000, skip: missing }, async () => {
  await withBrowser(async ({ page, guard }) => {
    const pageUrl = pathToFileURL(SINGLE_FILE).href;
    const workers = [];
    page.on("worker", (worker) => workers.push(worker.url()));
    await page.goto(pageUrl);

    // Its own CSP: inline code allowed by hash only, no network source at all.
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(csp, /default-src 'none'/);
    // blob: for the image view, which the file hands over as a Blob URL of its own content.
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+' blob: 'wasm-unsafe-eval'/);
    assert.match(csp, /worker-src blob:/);
    assert.doesNotMatch(csp, /unsafe-inline|connect-src|'self'|https?:/);
    assert.equal(await page.locator("script[src], link[rel=stylesheet]").count(), 0, "no external scripts or styles");

    // Lint as you type, in the parser worker started from a Blob URL.
    const editor = page.getByTestId("editor");
    await editor.waitFor({ timeout: 60_000 });
    await parsed(page);
    await editor.fill("");
    await editor.pressSequentially(DOCKERFILE, { delay: 5 });
    await parsed(page);
    const findings = await rowTexts(page, "diagnostic");
    assert.ok(findings.some((row) => row.includes("DL3006")), `DL3006 (untagged FROM): ${JSON.stringify(findings)}`);
    assert.ok(findings.some((row) => row.includes("DL3018")), `DL3018 (unpinned apk add): ${JSON.stringify(findings)}`);

    // The cache simulator's worker is inside the file too.
    await page.getByTestId("sim-open").click();
    await page.waitForSelector('[data-testid="sim-step"]', { timeout: 60_000 });
    assert.ok(await page.getByTestId("sim-step").count() >= 3, "a step per instruction");

    // And the image explorer's, with its layers scanned by scan workers the image worker
    // starts from a Blob URL it makes of its own script (the page hands it over: the page's
    // Blob URLs cannot be used there).
    await page.evaluate(() => { location.hash = "#/image"; });
    await page.getByTestId("image-input").setInputFiles(twoLayerImage());
    await page.waitForSelector('[data-testid="image-summary"][data-slot="0"][data-state="done"]', { timeout: 60_000 });
    assert.equal(await page.getByTestId("layer-row").count(), 2, "the test image's layers");
    const scanWorkers = Number(await page.getByTestId("scan-speed").getAttribute("data-workers"));
    assert.ok(scanWorkers > 1, `scanned by ${scanWorkers} workers`);

    // Nothing but the file itself (and the Blob URLs it makes) was requested.
    const others = guard.seen.filter((url) => url !== pageUrl && !url.startsWith("blob:") && !url.startsWith("data:"));
    assert.deepEqual(others, [], "requests other than the page and its own blob:/data: URLs");
    // Parser, simulator and image workers, each started from a Blob URL.
    assert.ok(workers.length >= 3 && workers.every((url) => url.startsWith("blob:")),
      `workers from Blob URLs: ${workers}`);
    guard.check();
  }, { serveDist: false });
});
