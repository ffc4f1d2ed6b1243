// Child process: the baseline, a bare node:http server answering every request with
// fs.createReadStream(BENCH_PATH) piped into the response with stream.pipeline, reading 1 MiB chunks like
// Handoff's local storage provider (so the comparison is about everything else).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { pipeline } from 'node:stream';
import { serveAsChild } from '../child-server.mjs';

serveAsChild(async () => {
  const path = process.env.BENCH_PATH;
  const size = statSync(path).size;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
    pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), res, () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    info: { url: `http://127.0.0.1:${server.address().port}` },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
