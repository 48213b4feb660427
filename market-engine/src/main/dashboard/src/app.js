// CNE Market dashboard: sign-in by key, market / provider / auditor views, in-browser proofs.
import * as secp from '@noble/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale,
  LinearScale, Legend, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale,
  Legend, Tooltip);
// Deterministic RFC 6979 signing without WebCrypto: noble needs its hashes wired in.
secp.hashes.sha256 = sha256;
secp.hashes.hmacSha256 = (k, m) => hmac(sha256, k, m);

const enc = new TextEncoder();
const $ = (id) => document.getElementById(id);
const hex = (b) => '0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (h) => {
  const s = h.startsWith('0x') ? h.slice(2) : h;
  if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) throw new Error('not hex: ' + h);
  return Uint8Array.from(s.match(/../g) || [], (x) => parseInt(x, 16));
};
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const short = (h) => (h && h.length > 14 ? h.slice(0, 8) + '…' + h.slice(-4) : h);
const kwh = (wh) => (Number(wh) / 1000).toFixed(1);
const credits = (micros) => (Number(micros) / 1e6).toFixed(4);

// ---- crypto: addresses, personal_sign, Merkle leaves and proofs ----

export function addressOf(secretKey) {
  const pub = secp.getPublicKey(secretKey, false);
  return hex(keccak_256(pub.slice(1)).slice(12));
}

export function personalSign(message, secretKey) {
  const m = enc.encode(message);
  const digest = keccak_256(concat(enc.encode('\x19Ethereum Signed Message:\n' + m.length), m));
  const rec = secp.sign(digest, secretKey, { prehash: false, format: 'recovered', lowS: true });
  // noble: recovery byte first; Ethereum: r || s || v with v = 27 + recovery.
  return hex(concat(rec.slice(1), Uint8Array.of(27 + rec[0])));
}

const word = (v) => {
  let n = BigInt(v);
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) { out[i] = Number(n & 0xffn); n >>= 8n; }
  return out;
};
const bytes32 = (h) => { const b = unhex(h); if (b.length !== 32) throw new Error('not 32 bytes'); return b; };
const address = (h) => concat(new Uint8Array(12), unhex(h));
const MARKET_CODE = { ENERGY: 0, COMPUTE: 1 };

/**
 * OpenZeppelin's standard leaf keccak256(keccak256(abi.encode(...))) of the trade's 13 fields, as
 * org.cnemarket.core.model.Trade#leaf: hashed twice, so an inner node never passes as a leaf.
 */
export function tradeLeaf(t) {
  return keccak_256(keccak_256(concat(bytes32(t.tradeId), word(t.round), word(t.slot), word(MARKET_CODE[t.market]),
    bytes32(t.buyOrderId), bytes32(t.sellOrderId), address(t.buyer), address(t.seller), word(t.quantity),
    word(t.priceMicros), word(t.amountMicros), word(t.greenWh), word(t.carbonMg))));
}

const lessOrEqual = (a, b) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return true;
};
/** OpenZeppelin MerkleProof.verify: sorted pairs from leaf to root. */
export function merkleRoot(leaf, proof) {
  let h = leaf;
  for (const p of proof.map(unhex)) h = lessOrEqual(h, p) ? keccak_256(concat(h, p)) : keccak_256(concat(p, h));
  return h;
}

// ---- session and REST ----

const session = {
  get token() { return sessionStorage.getItem('cne.token'); },
  get address() { return sessionStorage.getItem('cne.address'); },
  get role() { return sessionStorage.getItem('cne.role'); },
  set(t) {
    sessionStorage.setItem('cne.token', t.token);
    sessionStorage.setItem('cne.address', t.address);
    sessionStorage.setItem('cne.role', t.role);
  },
  clear() { sessionStorage.clear(); },
};

async function api(path, init = {}) {
  const headers = { Accept: 'application/json', ...(init.headers || {}) };
  if (session.token) headers.Authorization = 'Bearer ' + session.token;
  if (init.body) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { ...init, headers });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    const e = new Error(body.detail || body.title || 'HTTP ' + r.status);
    e.status = r.status;
    throw e;
  }
  return body;
}

