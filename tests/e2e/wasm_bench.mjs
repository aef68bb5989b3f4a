// Times the wasm core inside Chromium: for a sample of corpus files, the editor gets the file
// and the worker reports how long `analyze` (parse + every lint rule) took, measured inside the
// worker with performance.now(). Prints {files, median_ms, p90_ms} for the README's table.
// Usage (after `cargo xtask dist`): node tests/e2e/wasm_bench.mjs CORPUS_DIR [SAMPLE]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

const DIST = process.env.LAYERLAB_DIST ?? fileURLToPath(new URL("../../dist", import.meta.url));
const CHROMIUM = process.env.LAYERLAB_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

const [corpus, sampleArg] = process.argv.slice(2);
const names = readdirSync(corpus).filter((n) => n !== "MANIFEST.tsv").sort();
const size = Number(sampleArg ?? 60);
const step = Math.max(1, Math.floor(names.length / size));
const sample = names.filter((_, i) => i % step === 0).slice(0, size);

const server = await serve(DIST);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  const idle = () => page.waitForSelector('[data-testid="status"][data-state="idle"]', { timeout: 30_000 });
  await idle();
  const times = [];
  for (const name of sample) {
    const text = readFileSync(join(corpus, name), "utf8");
    await page.getByTestId("editor").fill(text);
    await page.waitForTimeout(150);
    await idle();
    const status = await page.getByTestId("status").textContent();
    const match = /([0-9.]+) ms/.exec(status ?? "");
    if (match) times.push(Number(match[1]));
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(JSON.stringify({ files: times.length, median_ms: at(0.5), p90_ms: at(0.9) }));
} finally {
  await browser.close();
  server.close();
}
