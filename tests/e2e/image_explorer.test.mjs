// End-to-end test of the image explorer (#/image, issue 6 §3) in headless Chromium: opens the
// shared fixture archives through the file input and checks the layer list, the digest
// statuses, dive's efficiency, a setuid finding, the text viewer and a diff of two images.
// The image worker must start only when an image is opened, and nothing may leave the page.
// The layers of a large enough image are scanned by several scan workers (copies of the image
// worker), with the same result as when the image worker scans them alone (scan workers that
// cannot start); a small image is scanned by the image worker alone.
// Fixtures: $LAYERLAB_SHARED/fixtures/images, else ../shared/fixtures/images beside the repo.
//   cd tests/e2e && LAYERLAB_DIST=../../dist node --test image_explorer.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DIST, twoLayerImage, withBrowser } from "./harness.mjs";
import { serve } from "./server.mjs";

const SHARED = process.env.LAYERLAB_SHARED ?? fileURLToPath(new URL("../../../shared", import.meta.url));
const IMAGES = join(SHARED, "fixtures", "images");
// No service worker: it precaches every worker for offline use in the background, and these
// tests check what the page itself fetches (offline.test.mjs covers the cache).
const NO_SERVICE_WORKER = { contextOptions: { serviceWorkers: "block" } };

function fixture(name) {
  const path = join(IMAGES, name);
  if (!existsSync(path)) {
    throw new Error(`\n\n*** The image fixture ${path} is missing.\n*** Set LAYERLAB_SHARED to the shared folder.\n`);
  }
  return path;
}

const attr = (page, selector, name) =>
  page.$$eval(selector, (nodes, name) => nodes.map((node) => node.getAttribute(name)), name);

