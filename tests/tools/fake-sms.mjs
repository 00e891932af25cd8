// A fake HTTP SMS gateway, shaped like the generic adapter of src/sms.c
// expects (docs/channels.md, "SMS and notices"): POST a JSON or form body
// with basic authentication; 200 {"status":"ok","id":"..."} when taken,
// 4xx/5xx {"error":"..."} when not.  It records what it got and can be
// told to fail the next requests.
//   node tests/tools/fake-sms.mjs PORT     (or import { startFakeSms })
//   GET  /_requests            what it got, as JSON
//   POST /_fail?status=503&n=2  the next n sends answer status
//   POST /_reset                forget both
import http from 'node:http';

export function startFakeSms(port, host = '127.0.0.1') {
  const state = { requests: [], fail: [] };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, `http://${host}`);
      const reply = (status, obj) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      if (url.pathname === '/_requests') return reply(200, state.requests);
      if (url.pathname === '/_reset') { state.requests = []; state.fail = []; return reply(200, {}); }
      if (url.pathname === '/_fail') {
        const n = Number(url.searchParams.get('n') || 1);
        for (let i = 0; i < n; i++) state.fail.push(Number(url.searchParams.get('status') || 503));
        return reply(200, {});
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] || '';
      let body;
      try {
        body = type.startsWith('application/json') ? JSON.parse(text)
          : Object.fromEntries(new URLSearchParams(text));
      } catch {
        return reply(400, { error: 'Yêu cầu không đúng định dạng' });
      }
      const auth = req.headers.authorization || '';
      const user = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : null;
      const got = { path: url.pathname, type, body, user, at: Date.now() };
      state.requests.push(got);
      const status = state.fail.shift();
      if (status) return reply(status, { error: status >= 500 ? 'Gateway busy' : 'Số thuê bao không tồn tại' });
      got.id = `sms-${state.requests.length}`;
      return reply(200, { status: 'ok', id: got.id });
    });
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve({ server, state })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startFakeSms(Number(process.argv[2] || 21400)).then(() => console.log('fake-sms listening'));
}
