// End-to-end tests of the playground's editor (dist/) in headless Chromium: squiggles, hover
// cards with the rule's page, quick fixes (button and keyboard), rule settings and
// .hadolint.yaml import, the examples gallery, themes, a tablet-wide layout, and that a
// 3,000-line Dockerfile stays responsive. Same harness as playground.test.mjs:
//   cd tests/e2e && LAYERLAB_DIST=/path/to/dist node --test editor.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { ARGS, CHROMIUM, DIST } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await serve(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page on the app, with every error and every request to elsewhere collected. */
async function open({ viewport = { width: 1280, height: 800 }, init } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page: ${error.message}`));
  page.on("request", (request) => {
    if (!request.url().startsWith(server.url)) problems.push(`request elsewhere: ${request.url()}`);
  });
  page.on("worker", (worker) => worker.on("console", (message) => {
    if (message.type() === "error") problems.push(`worker console: ${message.text()}`);
  }));
  if (init) await page.addInitScript(init);
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="outline-item"]', { timeout: 60_000 });
  await idle(page);
  return {
    page,
    problems,
    close: async () => {
      assert.deepEqual(problems, [], "errors in the console, or requests elsewhere");
      await context.close();
    },
  };
}

/** Waits until the shown report belongs to the text in the editor. */
const idle = (page) =>
  page.waitForSelector('[data-testid="status"][data-state="idle"]', { timeout: 60_000 });

/** Replaces the editor's text (one input event, as a paste makes) and waits for its report.
 *  Not `fill`: Chromium inserts a long text into a textarea line by line (40 s for 3,000). */
async function setText(page, text) {
  await page.getByTestId("editor").evaluate((area, text) => {
    area.focus();
    area.value = text;
    area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, text);
  await idle(page);
}

const diagnosticTexts = (page) =>
  page.$$eval('[data-testid="diagnostic"]', (rows) => rows.map((row) => row.textContent));

/** Waits until no diagnostic (or some diagnostic, when `present`) mentions `code`. */
const waitForCode = (page, code, present) =>
  page.waitForFunction(
    ([code, present]) =>
      [...document.querySelectorAll('[data-testid="diagnostic"]')].some((row) =>
        row.textContent.includes(code)) === present,
    [code, present],
    { timeout: 30_000 },
  );

const ADDS = "FROM alpine:3.20\nADD app.py /app/\nADD lib.py /lib/\n";

test("squiggles sit on the finding's range; hover shows the message and the rule's page", { timeout: 180_000 }, async () => {
  const { page, close } = await open();
  await setText(page, ADDS);

  // DL3020's range is the source operand.
  const squiggle = page.locator('[data-testid="squiggle"][data-codes~="DL3020"]').first();
  assert.equal(await squiggle.textContent(), "app.py");
  assert.equal(await squiggle.evaluate((el) => el.closest("[data-line]").dataset.line), "2");

  // Drawn where the textarea has line 2, column 1.
  const place = await page.evaluate(() => {
    const area = document.querySelector('[data-testid="editor"]');
    const sq = document.querySelector('[data-testid="squiggle"][data-codes~="DL3020"]');
    const a = area.getBoundingClientRect();
    const s = sq.getBoundingClientRect();
    const style = getComputedStyle(area);
    const measure = document.createElement("canvas").getContext("2d");
    measure.font = `${style.fontSize} ${style.fontFamily}`;
    return {
      top: s.top - a.top,
      left: s.left - a.left,
      expectedTop: parseFloat(style.paddingTop) + parseFloat(style.lineHeight) - area.scrollTop,
      expectedLeft: parseFloat(style.paddingLeft) + measure.measureText("ADD ").width,
    };
  });
  assert.ok(Math.abs(place.top - place.expectedTop) <= 2, `squiggle top ${JSON.stringify(place)}`);
  assert.ok(Math.abs(place.left - place.expectedLeft) <= 2, `squiggle left ${JSON.stringify(place)}`);

  // The gutter marks lines 2 and 3 as errors (DL3020 is an error).
  const marked = await page.$$eval(".gutter-line.mark-error", (rows) => rows.map((r) => r.textContent));
  assert.deepEqual(marked, ["2", "3"]);

  // Syntax colours: the keyword and the comment-free lines.
  assert.equal(await page.locator('.mirror [data-line="1"] .tk-keyword').textContent(), "FROM");

  // Hover: the message, and a link to the rule's page, which exists on this site.
  const box = await squiggle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const card = page.getByTestId("hover-card");
  await card.waitFor({ timeout: 5_000 });
  assert.match(await card.textContent(), /Use COPY instead of ADD/);
  const link = card.getByTestId("docs-link").first();
  assert.equal(await link.getAttribute("href"), "rules/DL3020/");
  const status = await page.evaluate(async (href) => (await fetch(href)).status, "rules/DL3020/");
  assert.equal(status, 200, "the rule's page is served");
  // The card stays while the pointer moves onto it.
  const cardBox = await card.boundingBox();
  await page.mouse.move(cardBox.x + 5, cardBox.y + 5);
  await page.waitForTimeout(500);
  assert.ok(await card.isVisible(), "the card can be reached");

  await close();
});

test("quick fixes apply from the problems list and from the keyboard", { timeout: 180_000 }, async () => {
  const { page, close } = await open();
  await setText(page, ADDS);
  const editor = page.getByTestId("editor");

  // The button in the first DL3020 row.
  const before = (await diagnosticTexts(page)).filter((t) => t.includes("DL3020"));
  assert.equal(before.length, 2, JSON.stringify(before));
  await page.locator(".diagnostic-row", { hasText: "DL3020" }).first().getByTestId("quickfix").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.includes("COPY app.py"));
  await idle(page);
  assert.equal(await editor.inputValue(), "FROM alpine:3.20\nCOPY app.py /app/\nADD lib.py /lib/\n");
  const after = (await diagnosticTexts(page)).filter((t) => t.includes("DL3020"));
  assert.equal(after.length, 1, JSON.stringify(after));
  assert.match(after[0], /line 3\b/);

  // Keyboard only: put the cursor on the other ADD's source; the bar under the editor names
  // the problem there, and Ctrl+. fixes it.
  await editor.focus();
  await editor.evaluate((area) => area.setSelectionRange(area.value.indexOf("lib.py"), area.value.indexOf("lib.py")));
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector('[data-testid="caret-finding"]').textContent.includes("DL3020"));
  await page.keyboard.press("Control+.");
  await waitForCode(page, "DL3020", false);
  assert.equal(await editor.inputValue(), "FROM alpine:3.20\nCOPY app.py /app/\nCOPY lib.py /lib/\n");

  // A fix is one step of undo.
  await page.keyboard.press("Control+z");
  assert.equal(await editor.inputValue(), "FROM alpine:3.20\nCOPY app.py /app/\nADD lib.py /lib/\n");
  await close();
});

test("rule settings: disabling a rule, changing its level, importing .hadolint.yaml", { timeout: 180_000 }, async () => {
  const { page, close } = await open();
  await setText(page, ADDS);
  await page.getByTestId("rules-toggle").click();
  const row = page.locator('[data-testid="rule-setting"][data-code="DL3020"]');
  await row.waitFor();

  await row.getByTestId("rule-level").selectOption("off");
  await waitForCode(page, "DL3020", false);
  await row.getByTestId("rule-level").selectOption("info");
  await waitForCode(page, "DL3020", true);
  const info = (await diagnosticTexts(page)).find((t) => t.includes("DL3020"));
  assert.match(info, /^info\b/, info);
  await row.getByTestId("rule-level").selectOption("");
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="diagnostic"]')].some((r) => /^error\b.*DL3020/.test(r.textContent)));

  // A .hadolint.yaml from a file (read in the page, never uploaded) ignores the rule.
  await page.getByTestId("hadolint-yaml-file").setInputFiles({
    name: ".hadolint.yaml",
    mimeType: "text/yaml",
    buffer: Buffer.from("ignored:\n  - DL3020\n"),
  });
  await waitForCode(page, "DL3020", false);
  assert.equal(await page.getByTestId("hadolint-yaml").inputValue(), "ignored:\n  - DL3020\n");

  // A malformed one is reported with its position, and the rule is back.
  await page.getByTestId("hadolint-yaml").fill("ignored: [DL3020]\nfailure-threshold: loud\n");
  await page.getByTestId("hadolint-yaml-apply").click();
  const problem = page.getByTestId("config-problem");
  await problem.waitFor({ timeout: 30_000 });
  assert.match(await problem.textContent(), /^line 2, col \d+: .*failure-threshold/);
  await waitForCode(page, "DL3020", true);

  // The settings panel is keyboard reachable: the filter narrows the list.
  await page.getByRole("searchbox", { name: "Filter rules" }).fill("DL3020");
  assert.equal(await page.getByTestId("rule-setting").count(), 1);
  await close();
});

test("a gallery example loads and lints to what it teaches", { timeout: 180_000 }, async () => {
  const { page, close } = await open();
  await page.getByTestId("gallery").selectOption("copy-order");
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.startsWith("FROM node:"));
  await idle(page);
  const texts = await diagnosticTexts(page);
  assert.ok(texts.some((t) => t.includes("LL1001")), JSON.stringify(texts));
  // Loading an example is one undoable edit too.
  await page.getByTestId("gallery").selectOption("secrets");
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').value.startsWith("FROM python:"));
  await idle(page);
  assert.ok((await diagnosticTexts(page)).some((t) => t.includes("LL1004")));
  await close();
});

test("themes toggle, and the layout fits a tablet", { timeout: 180_000 }, async () => {
  const { page, close } = await open({ viewport: { width: 768, height: 1024 } });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const toggle = page.getByTestId("theme-toggle");
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
  const light = await background();
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  const dark = await background();
  assert.notEqual(light, dark);
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);

  // No sideways scrolling, and the editor and both lists are on the page.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  for (const id of ["editor", "problems", "outline"]) {
    const box = await page.getByTestId(id).boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `${id}: ${JSON.stringify(box)}`);
  }
  // The outline is a keyboard list: arrows move between rows.
  await page.getByTestId("outline-item").first().focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.closest("[data-index]")?.dataset.index), "1");
  await page.keyboard.press("End");
  const last = await page.evaluate(() => document.activeElement.closest("[data-index]")?.dataset.index);
  assert.equal(Number(last), (await page.locator(".panel[data-testid=outline] .count").textContent()) - 1);
  await close();
});

/** A 3,000-line Dockerfile with a few thousand findings. */
function bigDockerfile() {
  const lines = ["# syntax=docker/dockerfile:1"];
  for (let i = 0; lines.length < 3000; i++) {
    lines.push(
      `FROM debian:12 AS stage${i}`,
      "WORKDIR app",
      `RUN apt-get update && apt-get install -y curl python3 \\`,
      `    && echo $HOME > /tmp/home${i}`,
      `ADD src${i}.py /app/`,
      `ENV A${i}=1 B${i}=$A${i}`,
      `COPY <<EOF /etc/motd${i}`,
      `stage ${i}`,
      "EOF",
      `CMD python3 /app/src${i}.py`,
    );
  }
  return lines.slice(0, 3000).join("\n") + "\n";
}

// Times, in the page, the main-thread work each worker report causes (decode, render, style
// and layout), and each keystroke's (input handler, render, style and layout).
const INSTRUMENT = () => {
  window.__reportMs = [];
  const settle = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(0);
  });
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    set onmessage(handler) {
      super.onmessage = (event) => {
        const started = performance.now();
        handler.call(this, event);
        settle().then(() => {
          void document.body.offsetHeight; // style and layout, now
          window.__reportMs.push(performance.now() - started);
        });
      };
    }
    get onmessage() {
      return super.onmessage;
    }
  };
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: "longtask", buffered: true });
};

test("a 3,000-line Dockerfile stays responsive", { timeout: 300_000 }, async () => {
  const { page, close } = await open({ init: INSTRUMENT });
  const text = bigDockerfile();
  await setText(page, text);
  const findings = Number(await page.locator(".panel[data-testid=problems] .count").textContent());
  assert.ok(findings > 1500, `findings: ${findings}`);
  // Only what is on screen is drawn.
  assert.ok((await page.getByTestId("diagnostic").count()) < 150, "problem rows drawn");
  assert.ok((await page.locator(".mirror .line").count()) < 200, "editor lines drawn");

  // Scroll to the middle and type there, a key at a time, as a person would.
  const editor = page.getByTestId("editor");
  await editor.evaluate((area) => {
    const at = area.value.indexOf("CMD python3 /app/src150.py");
    area.focus();
    area.setSelectionRange(at, at);
    area.scrollTop = 1500 * 20 - 200;
  });
  await page.waitForTimeout(300);
  await page.evaluate(() => { window.__reportMs = []; window.__longTasks = []; });
  const keystrokeMs = await page.evaluate(async () => {
    const settle = () => new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(0);
    });
    const times = [];
    for (const key of "# a comment typed in the middle ") {
      const started = performance.now();
      document.execCommand("insertText", false, key);
      await settle();
      void document.body.offsetHeight;
      times.push(performance.now() - started);
      // ~8 keys a second; some reports arrive in between, some edits supersede others.
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    return times;
  });
  await idle(page);
  await page.waitForTimeout(300);
  const reportMs = await page.evaluate(() => window.__reportMs.slice());
  const longTasks = await page.evaluate(() => window.__longTasks.slice());
  assert.ok(await editor.inputValue().then((v) => v.includes("# a comment typed in the middle CMD python3 /app/src150.py")));

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const summary = {
    findings,
    keystroke: { median: median(keystrokeMs), max: Math.max(...keystrokeMs) },
    report: { count: reportMs.length, median: median(reportMs), max: Math.max(...reportMs) },
    longTasks,
  };
  console.log(`3,000 lines, main-thread ms: ${JSON.stringify(summary)}`);
  assert.ok(reportMs.length >= 3, `reports during typing: ${reportMs.length}`);
  // Before the rows were drawn in windows, each report paused the page for 60-100 ms. Measured
  // here (2 shared cores, loaded): report median ~16 ms, keystroke median ~39 ms, of which
  // ~11 ms is Chromium's own textarea insert and layout at 3,000 lines (on a blank page).
  // Generous bounds, so a loaded machine does not flake, that the old drawing cannot meet.
  assert.ok(summary.report.median < 30, `report median ${summary.report.median} ms`);
  assert.ok(summary.keystroke.median < 60, `keystroke median ${summary.keystroke.median} ms`);
  assert.ok(summary.report.max < 250, `slowest report ${summary.report.max} ms`);
  assert.ok(summary.keystroke.max < 250, `slowest keystroke ${summary.keystroke.max} ms`);
  assert.ok(longTasks.every((ms) => ms < 250), `long tasks ${JSON.stringify(longTasks)}`);
  await close();
});
