// The npm package of the wasm core (issue 6 §5), as `cargo xtask npm` builds it into
// target/npm/layerlab/ (`cargo xtask test` builds it before the end-to-end tests). This test
// builds nothing: it imports the package in Node through its package.json `exports` and calls
// parse, lint, fix, simulate and inspect. LAYERLAB_NPM_PACKAGE names another folder; the
// image comes from $LAYERLAB_SHARED/fixtures/images/demo.oci.tar (default /work/shared).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PACKAGE = process.env.LAYERLAB_NPM_PACKAGE
  ?? fileURLToPath(new URL("../../target/npm/layerlab", import.meta.url));
const SHARED = process.env.LAYERLAB_SHARED ?? "/work/shared";
const DEMO_IMAGE = join(SHARED, "fixtures", "images", "demo.oci.tar");

const missing = existsSync(join(PACKAGE, "package.json"))
  ? false
  : `SKIPPED: no npm package in ${PACKAGE} — run \`cargo xtask npm\` first`;
if (missing) console.warn(`\n*** npm_package.test.mjs ${missing} ***\n`);

/** The package as Node resolves it: package.json `exports`, condition "node". */
async function load() {
  const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8"));
  const entry = manifest.exports["."].node;
  return { manifest, core: await import(pathToFileURL(join(PACKAGE, entry)).href) };
}

test("package.json describes an ES module package with types", { skip: missing }, async () => {
  const { manifest } = await load();
  assert.equal(manifest.name, "@layerlab/core");
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
  assert.equal(manifest.type, "module");
  assert.equal(manifest.exports["."].types, manifest.types);
  for (const file of manifest.files) assert.ok(existsSync(join(PACKAGE, file)), `listed file ${file} exists`);
  const types = readFileSync(join(PACKAGE, manifest.types), "utf8");
  for (const signature of [
    /export function parse\(text: string\): ParseReport;/,
    /export function lint\(text: string\): Finding\[\];/,
    /export function fix\(text: string, options\?: FixOptions\): FixResult;/,
    /export function simulate\(dockerfile: string, scenario\??: SimulateScenario( \| undefined)?\): Simulation;/,
    /export function inspect\(archive: Uint8Array( \| number\[\])?, options\?: InspectOptions\): ImageReport;/,
  ]) {
    assert.match(types, signature);
  }
});

test("parse, lint, fix, simulate and inspect work in Node", { skip: missing, timeout: 120_000 }, async () => {
  const { manifest, core } = await load();
  assert.equal(core.version(), manifest.version);
  const dockerfile = "FROM alpine\nRUN apk add curl\nCOPY . /app\n";

  const report = core.parse(dockerfile);
  assert.deepEqual(report.instructions.map((i) => [i.keyword, i.line]), [["FROM", 1], ["RUN", 2], ["COPY", 3]]);
  assert.deepEqual(report.diagnostics, []);

  const findings = core.lint(dockerfile);
  const codes = findings.map((f) => `${f.code}@${f.start.line}`);
  assert.ok(codes.includes("DL3006@1"), codes.join(" "));
  assert.ok(codes.includes("DL3018@2"), codes.join(" "));

  const fixed = core.fix(dockerfile);
  assert.ok(fixed.applied >= 1, JSON.stringify(fixed));
  assert.match(fixed.text, /apk add --no-cache curl/);
  assert.ok(!fixed.remaining.some((f) => f.code === "DL3019"), "the fixed finding is gone");
  assert.throws(() => core.fix(dockerfile, { unsafe: true, typo: 1 }), /typo/);

  const simulation = core.simulate("FROM scratch\nCOPY app.js /app/\nCOPY other.txt /\n", {
    context: { "app.js": "one", "other.txt": "two" },
    changed: ["app.js"],
  });
  assert.deepEqual(simulation.steps.map((s) => s.status), ["cached", "rebuilt", "rebuilt"]);

  if (!existsSync(DEMO_IMAGE)) {
    console.warn(`\n*** npm_package.test.mjs: ${DEMO_IMAGE} is missing: inspect() was not tried ***\n`);
    return;
  }
  const image = core.inspect(readFileSync(DEMO_IMAGE));
  const expected = JSON.parse(readFileSync(`${DEMO_IMAGE}.expected.json`, "utf8"));
  assert.equal(image.format, "oci-archive");
  assert.ok(image.layers.length >= 1);
  assert.ok(image.layers.every((l) => l.verified.digest === "ok" && l.verified.diff_id === "ok"),
    JSON.stringify(image.layers.map((l) => l.verified)));
  assert.deepEqual(image.problems, []);
  assert.throws(() => core.inspect(new Uint8Array([1, 2, 3])), /./);
  // The fixture's own expectations (../shared/fixtures/images/*.expected.json).
  const [want] = expected.images;
  assert.equal(image.format, expected.format);
  assert.equal(image.config_digest, want.config_digest);
  assert.equal(image.layers.length, want.layers.length);
});
