// A stand-in for Facebook's Send API, speaking its documented shapes, for
// the tests (tests/integration/facebook.test.mjs):
//   POST /{version}/me/messages?access_token=…   {recipient: {id}, messaging_type,
//        message: {text}} → {recipient_id, message_id}, or a Graph error
//        {error: {message, type, code, error_subcode, fbtrace_id}}
// A wrong token gets code 190.  POST /_control {token, errors: [{status, code,
// subcode, message, psid?}]} queues the errors the next sends (to psid) get; GET /_log is what
// it was sent.
// Run alone: node tests/tools/fake-facebook.mjs PORT
import http from 'node:http';

export function startFakeFacebook(port) {
  const state = { token: 'PAGE-TOKEN', errors: [], serial: 0, sends: [] };
  const json = (res, status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  const graphError = (res, status, code, subcode, message) => json(res, status, {
    error: { message, type: code === 190 ? 'OAuthException' : 'GraphMethodException', code,
      ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEf' },
  });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://x');
      if (req.method === 'GET' && url.pathname === '/_log') return json(res, 200, { sends: state.sends });
      if (req.method === 'POST' && url.pathname === '/_control') {
        const c = JSON.parse(body || '{}');
        if (c.reset) state.sends = [];
        if ('token' in c) state.token = c.token;
        if ('errors' in c) state.errors = c.errors;
        return json(res, 200, { ok: true });
      }
      if (req.method === 'POST' && /^\/v[0-9.]+\/me\/messages$/.test(url.pathname)) {
        let msg;
        try { msg = JSON.parse(body); } catch { return graphError(res, 400, 100, 0, 'Invalid parameter'); }
        const entry = { version: url.pathname.split('/')[1], token: url.searchParams.get('access_token'),
          psid: msg?.recipient?.id, type: msg?.messaging_type, text: msg?.message?.text, at: Date.now() };
        state.sends.push(entry);
        if (entry.token !== state.token) {
          entry.result = 190;
          return graphError(res, 400, 190, 463, 'Error validating access token: Session has expired.');
        }
        // An error naming a psid is for that recipient's send alone.
        const i = state.errors.findIndex((x) => !x.psid || x.psid === entry.psid);
        const e = i < 0 ? undefined : state.errors.splice(i, 1)[0];
        if (e) {
          entry.result = e.code ?? e.status;
          if (!e.code) { res.writeHead(e.status); return res.end('error'); }
          return graphError(res, e.status || 400, e.code, e.subcode, e.message || 'error');
        }
        if (!entry.psid || !entry.text) return graphError(res, 400, 100, 0, 'Invalid parameter');
        entry.result = 0;
        entry.id = `m_out_${++state.serial}`;
        return json(res, 200, { recipient_id: entry.psid, message_id: entry.id });
      }
      json(res, 404, { error: { message: 'Unknown path', code: 803 } });
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${port}`, state, close: () => new Promise((r) => server.close(r)),
  })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] || 21320);
  startFakeFacebook(port).then((f) => console.log(`fake Facebook on ${f.url}`));
}