async function signIn() {
  const status = $('login-status');
  try {
    const sk = unhex($('key').value.trim());
    if (sk.length !== 32) throw new Error('a private key is 32 bytes of hex');
    const addr = addressOf(sk);
    const ch = await api('/v1/auth/challenge?address=' + addr);
    const token = await api('/v1/auth/login', { method: 'POST',
      body: JSON.stringify({ message: ch.message, signature: personalSign(ch.message, sk) }) });
    $('key').value = '';
    session.set(token);
    status.className = 'status ok';
    status.textContent = 'signed in as ' + token.role + ' ' + token.address;
    showWho();
    route();
  } catch (e) {
    status.className = 'status bad';
    status.textContent = 'sign-in failed: ' + e.message;
  }
}

function showWho() {
  $('who').textContent = session.token ? session.role + ' ' + session.address : 'not signed in';
  $('who').dataset.role = session.role || '';
}

// ---- views ----

const charts = [];
function resetView(html) {
  charts.splice(0).forEach((c) => c.destroy());
  $('view').innerHTML = html;
}

function table(cols, rows) {
  return '<table><thead><tr>' + cols.map((c) => '<th>' + esc(c) + '</th>').join('') + '</tr></thead><tbody>'
    + rows.map((r) => '<tr>' + r.map((c) => '<td>' + c + '</td>').join('') + '</tr>').join('') + '</tbody></table>';
}

async function marketView() {
  const [market, rounds] = await Promise.all([api('/v1/market'), api('/v1/rounds?limit=500')]);
  const items = rounds.items.slice().sort((a, b) => a.round - b.round);
  const last = items[items.length - 1] || {};
  const totalWh = items.reduce((s, r) => s + r.energyWh, 0);
  const greenWh = items.reduce((s, r) => s + r.greenWh, 0);
  resetView(`<section class="card"><h2>Market</h2><div class="kpis">
      <div class="kpi">rounds<b id="kpi-rounds">${items.length}</b></div>
      <div class="kpi">ledger height<b>${market.ledger.height}</b></div>
      <div class="kpi">energy traded<b>${kwh(totalWh)} kWh</b></div>
      <div class="kpi">green share<b>${totalWh ? Math.round(100 * greenWh / totalWh) : 0}%</b></div>
      <div class="kpi">last energy price<b>${last.results ? credits(last.results.energy?.priceMicros ?? 0) : '-'}</b></div>
    </div></section>
    <div class="grid"><section class="card"><h3>Energy per slot (kWh): green and other</h3><canvas id="mix"></canvas></section>
    <section class="card"><h3>Clearing prices (credits per kWh / per compute unit)</h3><canvas id="prices"></canvas></section></div>
    <section class="card"><h3>Rounds</h3>${table(['round', 'slot (UTC)', 'orders', 'trades', 'energy kWh', 'green %',
      'compute units', 'energy price', 'compute price', 'kg CO2', 'settlement'], items.slice().reverse().map((r) => [
      r.round, new Date(r.slot * 3600e3).toISOString().slice(0, 16), r.orders, r.trades, kwh(r.energyWh),
      r.energyWh ? Math.round(100 * r.greenWh / r.energyWh) : 0, (r.computeMilliUnits / 1000).toFixed(1),
      credits(r.results?.energy?.priceMicros ?? 0), credits(r.results?.compute?.priceMicros ?? 0),
      (r.carbonMg / 1e6).toFixed(2), esc(r.settlement || '')]))}</section>`);
  const labels = items.map((r) => new Date(r.slot * 3600e3).toISOString().slice(11, 16));
  charts.push(new Chart($('mix'), { type: 'bar', data: { labels, datasets: [
    { label: 'green kWh', data: items.map((r) => r.greenWh / 1000), backgroundColor: '#2e9e5b', stack: 'e' },
    { label: 'other kWh', data: items.map((r) => (r.energyWh - r.greenWh) / 1000), backgroundColor: '#9aa59f', stack: 'e' },
  ] }, options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true } } } }));
  charts.push(new Chart($('prices'), { type: 'line', data: { labels, datasets: [
    { label: 'energy', data: items.map((r) => (r.results?.energy?.priceMicros ?? 0) / 1e6), borderColor: '#1f4d36' },
    { label: 'compute', data: items.map((r) => (r.results?.compute?.priceMicros ?? 0) / 1e6), borderColor: '#c77d14' },
  ] }, options: { animation: false } }));
}

