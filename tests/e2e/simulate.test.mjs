// The cache simulation panel (issue 6 §2): opening it starts the simulation worker (and only
// then); a "what if I change …" toggle flips the step that reads the file to rebuilt, with the
// reason; build args and the target reach the simulator; the predicted layers and the advice
// are shown. Run after `cargo xtask dist`: cd tests/e2e && node --test simulate.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertCsp, parsed, rowTexts, withBrowser } from "./harness.mjs";

/** Waits until the shown simulation belongs to the current Dockerfile and scenario. */
const simulated = (page) =>
  page.waitForSelector('[data-testid="sim-state"][data-state="idle"]', { state: "attached", timeout: 60_000 });

/** Waits for the step at `line` to show `status` (the simulation re-runs after each change). */
const expectStatus = (page, line, status) =>
  page.waitForSelector(`[data-testid="sim-step"][data-line="${line}"][data-status="${status}"]`,
    { state: "attached", timeout: 60_000 });

const step = (page, line) => page.locator(`[data-testid="sim-step"][data-line="${line}"]`).first();

test("a what-if toggle flips a step to rebuilt, with its reason", { timeout: 240_000 }, async () => {
  await withBrowser(async ({ server, page, guard }) => {
    await page.goto(server.url);
    await parsed(page);
    assert.ok(!server.requests.some((path) => path.startsWith("/sim_worker")),
      `the simulator is not loaded before the panel opens: ${server.requests}`);

    await page.getByTestId("sim-open").click();
    await page.waitForSelector('[data-testid="sim-step"]', { timeout: 60_000 });
    await simulated(page);
    assert.ok(server.requests.includes("/sim_worker_bg.wasm"), "the simulator runs in its own worker");

    // The sample: `COPY src ./src` is line 7; nothing changed, so it is cached.
    await expectStatus(page, 7, "cached");
    assert.match(await step(page, 7).textContent(), /COPY src \.\/src/);
    const statuses = await page.$$eval('[data-testid="sim-step"]', (rows) => rows.map((r) => r.dataset.status));
    for (const status of statuses) assert.ok(["cached", "rebuilt", "skipped", "may-miss"].includes(status), status);
    // An unpinned base image may move: its FROM is may-miss until the user says otherwise.
    await expectStatus(page, 4, "may-miss");
    await page.getByTestId("sim-assume-tags").check();
    await simulated(page);
    await expectStatus(page, 4, "cached");

    // What if I edit src/main.rs?
    const main = page.locator('[data-testid="sim-file"][data-path="src/main.rs"]');
    await main.getByTestId("sim-file-change").selectOption("edited");
    await simulated(page);
    await expectStatus(page, 7, "rebuilt");
    assert.match(await step(page, 7).getByTestId("sim-reason").textContent(), /src\/main\.rs/);
    await expectStatus(page, 6, "cached");
    await expectStatus(page, 8, "rebuilt");
    const layers = await page.$$eval('[data-testid="sim-layer"]', (rows) => rows.map((r) => r.dataset.status));
    assert.ok(layers.length > 3, `predicted layers: ${layers}`);
    assert.ok(await page.getByTestId("sim-advice").count() >= 1, "advice for the costly invalidation");

    // A file added to the context, renamed, and edited through the panel.
    await page.getByTestId("sim-add-file").click();
    const added = page.locator('[data-testid="sim-file"][data-path="new-file-1.txt"]');
    await added.getByTestId("sim-file-path").fill("src/lib.rs");
    await added.getByTestId("sim-file-path").press("Enter");
    await page.locator('[data-testid="sim-file"][data-path="src/lib.rs"]').waitFor();
    await simulated(page);

    // The build target: only the build stage; the runtime stage's steps are skipped.
    await page.getByTestId("sim-target").selectOption("build");
    await simulated(page);
    await expectStatus(page, 11, "skipped");
    assert.match(await page.getByTestId("sim-summary").textContent(), /target build/);

    // Clicking a step selects its line in the editor.
    await step(page, 7).click();
    const selected = await page.getByTestId("editor").evaluate((area) => area.value.slice(area.selectionStart, area.selectionEnd));
    assert.equal(selected, "COPY src ./src");

    // Editing the Dockerfile re-simulates it.
    const editor = page.getByTestId("editor");
    await editor.fill("FROM alpine:3.20\nARG V\nRUN echo $V\n");
    await page.getByTestId("sim-add-arg").click();
    const arg = page.getByTestId("sim-arg").first();
    await arg.locator(".sim-arg-name").fill("V");
    await arg.locator(".sim-arg-name").press("Tab");
    await arg.locator(".sim-arg-value").first().fill("2");
    await arg.locator(".sim-arg-value").first().press("Tab");
    await page.getByTestId("sim-target").selectOption("");
    await simulated(page);
    await expectStatus(page, 3, "cached");
    await arg.getByTestId("sim-arg-changed").check();
    await simulated(page);
    await expectStatus(page, 3, "rebuilt");
    assert.match(await step(page, 3).getByTestId("sim-reason").textContent(), /\bV\b/);

    assert.deepEqual(await rowTexts(page, "sim-error"), []);
    await assertCsp(page);
    guard.check();
  }, { contextOptions: { serviceWorkers: "block" } });
});
