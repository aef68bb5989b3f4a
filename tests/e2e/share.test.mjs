// Share links (issue 6 §4): the link carries the Dockerfile, the rule settings and the
// simulation scenario in the URL hash (compressed); opening it in a fresh browser restores
// them, and the server never sees the payload (a hash is not sent). Run after `cargo xtask dist`:
//   cd tests/e2e && node --test share.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateRawSync } from "node:zlib";
import { assertCsp, parsed, rowTexts, withBrowser } from "./harness.mjs";

/** The same link on `server` (same files, new server, new port). */
const relink = (link, server) => new URL(new URL(link).hash, server.url).href;

/** The JSON a link carries: raw DEFLATE in base64url. */
const payload = (link) =>
  JSON.parse(inflateRawSync(Buffer.from(new URL(link).hash.split("s=")[1], "base64url")).toString());

/** The rule codes of the problems shown (each row ends with its code). */
const codes = async (page) => (await rowTexts(page, "diagnostic")).map((row) => row.trim().split(" ").at(-1));

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
    await page.goto(relink(link, server));
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

test("a share link carries the rule settings", { timeout: 240_000 }, async () => {
  // DL3006 (untagged image) and DL3020 (ADD for a local file) both fire; DL3020 is turned off.
  const dockerfile = "FROM alpine\nADD app.py /app/\n";
  let before;
  let after;
  await withBrowser(async ({ server, page, guard }) => {
    await page.goto(server.url);
    await parsed(page);
    await page.getByTestId("editor").fill(dockerfile);
    await parsed(page);
    assert.deepEqual(await codes(page), ["DL3006", "DL3020"]);
    await page.getByTestId("share-link").click();
    before = await page.getByTestId("share-url").inputValue();

    await page.getByTestId("rules-toggle").click();
    await page.locator('[data-testid="rule-setting"][data-code="DL3020"]').getByTestId("rule-level").selectOption("off");
    await page.waitForFunction(() =>
      ![...document.querySelectorAll('[data-testid="diagnostic"]')].some((row) => row.textContent.includes("DL3020")),
      null, { timeout: 30_000 });
    await page.getByTestId("share-link").click();
    await page.waitForFunction((before) =>
      document.querySelector('[data-testid="share-url"]').value !== before, before, { timeout: 10_000 });
    after = await page.getByTestId("share-url").inputValue();
    guard.check();
  });
  // Default settings are left out, so a link made before is what older versions made.
  assert.equal(payload(before).settings, null);
  assert.deepEqual(payload(after).settings, { rules: { DL3020: "off" } });

  await withBrowser(async ({ server, page, guard }) => {
    await page.goto(relink(after, server));
    await parsed(page);
    assert.equal(await page.getByTestId("editor").inputValue(), dockerfile);
    // The first report already uses the link's settings, and so does the next edit.
    assert.deepEqual(await codes(page), ["DL3006"]);
    assert.equal(await page.getByTestId("rules-toggle").textContent(), "Rule settings (1 changed)");
    await page.getByTestId("rules-toggle").click();
    const level = page.locator('[data-testid="rule-setting"][data-code="DL3020"]').getByTestId("rule-level");
    assert.equal(await level.inputValue(), "off");
    await page.getByTestId("editor").fill(`${dockerfile}ADD lib.py /lib/\n`);
    await parsed(page);
    assert.deepEqual(await codes(page), ["DL3006"]);

    // The embedded playground lints with them too.
    await page.goto(relink(after, server).replace("/#", "/?embed#"));
    await page.waitForSelector('[data-testid="embedded"]', { timeout: 60_000 });
    await parsed(page);
    assert.deepEqual(await codes(page), ["DL3006"]);
    await page.getByTestId("editor").fill(`${dockerfile}ADD lib.py /lib/\n`);
    await parsed(page);
    assert.deepEqual(await codes(page), ["DL3006"]);
    guard.check();
  }, { contextOptions: { serviceWorkers: "block" } });

  await withBrowser(async ({ server, page, guard }) => {
    await page.goto(relink(before, server));
    await parsed(page);
    assert.deepEqual(await codes(page), ["DL3006", "DL3020"]);
    assert.equal(await page.getByTestId("rules-toggle").textContent(), "Rule settings");
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