async function providerView() {
  const me = session.address;
  const [trades, readings, rep, balance] = await Promise.all([
    api('/v1/trades?limit=200&participant=' + me), api('/v1/meter-readings?limit=200'),
    api('/v1/participants/' + me + '/reputation').catch(() => null),
    api('/v1/participants/' + me + '/balance').catch(() => null)]);
  const menu = await api('/v1/contracts/menu').catch(() => null);
  const delivered = Object.fromEntries(readings.items.map((r) => [r.tradeId, r]));
  resetView(`<section class="card"><h2>Provider ${esc(me)}</h2><div class="kpis">
      <div class="kpi">trades<b>${trades.items.length}</b></div>
      <div class="kpi">reputation<b>${rep ? (rep.scoreBps / 100).toFixed(1) + '%' : '-'}</b></div>
      <div class="kpi">delivered / committed<b>${rep ? rep.delivered + ' / ' + rep.committed : '-'}</b></div>
      <div class="kpi">available credits<b>${balance ? credits(balance.availableMicros) : '-'}</b></div>
      <div class="kpi">in escrow<b>${balance ? credits(balance.escrowMicros) : '-'}</b></div>
    </div></section>
    <section class="card"><h3>Contracts</h3>${menu ? '<pre class="mono">' + esc(JSON.stringify(menu, null, 1)).slice(0, 2000) + '</pre>'
      : '<p>No contract menu published yet.</p>'}</section>
    <section class="card"><h3>Trades and delivery</h3>${table(['trade', 'round', 'market', 'side', 'quantity',
      'price', 'amount', 'green Wh', 'delivered'], trades.items.map((t) => [
      '<span class="mono">' + esc(short(t.tradeId)) + '</span>', t.round, t.market, t.seller === me ? 'sell' : 'buy',
      t.quantity, credits(t.priceMicros), credits(t.amountMicros), t.greenWh,
      delivered[t.tradeId] ? delivered[t.tradeId].deliveredQuantity : 'pending']))}</section>`);
}

async function auditorView() {
  const [ledger, batches, trades, people] = await Promise.all([api('/v1/ledger'), api('/v1/batches?limit=50'),
    api('/v1/trades?limit=50'), api('/v1/participants?limit=200')]);
  const carbon = await Promise.all(people.items.filter((p) => p.role === 'PROVIDER' || p.role === 'USER')
    .map((p) => api('/v1/carbon?participant=' + p.address).then((c) => ({ ...c, name: p.name, role: p.role }))
      .catch(() => null)));
  resetView(`<section class="card"><h2>Auditor</h2><div class="kpis">
      <div class="kpi">ledger<b>${esc(ledger.backend)}</b></div>
      <div class="kpi">ledger height<b id="ledger-height">${ledger.height}</b></div>
      <div class="kpi">batches<b>${batches.items.length}</b></div></div></section>
    <section class="card" id="proof-card"><h3>Trade proof</h3><div id="proof">Open a trade below to verify it against the ledger.</div></section>
    <div class="grid"><section class="card"><h3>Batches</h3>${table(['round', 'slot', 'trades', 'Merkle root', 'status', 'block'],
      batches.items.map((b) => [b.round, b.slot, b.tradeCount, '<span class="mono">' + esc(short(b.merkleRoot)) + '</span>',
        esc(b.status), b.blockNumber ?? '']))}</section>
    <section class="card"><h3>Carbon per participant</h3>${table(['participant', 'role', 'energy kWh', 'green %', 'kg CO2'],
      carbon.filter(Boolean).map((c) => [esc(c.name), c.role, kwh(c.energyBoughtWh), (c.greenShareBps / 100).toFixed(1),
        (c.carbonMg / 1e6).toFixed(2)]))}</section></div>
    <section class="card"><h3>Recent trades</h3>${table(['trade', 'round', 'market', 'buyer', 'seller', 'quantity', ''],
      trades.items.map((t) => ['<span class="mono">' + esc(short(t.tradeId)) + '</span>', t.round, t.market,
        '<span class="mono">' + esc(short(t.buyer)) + '</span>', '<span class="mono">' + esc(short(t.seller)) + '</span>',
        t.quantity, `<button class="link open-trade" data-trade="${esc(t.tradeId)}">open &amp; verify</button>`]))}</section>
    <section class="card"><h3>Certificates</h3><div id="certs">Open a trade to see its buyer's green certificates.</div></section>`);
  document.querySelectorAll('.open-trade').forEach((b) => b.addEventListener('click', () => openTrade(b.dataset.trade)));
}

