// Workbooks in the tests: a binary download with a session's cookies, and
// the sheets read back by a second reader, Debian's python3-openpyxl, run
// by /usr/bin/python3 (a python3 earlier in PATH may lack it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BASE } from './lib.mjs';

// A binary download with the session's cookies.
export function download(url, session) {
  return new Promise((resolve, reject) => {
    const cookie = [...session.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    http.get(new URL(url, BASE), { headers: { cookie }, localAddress: session.ip }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

// The workbook's sheets as JSON, read by openpyxl: values typed as Excel has them.
export function readXlsx(buf) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-'));
  const file = path.join(dir, 'r.xlsx');
  fs.writeFileSync(file, buf);
  const py = `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows(values_only=True):
        rows.append([v.isoformat() if isinstance(v, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)) and not isinstance(v, datetime.timedelta) else (round(v.total_seconds()) if isinstance(v, datetime.timedelta) else v) for v in row])
    out[ws.title] = {"rows": rows, "widths": {k: d.width for k, d in ws.column_dimensions.items()},
                     "formats": [c.number_format for c in (ws.iter_rows(min_row=4, max_row=4).__next__() if ws.max_row >= 4 else [])]}
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

