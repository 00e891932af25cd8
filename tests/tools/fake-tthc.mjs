// A stand-in for the national procedures database's export, for the
// scheduled sync (src/catalog_sync.c): serves what a test puts in
// `files` (path → body; .jsonl and .csv as the importer reads them), a
// path behind HTTP basic authentication, a 404 for anything else, and
// /hang, which accepts the request and never answers.
//   node tests/tools/fake-tthc.mjs PORT   (serves until killed)
import http from 'node:http';

export function startSource(port, { user = 'dongbo', password = 'mật-khẩu-nguồn' } = {}) {
  const files = new Map();
  const hanging = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/hang') {
      hanging.add(res);
      return;
    }
    if (url.pathname.startsWith('/rieng/')) {
      const want = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
      if (req.headers.authorization !== want) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="tthc"' });
        res.end('unauthorized');
        return;
      }
    }
    const body = files.get(url.pathname);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': url.pathname.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson' });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({
      files,
      url: (p) => `http://127.0.0.1:${port}${p}`,
      close: () => new Promise((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections?.();
        server.close(() => r());
      }),
    }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startSource(Number(process.argv[2] || 22101));
  s.files.set('/tthc.jsonl', '{"code":"1.000001","name":"Thủ tục mẫu","level":"tinh"}\n');
  console.log(`catalog source on ${s.url('/')}`);
}
