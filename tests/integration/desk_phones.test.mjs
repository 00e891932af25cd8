// Desk phones as agents (issue 11): a desk phone's SIP_EXTENSIONS entry
// names its operator by account id or by username; either way the calls
// it takes and its state changes are the operator's (calls.agent_id,
// agent_states.agent_id) and the call list shows the operator's name.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { request, login, one, db, dbClose } from '../lib.mjs';
import { hmacHex, hotlineKey, readSecret } from '../contract.mjs';

const ip = '127.0.71.1';
const secret = readSecret(path.join(process.env.TEST_VAR_DIR, 'hotline.secret'));
after(dbClose);

const sign = (body) => hmacHex(hotlineKey(secret, 'call-event'), body);
function send(obj) {
  const body = JSON.stringify(obj);
  return request('POST', '/api/internal/call-events', {
    ip, body, headers: { 'content-type': 'application/json', 'x-hotline-signature': sign(body) },
  });
}
const day = '2026-10-07';
function callEvent(agent, caller) {
  return {
    event_id: crypto.randomUUID(), type: 'call.ended', call_id: crypto.randomUUID(),
    sip_call_id: `dp-${crypto.randomUUID()}@127.0.0.1`, caller, callee: '1022',
    agent_user_id: agent, disposition: 'answered', hangup_by: 'agent', codec: 'PCMA',
    created_at: `${day}T02:00:00Z`, answered_at: `${day}T02:00:04Z`, ended_at: `${day}T02:01:00Z`,
    wait_seconds: 4, talk_seconds: 56, recording: null,
  };
}

test('a desk phone named by username or by id: its call is the operator\'s, on the call list', async () => {
  const u = await one("SELECT id, username, full_name FROM users WHERE username = 'dtv.lan'");
  const byName = callEvent(u.username, '0907100071');
  const byId = callEvent(String(u.id), '0907100072');
  const nobody = callEvent('khong-co-ai', '0907100073');
  for (const ev of [byName, byId, nobody]) {
    const r = await send(ev);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { stored: true });
  }
  const rows = (await db().query(`SELECT caller, agent_ref, agent_id FROM calls
      WHERE call_uuid = ANY($1::uuid[]) ORDER BY caller`, [[byName.call_id, byId.call_id, nobody.call_id]])).rows;
  assert.deepEqual(rows, [
    { caller: '0907100071', agent_ref: 'dtv.lan', agent_id: u.id },
    { caller: '0907100072', agent_ref: String(u.id), agent_id: u.id },
    { caller: '0907100073', agent_ref: 'khong-co-ai', agent_id: null },
  ]);
  // The supervisor's call list, filtered by that operator: both calls.
  const sup = await login('lanhdao', '127.0.71.2');
  const page = await request('GET', `/giam-sat/cuoc-goi?tu=${day}&den=${day}&nguoi=${u.id}`, sup);
  assert.equal(page.status, 200);
  for (const c of ['0907100071', '0907100072']) assert.match(page.text, new RegExp(c));
  assert.doesNotMatch(page.text, /0907100073/);
  // Each row names the operator who took it.
  for (const c of ['0907100071', '0907100072']) {
    const tr = page.text.split(/<tr[\s>]/).find((x) => x.includes(c));
    assert.ok(tr && tr.includes(u.full_name), `the row of ${c} names ${u.full_name}`);
  }
});

test('the administrator sees the account id a desk phone is configured with', async () => {
  const u = await one("SELECT id FROM users WHERE username = 'dtv.lan'");
  const adm = await login('admin', '127.0.71.3');
  const r = await request('GET', `/quan-tri/nguoi-dung/${u.id}`, adm);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`<dd id="account-id">${u.id} [^]*<code>số-máy:${u.id}:mật-khẩu</code> trong SIP_EXTENSIONS`));
});

test('an agent.state event from a desk phone named by username is the operator\'s', async () => {
  const u = await one("SELECT id, username FROM users WHERE username = 'dtv.lan'");
  const ev = { event_id: crypto.randomUUID(), type: 'agent.state', agent_user_id: u.username,
    state: 'paused', reason: 'tạm nghỉ (từ điện thoại bàn)', at: `${day}T03:00:00Z`, device: 'phone' };
  const r = await send(ev);
  assert.equal(r.status, 200, r.text);
  const row = await one('SELECT agent_ref, agent_id, device FROM agent_states WHERE event_id = $1', [ev.event_id]);
  assert.deepEqual(row, { agent_ref: 'dtv.lan', agent_id: u.id, device: 'phone' });
});
