// A TCP proxy between Kore and the test cluster that can break a
// connection at the worst moment: after PostgreSQL has committed a
// statement and before Kore reads the answer.  The integration stack runs
// Kore through it (tests/run); tests arm it over HTTP:
//   POST /cut?sql=TEXT&n=1     the next n statements whose SQL contains
//                              TEXT: withhold the answer from its
//                              CommandComplete on, wait for ReadyForQuery
//                              (the commit), then reset the client
//                              connection
//   GET  /cuts                 how many cuts were made so far
// Usage: node pgproxy.mjs LISTEN_PORT UPSTREAM_PORT CONTROL_PORT
import net from 'node:net';
import http from 'node:http';

const [listenPort, upstreamPort, controlPort] = process.argv.slice(2).map(Number);
let armed = { sql: null, n: 0 };
let cuts = 0;

const SSL_REQUEST = 80877103, GSS_REQUEST = 80877104;

net.createServer({ noDelay: true }, (client) => {
  const server = net.connect({ host: '127.0.0.1', port: upstreamPort, noDelay: true });
  let singleByteReplies = 0;	// answers to SSLRequest / GSSENCRequest
  let startupDone = false;
  let cbuf = Buffer.alloc(0);
  let sbuf = Buffer.alloc(0);
  let cutting = false;
  let cutNext = false;	// this connection sent the armed statement
  let ctail = '';
  const close = () => { client.destroy(); server.destroy(); };
  client.on('error', close); server.on('error', close);
  client.on('close', () => server.destroy()); server.on('close', () => client.destroy());

  const watch = (d) => {
    if (!armed.sql) return;
    const text = ctail + d.toString('latin1');
    if (text.includes(armed.sql)) {
      cutNext = true;
      if (--armed.n === 0) armed.sql = null;
    }
    ctail = text.slice(-armed.sql?.length || 0);
  };
  client.on('data', (d) => {
    if (startupDone) { watch(d); server.write(d); return; }
    // Startup packets have no type byte: length, then a code.
    cbuf = Buffer.concat([cbuf, d]);
    while (!startupDone && cbuf.length >= 8) {
      const len = cbuf.readInt32BE(0);
      if (cbuf.length < len) break;
      const code = cbuf.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSS_REQUEST) singleByteReplies++;
      else startupDone = true;
      server.write(cbuf.subarray(0, len));
      cbuf = cbuf.subarray(len);
    }
    if (startupDone && cbuf.length) { watch(cbuf); server.write(cbuf); cbuf = Buffer.alloc(0); }
  });

  server.on('data', (d) => {
    sbuf = Buffer.concat([sbuf, d]);
    const out = [];
    for (;;) {
      if (singleByteReplies > 0) {
        if (sbuf.length < 1) break;
        out.push(sbuf.subarray(0, 1)); sbuf = sbuf.subarray(1); singleByteReplies--;
        continue;
      }
      if (sbuf.length < 5) break;
      const len = sbuf.readInt32BE(1);
      if (sbuf.length < 1 + len) break;
      const msg = sbuf.subarray(0, 1 + len);
      sbuf = sbuf.subarray(1 + len);
      const type = String.fromCharCode(msg[0]);
      if (cutNext && type === 'C') cutting = true;
      if (cutting) {
        if (type === 'Z') {
          cuts++;
          if (out.length) client.write(Buffer.concat(out));
          client.resetAndDestroy();
          server.destroy();
          return;
        }
        continue;
      }
      out.push(msg);
    }
    if (out.length) client.write(Buffer.concat(out));
  });
}).listen(listenPort, '127.0.0.1');

http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (req.method === 'POST' && u.pathname === '/cut') {
    armed = { sql: u.searchParams.get('sql'), n: Number(u.searchParams.get('n') || 1) };
    res.end('armed\n');
  } else if (u.pathname === '/cuts') {
    res.end(`${cuts}\n`);
  } else if (req.method === 'POST' && u.pathname === '/disarm') {
    armed = { sql: null, n: 0 };
    res.end('disarmed\n');
  } else {
    res.statusCode = 404; res.end();
  }
}).listen(controlPort, '127.0.0.1');
