import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export interface StreamedUploadResult {
  status: number | null;
  body: string;
  headers: http.IncomingHttpHeaders;
  /** A connection error seen before any answer came (after an answer, a reset is expected). */
  error?: string;
  /** Bytes of the request the client had handed to the connection when the answer came. */
  sentBeforeAnswer: number;
}

export interface StreamedUpload {
  path: string;
  cookie?: string;
  /** Form fields sent before the file part. */
  before?: Record<string, string>;
  /** Form fields sent after the file part (a browser sends fields in the order of the form). */
  after?: Record<string, string>;
  fileBytes: number;
  fileName?: string;
  /** Send without Content-Length (Transfer-Encoding: chunked), as a script could. */
  chunked?: boolean;
  /** Drop the connection after this many bytes of the file, as a browser tab closed mid-upload. */
  abortAfterBytes?: number;
}

/** The address of a test app's server, listening on a free port if it is not yet. */
export async function listening(server: http.Server): Promise<AddressInfo> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address() as AddressInfo;
}

/**
 * Posts a multipart form with a file of `fileBytes` bytes that is generated while it is sent,
 * never held in memory, as a browser (or an attacker's script) streams a large upload.
 */
export async function streamUpload(server: http.Server, u: StreamedUpload): Promise<StreamedUploadResult> {
  const { port } = await listening(server);
  const boundary = `----atelier-test-${Math.random().toString(16).slice(2)}`;
  const fieldParts = (fields: Record<string, string> = {}) =>
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('');
  const head = Buffer.from(
    `${fieldParts(u.before)}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${u.fileName ?? 'big.pdf'}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n${fieldParts(u.after)}--${boundary}--\r\n`);
  const length = head.length + u.fileBytes + tail.length;

  const chunk = Buffer.alloc(64 * 1024, 0x20);
  chunk.write('%PDF-1.7\n');
  async function* body() {
    yield head;
    let left = u.fileBytes;
    while (left > 0) {
      if (u.abortAfterBytes !== undefined && u.fileBytes - left >= u.abortAfterBytes) {
        // Let the bytes already handed over reach the server, then drop the connection.
        await new Promise((r) => setTimeout(r, 100));
        req.destroy();
        return;
      }
      const n = Math.min(left, chunk.length);
      yield n === chunk.length ? chunk : chunk.subarray(0, n);
      left -= n;
    }
    yield tail;
  }
  let req: http.ClientRequest;

  return new Promise<StreamedUploadResult>((resolve) => {
    let settled = false;
    const settle = (r: StreamedUploadResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      Accept: 'text/html',
      ...(u.cookie ? { Cookie: u.cookie } : {}),
      ...(u.chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(length) }),
    };
    let sentBeforeAnswer = 0;
    req = http.request({ host: '127.0.0.1', port, method: 'POST', path: u.path, headers, agent: false }, (res) => {
      sentBeforeAnswer = req.socket?.bytesWritten ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => undefined);
      res.on('close', () => {
        settle({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, sentBeforeAnswer });
        req.destroy();
      });
    });
    req.on('error', (err) => settle({ status: null, body: '', headers: {}, error: err.message, sentBeforeAnswer }));
    const source = Readable.from(body(), { objectMode: false });
    source.on('error', () => undefined);
    // Once the server has answered, stop sending (a browser would, too).
    req.on('response', () => source.unpipe(req));
    source.pipe(req);
  });
}
