// Offline (issue 6 §6): after one visit the service worker has the app cached; with the
// network off the page reloads, parses and lints, and the simulator still starts. Run after
// `cargo xtask dist`: cd tests/e2e && node --test offline.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { DIST, assertCsp, parsed, rowTexts, serveUnpluggable, withBrowser } from "./harness.mjs";

test("after one visit the app reloads and lints with the network off", { timeout: 240_000 }, async () => {
  const unpluggable = await serveUnpluggable(DIST);
  await withBrowser(async ({ server, context, page, guard }) => {
    await page.goto(server.url);
    await parsed(page);
    // The service worker has installed (precached the app) and controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
      }
    });
    const before = server.requests.length;

    // The network goes away: the browser is offline, and the server answers nothing.
    server.unplugged = true;
    await context.setOffline(true);
    await page.reload();
    await parsed(page);
    const editor = page.getByTestId("editor");
    await editor.fill("FROM ubuntu\nCOPY onlyone\n");
    await parsed(page);
    const diagnostics = await rowTexts(page, "diagnostic");
    assert.ok(diagnostics.some((text) => text.includes("DL3006")), JSON.stringify(diagnostics));
    assert.ok(diagnostics.some((text) => /COPY requires at least two arguments/.test(text)), JSON.stringify(diagnostics));

    // The simulator was never opened online, and is cached all the same.
    await page.getByTestId("sim-open").click();
    await page.waitForSelector('[data-testid="sim-step"]', { state: "attached", timeout: 60_000 });

    assert.equal(server.requests.length, before, `nothing was served while offline: ${server.requests.slice(before)}`);
    await assertCsp(page);
    // While offline, requests fail by design (the service worker tries the network first).
    guard.check({ allowFailed: () => true });
  }, { server: unpluggable });
});
