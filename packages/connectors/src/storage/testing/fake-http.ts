import type { IncomingMessage, ServerResponse } from 'node:http';

/** Serves bytes with single-range support, as real storage APIs do: 206 + Content-Range, 416 when unsatisfiable. */
export function sendContent(
  req: IncomingMessage,
  res: ServerResponse,
  content: Buffer,
  headers: Record<string, string>,
): void {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range || (range[1] === '' && range[2] === '')) {
    res.writeHead(200, { ...headers, 'Content-Length': content.length, 'Accept-Ranges': 'bytes' });
    return void res.end(content);
  }
  const suffix = range[1] === '';
  const start = suffix ? Math.max(0, content.length - Number(range[2])) : Number(range[1]);
  const end = suffix || range[2] === '' ? content.length - 1 : Math.min(Number(range[2]), content.length - 1);
  if (start >= content.length || end < start) {
    res.writeHead(416, { 'Content-Range': `bytes */${content.length}` });
    return void res.end();
  }
  res.writeHead(206, {
    ...headers,
    'Content-Length': end - start + 1,
    'Content-Range': `bytes ${start}-${end}/${content.length}`,
  });
  res.end(content.subarray(start, end + 1));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
