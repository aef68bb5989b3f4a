// Times the image explorer in Chromium (issue 4 §10): for each archive, the time from handing
// the File to the worker until the layer list is on the page (and the indexing time inside
// the worker), then the scan: uncompressed tar bytes per second for the whole image (the
// layers are spread over `scan_workers` workers, each scanning one layer at a time), and the
// image worker's wasm memory afterwards.
// The worker is warmed up on a small fixture first, so its start-up is not counted.
// Usage (after a release build into LAYERLAB_DIST):
//   node tests/e2e/image_bench.mjs [--no-verify] [--one-worker] WARMUP.tar ARCHIVE.tar [...]
// --no-verify turns the explorer's "Verify digests" off (no SHA-256), as dive reads images.
// --one-worker refuses the scan workers' script, so the image worker scans every layer
// itself: one worker, one core, which gives the per-core rate.
import { fileURLToPath } from "node:url";
import { statSync } from "node:fs";
import { basename } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

const DIST = process.env.LAYERLAB_DIST ?? fileURLToPath(new URL("../../dist", import.meta.url));
const CHROMIUM = process.env.LAYERLAB_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

const FLAGS = ["--no-verify", "--one-worker"];
const noVerify = process.argv.includes("--no-verify");
const oneWorker = process.argv.includes("--one-worker");
const [warmup, ...archives] = process.argv.slice(2).filter((arg) => !FLAGS.includes(arg));
if (!warmup || archives.length === 0) {
  console.error("usage: node image_bench.mjs [--no-verify] [--one-worker] WARMUP.tar ARCHIVE.tar [...]");
  process.exit(2);
}
const LOADER = "/image_worker_loader.js";
const server = await serve(DIST, oneWorker
  ? { refuse: (path, requests) => path === LOADER && requests.filter((r) => r === path).length > 1 }
  : {});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
try {
  // No service worker: its background precache would compete for the cores, and would be
  // the first to fetch the worker script that --one-worker counts.
  const page = await (await browser.newContext({ serviceWorkers: "block" })).newPage();
  await page.goto(`${server.url}#/image`);
  if (noVerify) {
    await page.getByTestId("verify-digests").uncheck();
  }
  const open = async (path) => {
    await page.getByTestId("image-input").setInputFiles(path);
    const plan = page.getByTestId("plan-time");
    await plan.waitFor({ timeout: 120_000 });
    const planned = {
      layer_list_ms: Number(await plan.getAttribute("data-ms")),
      indexing_in_worker_ms: Number(await plan.getAttribute("data-worker-ms")),
    };
    await page.waitForSelector('[data-testid="image-summary"][data-slot="0"][data-state="done"]', { timeout: 1_800_000 });
    const speed = page.getByTestId("scan-speed");
    const ms = Number(await speed.getAttribute("data-ms"));
    const bytes = Number(await speed.getAttribute("data-tar-bytes"));
    return {
      archive: basename(path),
      verify: !noVerify,
      archive_mb: +(statSync(path).size / 1e6).toFixed(1),
      layers: await page.getByTestId("layer-row").count(),
      ...planned,
      scan_ms: Math.round(ms),
      tar_mb: +(bytes / 1e6).toFixed(1),
      tar_mb_per_s: +(bytes / 1e6 / (ms / 1000)).toFixed(1),
      scan_workers: Number(await speed.getAttribute("data-workers")),
      worker_memory_mb: +(Number(await speed.getAttribute("data-memory-bytes")) / 1e6).toFixed(1),
      scan_worker_memory_mb: +(Number(await speed.getAttribute("data-scan-worker-memory-bytes")) / 1e6).toFixed(1),
    };
  };
  await open(warmup);
  for (const archive of archives) {
    console.log(JSON.stringify(await open(archive)));
  }
} finally {
  await browser.close();
  await server.close();
}