test("the image explorer analyses an archive in its worker and compares two", { timeout: 240_000 }, async () => {
  const oci = fixture("demo.oci.tar");
  const docker = fixture("demo.docker.tar");
  await withBrowser(async ({ server, page, guard }) => {
    await page.goto(`${server.url}#/image`);
    await page.getByTestId("image-input").waitFor({ timeout: 60_000 });
    const tab = page.locator('[data-testid="view-tab"][aria-current="page"]');
    assert.equal((await tab.textContent()).trim(), "Image explorer");
    // The first load does not fetch the image worker.
    await page.waitForTimeout(300);
    assert.deepEqual(server.requests.filter((path) => path.includes("image_worker")), [],
      "the image worker is fetched only when an image is opened");

    // One image: the layer list, then the report.
    await page.getByTestId("image-input").setInputFiles(oci);
    await page.waitForSelector('[data-testid="image-summary"][data-slot="0"][data-state="done"]', { timeout: 60_000 });
    assert.ok(server.requests.includes("/image_worker_bg.wasm"), `the analysis ran in the image worker: ${server.requests}`);

    const layers = await page.$$eval('[data-testid="layer-row"]', (rows) => rows.map((row) => row.textContent));
    assert.equal(layers.length, 4, JSON.stringify(layers));
    assert.match(layers[0], /ADD rootfs \//);
    assert.match(layers[0], /sha256:faf0b334c659/);
    assert.deepEqual(await attr(page, '[data-testid="layer-row"]', "data-digest-status"), ["ok", "ok", "ok", "ok"]);
    const planTime = Number(await page.getByTestId("plan-time").getAttribute("data-ms"));
    assert.ok(planTime >= 0, "the layer list's time is shown");

    // dive's numbers, exactly as the fixture's expected.json has them.
    const efficiency = await page.getByTestId("dive-efficiency").getAttribute("data-value");
    assert.match(efficiency, /^0\.4348916562431/);
    assert.match(await page.getByTestId("dive-efficiency").textContent(), /^0\.4349 \(43\.49%\)/);
    assert.match(await page.getByTestId("reclaimable").textContent(), /\(614469 B\)/);

    // Insights: the setuid binary, a secret, packages.
    const setuid = await page.$$eval('[data-testid="finding"][data-kind="setuid"]', (rows) => rows.map((r) => r.textContent));
    assert.ok(setuid.some((text) => text.includes("usr/bin/tool")), JSON.stringify(setuid));
    assert.ok(await page.locator('[data-testid="finding"][data-kind="secret-path"]').count() >= 2);
    assert.ok((await page.getByTestId("package").allTextContents()).some((t) => t.includes("busybox")));

    // The tree starts closed, sorted by size: the biggest top-level directory first.
    const top = await attr(page, '[data-testid="file-row"]', "data-path");
    const sizes = (await attr(page, '[data-testid="file-row"]', "data-size")).map(Number);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), `largest first: ${top} ${sizes}`);
    assert.equal(top[0], "big", JSON.stringify(top));
    assert.ok(!top.includes("app/config.txt"), "directories start closed");
    // Opening a directory with the keyboard.
    await page.locator('[data-testid="file-row"][data-path="app"] button').focus();
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="file-row"][data-path="app/config.txt"]').waitFor();
    assert.equal(await page.locator('[data-testid="file-row"][data-path="app/config.txt"]').getAttribute("data-mark"), "modified");

    // The text viewer re-reads that file's layer.
    await page.locator('[data-testid="file-row"][data-path="app/config.txt"] button').click();
    const viewer = page.getByTestId("file-viewer");
    await viewer.waitFor({ timeout: 30_000 });
    assert.equal(await viewer.textContent(), "v2 config\n");

    // Search is flat and finds deep paths.
    await page.getByTestId("file-filter").fill("passwd");
    assert.deepEqual(await attr(page, '[data-testid="file-row"]', "data-path"), ["etc/passwd"]);
    await page.getByTestId("file-filter").fill("");

    // One layer's changes, with removals marked.
    await page.locator('[data-testid="layer-row"][data-index="1"] button').click();
    await page.getByTestId("file-filter").fill("file2");
    assert.deepEqual(await attr(page, '[data-testid="file-row"]', "data-mark"), ["removed"]);
    await page.getByTestId("file-filter").fill("");

    // Two images: the same image in OCI and docker formats has no changes.
    await page.getByTestId("image-input").setInputFiles([oci, docker]);
    await page.waitForSelector('[data-testid="image-summary"][data-slot="1"][data-state="done"]', { timeout: 60_000 });
    const summary = page.getByTestId("diff-summary");
    await summary.waitFor({ timeout: 30_000 });
    assert.equal(await summary.getAttribute("data-changes"), "0", await summary.textContent());
    assert.match(await summary.textContent(), /4 shared layers/);

    // Everything came from our server, and all of it was there; file names stayed text.
    guard.check();
    if (process.env.LAYERLAB_E2E_SCREENSHOT) {
      await page.screenshot({ path: process.env.LAYERLAB_E2E_SCREENSHOT, fullPage: true });
    }
  }, NO_SERVICE_WORKER);
});

test("every shared fixture archive opens with its layers and a known file", { timeout: 300_000 }, async () => {
  const archives = readdirSync(IMAGES).filter((name) => name.endsWith(".tar")).sort();
  assert.ok(archives.length >= 6, `the image fixtures look incomplete: ${archives}`);
  await withBrowser(async ({ server, context, guard }) => {
    for (const name of archives) {
      const expected = JSON.parse(readFileSync(join(IMAGES, `${name}.expected.json`), "utf8"));
      // The explorer picks linux/amd64 first: the first image in index order here.
      const image = expected.images.find((i) => i.architecture === "amd64") ?? expected.images[0];
      const page = await context.newPage();
      guard.attach(page);
      await page.goto(`${server.url}#/image`);
      await page.getByTestId("image-input").setInputFiles(fixture(name));
      await page.waitForSelector('[data-testid="image-summary"][data-slot="0"][data-state="done"]', { timeout: 60_000 });
      const layers = await page.locator('[data-testid="layer-row"]').count();
      assert.equal(layers, image.layer_count, `${name}: layer rows`);
      // Each is about 1 MB: scanned by the image worker alone (no scan workers to start).
      const workers = Number(await page.getByTestId("scan-speed").getAttribute("data-workers"));
      assert.equal(workers, 1, `${name}: its layers are scanned by ${workers} workers`);
      await page.getByTestId("file-filter").fill("passwd");
      assert.deepEqual(await attr(page, '[data-testid="file-row"]', "data-path"), ["etc/passwd"], `${name}: a known file`);
      await page.close();
    }
    guard.check();
  }, NO_SERVICE_WORKER);
});

