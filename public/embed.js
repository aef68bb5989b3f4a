// <layerlab-playground>: a live Dockerfile playground for documentation pages.
//
//   <script type="module" src="https://YOUR-LAYERLAB-SITE/embed.js"></script>
//   <layerlab-playground>
//     FROM node:20
//     COPY . /app
//     RUN npm install
//   </layerlab-playground>
//
// The element shows an iframe of the app in embed mode (`?embed`: the editor and its problems,
// linted in the reader's browser as they type). Its Dockerfile is the element's text,
// indented as you like (the common indentation is removed). For a Dockerfile with `<`
// (heredocs: `<<EOF`), write it inside a <textarea> child, whose text HTML keeps as it is.
// Attributes: `height` (CSS pixels; default from the number of lines), `src` (the app's
// address; default: the folder this script was loaded from).
//
// The Dockerfile travels in the iframe's URL hash as a share payload (`#/?s=…`: JSON
// compressed with raw DEFLATE, base64url; web/src/share.rs reads it), so nothing is sent to
// any server: a hash never leaves the browser. No inline styles or scripts are written, so the
// element works under a strict Content-Security-Policy (the page needs `frame-src` for the
// app's origin).

const APP_URL = new URL("./", import.meta.url);
const LINE_HEIGHT_PX = 20;
const CHROME_HEIGHT_PX = 280;
const MIN_HEIGHT_PX = 320;
const MAX_HEIGHT_PX = 720;

/** The element's Dockerfile: a <textarea> child's value, else its text, dedented. */
export function dockerfileOf(element) {
  const textarea = element.querySelector("textarea");
  const raw = textarea ? textarea.value : element.textContent;
  const lines = raw.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  const indents = lines
    .filter((line) => line.trim() !== "")
    .map((line) => line.match(/^[ \t]*/)[0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join("\n") + (lines.length ? "\n" : "");
}

function base64url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The share payload of `dockerfile`, as the app's Share button writes it. */
export async function sharePayload(dockerfile) {
  const json = new TextEncoder().encode(JSON.stringify({ dockerfile }));
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return base64url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** The iframe address for `dockerfile`, on the app at `app` (a URL). */
export async function embedUrl(dockerfile, app = APP_URL) {
  const url = new URL(app);
  url.search = "?embed";
  url.hash = `#/?s=${await sharePayload(dockerfile)}`;
  return url.href;
}

class LayerlabPlayground extends HTMLElement {
  #frame = null;

  connectedCallback() {
    if (this.#frame) return;
    // The element's text is complete only once the parser has passed its end tag.
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", () => this.connectedCallback(), { once: true });
      return;
    }
    const dockerfile = dockerfileOf(this);
    const frame = document.createElement("iframe");
    this.#frame = frame;
    frame.title = this.getAttribute("title") ?? "Dockerfile playground (layerlab)";
    frame.setAttribute("data-testid", "layerlab-playground-frame");
    // CSSOM properties, not a style attribute: a strict CSP (no 'unsafe-inline') allows them.
    const lines = dockerfile.split("\n").length;
    const wanted = Number.parseInt(this.getAttribute("height") ?? "", 10);
    const height = Number.isFinite(wanted)
      ? wanted
      : Math.min(MAX_HEIGHT_PX, Math.max(MIN_HEIGHT_PX, CHROME_HEIGHT_PX + lines * LINE_HEIGHT_PX));
    Object.assign(frame.style, {
      display: "block",
      width: "100%",
      height: `${height}px`,
      border: "1px solid #d6dae0",
      borderRadius: "6px",
      boxSizing: "border-box",
    });
    this.style.display = "block";
    // The shadow root shows only the iframe; the Dockerfile text stays in the page (for
    // search engines and readers without JavaScript) but is not drawn twice.
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    root.replaceChildren(frame);
    const app = this.getAttribute("src") ? new URL(this.getAttribute("src"), document.baseURI) : APP_URL;
    embedUrl(dockerfile, app).then(
      (url) => { frame.src = url; },
      (error) => {
        const message = document.createElement("p");
        message.textContent = `The playground could not start: ${error.message}`;
        root.replaceChildren(message);
      },
    );
  }
}

if (!customElements.get("layerlab-playground")) {
  customElements.define("layerlab-playground", LayerlabPlayground);
}
