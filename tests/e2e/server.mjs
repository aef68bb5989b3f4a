// A static file server for dist/, on 127.0.0.1 and a free port, for the end-to-end tests.
// Serves the right MIME types (browsers compile wasm by streaming only as application/wasm).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".png": "image/png",
};

/** Starts serving `root`; resolves to `{ url, requests, close }`. `refuse(path, requests)`
 *  (optional) answers 404 to a request it returns true for (`requests`: the paths asked so
 *  far, this one included), to test what happens when a file cannot be loaded. `cut(path)`
 *  (optional) drops the connection without an answer, as when the network is gone; cut
 *  requests are not counted in `requests`. `stall(path, requests)` (optional) never answers:
 *  the request hangs until the server closes, as behind a server that stopped responding. */
export async function serve(root, { refuse = () => false, cut = () => false, stall = () => false } = {}) {
  const base = normalize(root + sep);
  const requests = [];
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    if (cut(path)) {
      request.socket.destroy();
      return;
    }
    requests.push(path);
    if (stall(path, requests)) {
      return;
    }
    if (refuse(path, requests)) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("refused by the test");
      return;
    }
    const file = normalize(join(base, path.endsWith("/") ? path + "index.html" : path));
    try {
      if (!file.startsWith(base) || !(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      response.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
