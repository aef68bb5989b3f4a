// Share links (issue 6 §4): the link carries the Dockerfile and the simulation scenario in the
// URL hash (compressed); opening it in a fresh browser restores them, and the server never
// sees the payload (a hash is not sent). Run after `cargo xtask dist`:
//   cd tests/e2e && node --test share.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertCsp, parsed, rowTexts, withBrowser } from "./harness.mjs";

const DOCKERFILE = `FROM alpine:3.20 AS build
WORKDIR /src
COPY app.sh ./
RUN sh app.sh > out.txt

FROM scratch
COPY --from=build /src/out.txt /
`;

test("a share link restores the Dockerfile and the scenario", { timeout: 240_000 }, async () => {
  let link;
  await withBrowser(async ({ server, page, guard }) => {
    await page.goto(server.url);
    await parsed(page);
    await page.getByTestId("editor").fill(DOCKERFILE);
    await parsed(page);

    await page.getByTestId("sim-open").click();
    await page.waitForSelector('[data-testid="sim-step"]', { timeout: 60_000 });
    await page.getByTestId("sim-add-file").click();
    const added = page.locator('[data-testid="sim-file"][data-path="new-file-1.txt"]');
    await added.getByTestId("sim-file-path").fill("app.sh");
    await added.getByTestId("sim-file-path").press("Enter");
    const file = page.locator('[data-testid="sim-file"][data-path="app.sh"]');
    await file.getByTestId("sim-file-change").selectOption("edited");
    await page.getByTestId("sim-assume-tags").check();
    await page.waitForSelector('[data-testid="sim-step"][data-line="3"][data-status="rebuilt"]',
      { state: "attached", timeout: 60_000 });

    await page.getByTestId("share-link").click();
    link = await page.getByTestId("share-url").inputValue();
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#\/\?s=[A-Za-z0-9_-]+$/);
    assert.equal(page.url(), link, "the address bar holds the link too");
    assert.ok(link.length < 2000, `a short link: ${link.length} characters`);
    assert.ok(!server.requests.some((path) => path.includes("s=")), "the payload never reaches the server");
    guard.check();
  });

  // A new browser: nothing but the link.
  await withBrowser(async ({ server, page, guard }) => {
    const port = new URL(link).port;
    // Same files, new server: point the link at it.
    await page.goto(link.replace(`:${port}/`, `:${new URL(server.url).port}/`));
    await parsed(page);
    assert.equal(await page.getByTestId("editor").inputValue(), DOCKERFILE);
    const outline = await rowTexts(page, "outline-item");
    assert.equal(outline.length, 6, JSON.stringify(outline));
    // The scenario: the panel opens by itself, with the file, its toggle and the option.
    await page.waitForSelector('[data-testid="sim-step"][data-line="3"][data-status="rebuilt"]',
      { state: "attached", timeout: 60_000 });
    const file = page.locator('[data-testid="sim-file"][data-path="app.sh"]');
    assert.equal(await file.getByTestId("sim-file-change").inputValue(), "edited");
    assert.ok(await page.getByTestId("sim-assume-tags").isChecked());
    assert.match(await page.locator('[data-testid="sim-step"][data-line="3"]').getByTestId("sim-reason").textContent(), /app\.sh/);
    await assertCsp(page);
    guard.check();
  }, { contextOptions: { serviceWorkers: "block" } });
});

test("a damaged share link says so and opens the sample", { timeout: 120_000 }, async () => {
  await withBrowser(async ({ server, page, guard }) => {
    await page.goto(`${server.url}#/?s=AAAA`);
    await parsed(page);
    assert.match(await page.getByTestId("share-error").textContent(), /could not be opened/);
    assert.match(await page.getByTestId("editor").inputValue(), /^# syntax=docker\/dockerfile:1/);
    guard.check();
  }, { contextOptions: { serviceWorkers: "block" } });
});