/** What the explorer shows of one analysed image, for comparing two runs. */
async function analysed(page) {
  const texts = (testid) => page.$$eval(`[data-testid="${testid}"]`, (rows) => rows.map((row) => row.textContent));
  const result = {
    layers: await texts("layer-row"),
    digestStatuses: await attr(page, '[data-testid="layer-row"]', "data-digest-status"),
    efficiency: await page.getByTestId("dive-efficiency").getAttribute("data-value"),
    reclaimable: await page.getByTestId("reclaimable").textContent(),
    findings: (await texts("finding")).sort(),
    packages: (await texts("package")).sort(),
    tree: await attr(page, '[data-testid="file-row"]', "data-path"),
    tarBytes: await page.getByTestId("scan-speed").getAttribute("data-tar-bytes"),
  };
  await page.getByTestId("file-filter").fill("passwd");
  result.passwd = await attr(page, '[data-testid="file-row"]', "data-path");
  await page.getByTestId("file-filter").fill("");
  return result;
}

async function openAndAnalyse(page, server, path, { verify = true } = {}) {
  await page.goto(`${server.url}#/image`);
  if (!verify) {
    await page.getByTestId("verify-digests").uncheck();
  }
  await page.getByTestId("image-input").setInputFiles(path);
  await page.waitForSelector('[data-testid="image-summary"][data-slot="0"][data-state="done"]', { timeout: 60_000 });
  const speed = page.getByTestId("scan-speed");
  return {
    workers: Number(await speed.getAttribute("data-workers")),
    summary: await speed.textContent(),
    scanWorkerMemory: Number(await speed.getAttribute("data-scan-worker-memory-bytes")),
    ...(await analysed(page)),
  };
}

test("several scan workers read the layers, with the same result as the image worker alone", { timeout: 240_000 }, async () => {
  const path = twoLayerImage();
  // Several workers: even where Chromium reports two cores there are two (scan_pool.rs).
  let parallel, small;
  await withBrowser(async ({ server, page, guard }) => {
    parallel = await openAndAnalyse(page, server, path);
    const loaders = server.requests.filter((p) => p === "/image_worker_loader.js").length;
    assert.ok(loaders >= 3, `the image worker and its scan workers, all from one script: ${server.requests}`);
    // A small image is scanned by the image worker alone: starting scan workers would take
    // longer than its whole scan.
    await page.goto("about:blank");
    small = await openAndAnalyse(page, server, fixture("demo.oci.tar"));
    guard.check();
  }, NO_SERVICE_WORKER);
  assert.ok(parallel.workers > 1, `scanned by ${parallel.workers} workers: ${parallel.summary}`);
  assert.match(parallel.summary, new RegExp(`by ${parallel.workers} workers`));
  assert.equal(small.workers, 1, small.summary);

  // Scan workers that cannot start (their script is refused): the image worker scans every
  // layer itself, as it did before there were scan workers.
  const refusing = await serve(DIST, {
    refuse: (p, requests) => p === "/image_worker_loader.js" && requests.filter((r) => r === p).length > 1,
  });
  let alone;
  await withBrowser(async ({ page, guard }) => {
    alone = await openAndAnalyse(page, refusing, path);
    // The refused scripts show as failed requests (HTTP 404, or net::ERR_FAILED for a worker).
    guard.check({ allowFailed: (f) => f.includes("/image_worker_loader.js:") });
  }, { ...NO_SERVICE_WORKER, server: refusing });
  assert.equal(alone.workers, 1, alone.summary);
  assert.match(alone.summary, /by 1 worker;/);

  // The same analysis either way, and what make_two_layer_image.py wrote.
  const { workers: _a, summary: _b, scanWorkerMemory: parallelMemory, ...parallelResult } = parallel;
  const { workers: _c, summary: _d, scanWorkerMemory: aloneMemory, ...aloneResult } = alone;
  assert.deepEqual(parallelResult, aloneResult);
  // The summary tells the scan workers' memory too (they are gone once the scan is done).
  assert.ok(parallelMemory > 0 && aloneMemory === 0, `${parallelMemory} ${aloneMemory}`);
  assert.match(parallel.summary, /each scan worker up to/);
  assert.equal(parallel.layers.length, 2);
  assert.deepEqual(parallel.digestStatuses, ["ok", "ok"]);
  assert.deepEqual(parallel.passwd, ["etc/passwd"]);
  assert.match(parallel.layers[1], /COPY app \/app/);
});