/** Recomputes the trade's leaf, folds its proof and compares with the root the ledger holds. */
async function openTrade(tradeId) {
  const out = $('proof');
  out.innerHTML = 'verifying ' + esc(tradeId) + ' …';
  try {
    const trade = await api('/v1/trades/' + tradeId);
    const proof = await api('/v1/trades/' + tradeId + '/proof');
    const onLedger = await api('/v1/ledger/batches/' + proof.batchId);
    const leaf = tradeLeaf(trade);
    const leafOk = hex(leaf) === proof.leaf.toLowerCase();
    const root = hex(merkleRoot(leaf, proof.proof));
    const ok = leafOk && root === onLedger.merkleRoot.toLowerCase();
    out.innerHTML = `<p id="proof-status" class="status ${ok ? 'ok' : 'bad'}" data-verified="${ok}">${ok
      ? '✔ Proof verified: the trade is in batch ' + esc(short(proof.batchId)) + ' whose root the ledger holds'
      : '✘ Proof NOT verified'}</p>` + table(['field', 'value'], [
      ['trade', '<span class="mono">' + esc(trade.tradeId) + '</span>'],
      ['round / slot', trade.round + ' / ' + trade.slot], ['market', trade.market],
      ['buyer → seller', '<span class="mono">' + esc(trade.buyer) + ' → ' + esc(trade.seller) + '</span>'],
      ['quantity × price = amount', trade.quantity + ' × ' + trade.priceMicros + ' µ = ' + trade.amountMicros + ' µ'],
      ['leaf recomputed in the browser', '<span class="mono">' + hex(leaf) + (leafOk ? ' ✔' : ' ✘ differs') + '</span>'],
      ['proof (' + proof.proof.length + ' siblings)', '<span class="mono">' + proof.proof.map(short).join(' ') + '</span>'],
      ['root from proof', '<span class="mono">' + root + '</span>'],
      ['root on the ledger (tx ' + esc(short(onLedger.txId)) + ')', '<span class="mono">' + esc(onLedger.merkleRoot) + '</span>']]);
    const certs = await api(`/v1/participants/${trade.buyer}/certificates?fromSlot=${trade.slot}&toSlot=${trade.slot}`)
      .catch(() => ({ items: [] }));
    $('certs').innerHTML = certs.items.length ? table(['holder', 'slot', 'held Wh', 'retired Wh'],
      certs.items.map((c) => ['<span class="mono">' + esc(short(c.holder)) + '</span>', c.slot, c.heldWh, c.retiredWh]))
      : 'No certificates for the buyer in slot ' + trade.slot + ' (issued when green delivery is metered).';
  } catch (e) {
    out.innerHTML = '<p id="proof-status" class="status bad" data-verified="false">✘ ' + esc(e.message) + '</p>';
  }
}

async function route() {
  const view = (location.hash || '#market').slice(1);
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.id === 'nav-' + view));
  if (!session.token) {
    resetView('<section class="card"><p>Sign in with your participant key to see the ' + esc(view) + ' view.</p></section>');
    return;
  }
  try {
    await ({ market: marketView, provider: providerView, auditor: auditorView }[view] || marketView)();
    $('view').dataset.loaded = view;
  } catch (e) {
    if (e.status === 401) { session.clear(); showWho(); }
    resetView('<section class="card"><p class="bad">' + esc(e.message) + '</p></section>');
  }
}

$('login-button').addEventListener('click', signIn);
$('key').addEventListener('keydown', (e) => { if (e.key === 'Enter') signIn(); });
$('logout-button').addEventListener('click', () => { session.clear(); showWho(); route(); });
window.addEventListener('hashchange', route);
window.cne = { openTrade };
showWho();
route();
