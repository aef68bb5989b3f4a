// Embedding (issue 6 §5): the docs page public/embed.html shows each snippet working — the
// <layerlab-playground> element (public/embed.js) with the Dockerfile as its text, the same
// with a <textarea> (heredocs), and a plain iframe of `?embed#/?s=…`. Each iframe shows the
// app in embed mode (no top bar, the editor and its problems) and lints its Dockerfile; typing
// in it relints. Under the docs page's strict CSP, with no request leaving the local server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parsed, rowTexts, withBrowser } from "./harness.mjs";

/** The embedded app inside the iframe matched by `selector` (shadow roots are pierced). */
async function embeddedApp(page, selector) {
  const handle = await page.waitForSelector(selector, { timeout: 60_000 });
  await page.waitForFunction((frame) => frame.src.includes("?embed#/?s="), handle, { timeout: 30_000 });
  const frame = await handle.contentFrame();
  assert.ok(frame, `${selector} has a frame`);
  await frame.waitForSelector('[data-testid="embedded"]', { timeout: 60_000 });
  await parsed(frame);
  return frame;
}

test("the embed docs page renders every snippet and each iframe lints its Dockerfile", { timeout: 240_000 }, async () => {
  await withBrowser(async ({ server, page, guard }) => {
    await page.goto(`${server.url}embed.html`);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-inline/);

    // 1. The element: its indented text, dedented, is the Dockerfile.
    const element = await embeddedApp(page, '[data-testid="example-element"] iframe');
    assert.equal(await element.locator(".topbar, [data-testid='view-tab']").count(), 0, "no app chrome in embed mode");
    assert.equal(await element.getByTestId("editor").inputValue(),
      "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD node server.js\n");
    const elementFindings = await rowTexts(element, "diagnostic");
    assert.ok(elementFindings.some((row) => row.includes("DL3025")), `DL3025 for the shell-form CMD: ${JSON.stringify(elementFindings)}`);

    // Typing in the embedded editor relints.
    const editor = element.getByTestId("editor");
    await editor.fill("");
    await editor.pressSequentially("FROM ubuntu\nRUN apt-get install curl", { delay: 5 });
    await parsed(element);
    const typed = await rowTexts(element, "diagnostic");
    assert.ok(typed.some((row) => row.includes("DL3006")), `DL3006 after typing: ${JSON.stringify(typed)}`);
    assert.ok(!typed.some((row) => row.includes("DL3025")), "the old findings are gone");

    // 2. The element with a <textarea>: the heredoc arrives intact.
    const heredoc = await embeddedApp(page, '[data-testid="example-heredoc"] iframe');
    assert.match(await heredoc.getByTestId("editor").inputValue(), /^FROM debian:12\nRUN <<EOF\napt-get update\n/);
    const heredocFindings = await rowTexts(heredoc, "diagnostic");
    assert.ok(heredocFindings.some((row) => row.includes("DL3015")), `DL3015 inside the heredoc: ${JSON.stringify(heredocFindings)}`);
    const box = await page.locator('[data-testid="example-heredoc"] iframe').boundingBox();
    assert.equal(Math.round(box.height), 360, "the height attribute sizes the iframe");

    // 3. The plain iframe of a share link with ?embed.
    const plain = await embeddedApp(page, '[data-testid="example-iframe"]');
    assert.equal(await plain.getByTestId("editor").inputValue(), "FROM alpine\nRUN apk add curl\n");
    const plainFindings = await rowTexts(plain, "diagnostic");
    assert.ok(plainFindings.some((row) => row.includes("DL3018")), `DL3018: ${JSON.stringify(plainFindings)}`);

    // The element keeps its Dockerfile as text in the page (not drawn: the shadow root shows
    // only the iframe).
    assert.match(await page.locator('[data-testid="example-element"]').textContent(), /FROM node:20/);
    guard.check();
  });
});