test("scan workers that never start are given up after 20 s and the image worker scans alone", { timeout: 180_000 }, async () => {
  const path = twoLayerImage();
  // The scan workers' script request hangs: no error event ever comes, only silence.
  const stalling = await serve(DIST, {
    stall: (p, requests) => p === "/image_worker_loader.js" && requests.filter((r) => r === p).length > 1,
  });
  let stalled;
  await withBrowser(async ({ page, guard }) => {
    const started = Date.now();
    stalled = await openAndAnalyse(page, stalling, path);
    const waited = Date.now() - started;
    assert.ok(waited >= 19_000, `the image worker waited for its scan workers first (${waited} ms)`);
    // The stopped workers' hanging requests end as aborted.
    guard.check({ allowFailed: (f) => f.includes("/image_worker_loader.js:") });
  }, { ...NO_SERVICE_WORKER, server: stalling });
  assert.equal(stalled.workers, 1, stalled.summary);
  assert.equal(stalled.layers.length, 2);
  assert.deepEqual(stalled.digestStatuses, ["ok", "ok"]);
  assert.deepEqual(stalled.passwd, ["etc/passwd"]);
});

test("with 'Verify digests' off every layer is unchecked and the rest of the analysis is the same", { timeout: 240_000 }, async () => {
  const path = twoLayerImage();
  let verified, unverified, again;
  await withBrowser(async ({ server, page, guard }) => {
    verified = await openAndAnalyse(page, server, path);
    await page.goto("about:blank"); // a fresh page: the checkbox starts on
    unverified = await openAndAnalyse(page, server, path, { verify: false });
    // The choice holds for the next image opened in the same page, until it is turned back on.
    await page.getByTestId("image-input").setInputFiles(fixture("demo.docker.tar"));
    await page.waitForSelector('[data-testid="image-summary"][data-slot="0"][data-state="done"]', { timeout: 60_000 });
    assert.deepEqual([...new Set(await attr(page, '[data-testid="layer-row"]', "data-digest-status"))], ["unchecked"]);
    await page.getByTestId("verify-digests").check();
    await page.getByTestId("image-input").setInputFiles(path);
    await page.waitForSelector('[data-testid="image-summary"][data-slot="0"][data-state="done"]', { timeout: 60_000 });
    again = await analysed(page);
    guard.check();
  }, NO_SERVICE_WORKER);
  assert.ok(unverified.workers > 1, `scan workers were told too: ${unverified.summary}`);
  assert.deepEqual(verified.digestStatuses, Array(verified.layers.length).fill("ok"));
  assert.deepEqual(unverified.digestStatuses, Array(verified.layers.length).fill("unchecked"));
  // The same rows, but for the status each shows.
  const withoutStatus = ({ workers: _w, summary: _s, scanWorkerMemory: _m, digestStatuses, layers, ...rest }) => ({
    ...rest,
    layers: layers.map((row, i) => row.replace(digestStatuses[i], "")),
  });
  assert.deepEqual(withoutStatus(unverified), withoutStatus(verified));
  assert.deepEqual(again.digestStatuses, verified.digestStatuses);
});
