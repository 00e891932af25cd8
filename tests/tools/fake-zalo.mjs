// A stand-in for Zalo's OA API and OAuth server, speaking their documented
// shapes, for the tests (tests/integration/zalo.test.mjs):
//   POST /v3.0/oa/message/cs          header access_token; {recipient: {user_id},
//                                     message: {text}} → {error: 0, message, data:
//                                     {message_id, user_id}}; -216 for a token
//                                     that is not the current one
//   POST /v4/oa/access_token          header secret_key; form refresh_token, app_id,
//                                     grant_type=refresh_token → {access_token,
//                                     refresh_token, expires_in}; a refresh token is
//                                     good once: again → error -14014
// What it was asked is kept for the test: GET /_log.  POST /_control {access,
// refresh, secret, fail5xx, refreshDelayMs} sets its state.
// Run alone: node tests/tools/fake-zalo.mjs PORT
import http from 'node:http';

export function startFakeZalo(port) {
  const state = {
    access: 'A0', refresh: 'R0', secret: 'app-secret', appId: '360846524940903967',
    fail5xx: 0, refreshDelayMs: 0, serial: 0, sends: [], refreshes: [],
  };
  const json = (res, status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://x');
      if (req.method === 'GET' && url.pathname === '/_log') {
        return json(res, 200, { sends: state.sends, refreshes: state.refreshes, access: state.access, refresh: state.refresh });
      }
      if (req.method === 'POST' && url.pathname === '/_control') {
        const c = JSON.parse(body || '{}');
        if (c.reset) { state.sends = []; state.refreshes = []; }
        for (const k of ['access', 'refresh', 'secret', 'fail5xx', 'refreshDelayMs']) if (k in c) state[k] = c[k];
        return json(res, 200, { ok: true });
      }
      if (req.method === 'POST' && url.pathname === '/v3.0/oa/message/cs') {
        const token = req.headers.access_token;
        let msg;
        try { msg = JSON.parse(body); } catch { return json(res, 200, { error: -201, message: 'Parameters are invalid' }); }
        const entry = { token, user: msg?.recipient?.user_id, text: msg?.message?.text, at: Date.now() };
        if (state.fail5xx > 0) {
          state.fail5xx--;
          state.sends.push({ ...entry, result: 502 });
          res.writeHead(502); return res.end('bad gateway');
        }
        if (token !== state.access) {
          state.sends.push({ ...entry, result: -216 });
          return json(res, 200, { error: -216, message: 'Access token is invalid' });
        }
        if (!entry.user || !entry.text) return json(res, 200, { error: -201, message: 'Parameters are invalid' });
        const id = `zm-${++state.serial}`;
        state.sends.push({ ...entry, result: 0, id });
        return json(res, 200, { data: { message_id: id, user_id: entry.user }, error: 0, message: 'Success' });
      }
      if (req.method === 'POST' && url.pathname === '/v4/oa/access_token') {
        const f = new URLSearchParams(body);
        const entry = { refresh: f.get('refresh_token'), appId: f.get('app_id'), grant: f.get('grant_type'),
          secret: req.headers.secret_key, at: Date.now() };
        state.refreshes.push(entry);
        if (state.refreshDelayMs) await new Promise((r) => setTimeout(r, state.refreshDelayMs));
        if (entry.secret !== state.secret || entry.appId !== state.appId || entry.grant !== 'refresh_token') {
          entry.result = -14002;
          return json(res, 200, { error: -14002, error_name: 'Invalid app', error_description: 'app_id or secret_key is invalid' });
        }
        if (entry.refresh !== state.refresh) {
          entry.result = -14014;
          return json(res, 200, { error: -14014, error_name: 'Invalid refresh token',
            error_reason: 'Refresh token is invalid or has been used', error_description: 'Refresh token is invalid' });
        }
        state.serial++;
        state.access = `A${state.serial}`;
        state.refresh = `R${state.serial}`;
        entry.result = 0;
        return json(res, 200, { access_token: state.access, refresh_token: state.refresh, expires_in: '90000' });
      }
      json(res, 404, { error: -1, message: 'not found' });
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${port}`, state, close: () => new Promise((r) => server.close(r)),
  })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] || 21310);
  startFakeZalo(port).then((f) => console.log(`fake Zalo on ${f.url}`));
}
