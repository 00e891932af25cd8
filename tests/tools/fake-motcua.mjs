// A fake of the province's one-stop system (hệ thống một cửa), speaking
// the contract of docs/dossiers.md: GET {base}/{code} with basic
// authentication answers 200 and the dossier's JSON object, or 404 when
// it has no such dossier.  It can be told to fail or to be slow, and it
// records what it was asked.
//   node tests/tools/fake-motcua.mjs PORT     (or import { startFakeMotcua })
//   GET  /_requests              what it got, as JSON
//   POST /_mode?mode=ok|error|slow|garbage&ms=10000   how it answers next
//   PUT  /_dossiers              a JSON array of dossiers it knows
import http from 'node:http';

export function startFakeMotcua(port, host = '127.0.0.1') {
  const state = { requests: [], mode: 'ok', ms: 10000, dossiers: new Map() };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, `http://${host}`);
      const reply = (status, obj) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(typeof obj === 'string' ? obj : JSON.stringify(obj));
      };
      if (url.pathname === '/_requests') return reply(200, state.requests);
      if (url.pathname === '/_mode') {
        state.mode = url.searchParams.get('mode') || 'ok';
        state.ms = Number(url.searchParams.get('ms') || 10000);
        return reply(200, {});
      }
      if (url.pathname === '/_dossiers') {
        for (const d of JSON.parse(Buffer.concat(chunks).toString('utf8'))) state.dossiers.set(d.code, d);
        return reply(200, {});
      }
      const m = url.pathname.match(/^\/api\/ho-so\/([^/]+)$/);
      if (req.method !== 'GET' || !m) return reply(404, { error: 'Không có đường dẫn này' });
      const auth = req.headers.authorization || '';
      state.requests.push({
        code: decodeURIComponent(m[1]),
        user: auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : null,
        accept: req.headers.accept,
        at: Date.now(),
      });
      if (auth !== 'Basic ' + Buffer.from('tongdai1022:mk-mot-cua').toString('base64')) {
        return reply(401, { error: 'Sai tài khoản' });
      }
      if (state.mode === 'error') return reply(500, { error: 'Lỗi máy chủ một cửa' });
      if (state.mode === 'garbage') return reply(200, '<html>Bảo trì</html>');
      const answer = () => {
        const d = state.dossiers.get(decodeURIComponent(m[1]));
        return d ? reply(200, d) : reply(404, { error: 'Không tìm thấy hồ sơ' });
      };
      if (state.mode === 'slow') return setTimeout(answer, state.ms);
      return answer();
    });
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve({ server, state })));
}

if (process.argv[1] && process.argv[1].endsWith('fake-motcua.mjs')) {
  const port = Number(process.argv[2] || 22301);
  startFakeMotcua(port).then(() => console.log(`fake one-stop system on ${port}`));
}
