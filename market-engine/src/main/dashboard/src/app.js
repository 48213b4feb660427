// CNE Market dashboard: public market view, wallet sign-in (EIP-1193/EIP-6963, keystore fallback),
// provider / auditor / orders / operator views, in-browser proofs, live notifications.
import * as secp from '@noble/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale,
  LinearScale, Legend, Tooltip } from 'chart.js';

import { discoverWallets, localProvider, decryptKeystore, orderTypedData } from './wallet.js';
import { openStream } from './stream.js';
import { operatorView } from './operator.js';
import { toUnits } from './units.js';

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

// ---- sign-in: a browser wallet (EIP-1193 found through EIP-6963), a keystore file, or a raw key ----

/** The wallet of this page: signing needs it, reading needs only the token (kept for the tab). */
let wallet = null;

function loginStatus(cls, text) {
  const status = $('login-status');
  status.className = 'status ' + cls;
  status.textContent = text;
}

/** EIP-4361: the engine's challenge, personal_sign'ed by the wallet, exchanged for a JWT. */
async function signInWith(provider, label) {
  loginStatus('', 'waiting for ' + label + '…');
  try {
    const accounts = await provider.request({ method: 'eth_requestAccounts' });
    if (!accounts || !accounts.length) throw new Error(label + ' shared no account');
    const addr = String(accounts[0]).toLowerCase();
    const ch = await api('/v1/auth/challenge?address=' + addr);
    const signature = await provider.request({ method: 'personal_sign', params: [hex(enc.encode(ch.message)), addr] });
    const token = await api('/v1/auth/login', { method: 'POST',
      body: JSON.stringify({ message: ch.message, signature }) });
    session.set(token);
    wallet = { provider, address: token.address, label };
    loginStatus('ok', 'signed in with ' + label + ' as ' + token.role + ' ' + token.address);
    showWho();
    restartStream();
    route();
  } catch (e) {
    loginStatus('bad', 'sign-in failed: ' + (e && e.message ? e.message : e));
  }
}

function renderWallets(list) {
  $('wallets').innerHTML = list.length ? list.map((w) => `<button class="wallet" data-uuid="${esc(w.info.uuid)}"
      data-rdns="${esc(w.info.rdns || '')}">${w.info.icon ? `<img src="${esc(w.info.icon)}" alt="">` : ''}Sign in with
      ${esc(w.info.name)}</button>`).join('')
    : '<span class="hint">No browser wallet found (install one, or use a keystore file below).</span>';
  document.querySelectorAll('#wallets .wallet').forEach((b) => b.addEventListener('click', () => {
    const w = list.find((x) => x.info.uuid === b.dataset.uuid);
    if (w) signInWith(w.provider, w.info.name);
  }));
}

async function signInWithKeystore() {
  const file = $('keystore-file').files[0];
  if (!file) { loginStatus('bad', 'choose a keystore file (Ethereum V3 JSON) first'); return; }
  loginStatus('', 'decrypting ' + file.name + ' in the browser…');
  try {
    const sk = await decryptKeystore(await file.text(), $('keystore-password').value);
    $('keystore-password').value = '';
    await signInWith(localProvider(sk), 'keystore ' + file.name);
  } catch (e) {
    loginStatus('bad', 'sign-in failed: ' + e.message);
  }
}

/** Development aid only: a raw key pasted into the page (never do this with a key that holds value). */
async function signInWithPastedKey() {
  try {
    const sk = unhex($('key').value.trim());
    if (sk.length !== 32) throw new Error('a private key is 32 bytes of hex');
    $('key').value = '';
    await signInWith(localProvider(sk), 'pasted development key');
  } catch (e) {
    loginStatus('bad', 'sign-in failed: ' + e.message);
  }
}

function signOut() {
  session.clear();
  wallet = null;
  loginStatus('', 'signed out');
  showWho();
  restartStream();
  route();
}

// ---- notifications: the engine's event stream ----

let stopStream = null;
const eventText = {
  round: (d) => `round ${d.round} (${new Date(d.slot * 3600e3).toISOString().slice(0, 16)}Z): ${d.trades} trades,`
    + ` ${kwh(d.energyWh)} kWh at ${credits(d.energyPriceMicros)}/kWh, ${(d.greenShareBps / 100).toFixed(0)}% green,`
    + ` ${(d.computeMilliUnits / 1000).toFixed(1)} compute units at ${credits(d.computePriceMicros)}`,
  fill: (d) => `fill in round ${d.round}: ${d.side} ${d.market === 'ENERGY' ? kwh(d.quantity) + ' kWh'
    : (d.quantity / 1000).toFixed(2) + ' units'} at ${credits(d.priceMicros)}, ${credits(d.amountMicros)} credits`,
  settlement: (d) => `round ${d.round} settled on the ledger (batch ${short(d.batchId)}${d.txId ? ', tx ' + short(d.txId) : ''}):`
    + ` paid ${credits(d.paidMicros)}, received ${credits(d.receivedMicros)}`,
  'low-balance': (d) => `low balance: ${credits(d.availableMicros)} available + ${credits(d.escrowMicros)} in escrow <`
    + ` ${credits(d.needMicros)} your next round of orders needs; add ${credits(d.shortfallMicros)} credits`,
};

function restartStream() {
  if (stopStream) stopStream();
  $('events').innerHTML = '';
  $('stream-state').dataset.state = 'connecting';
  $('stream-state').textContent = 'connecting…';
  stopStream = openStream({
    token: session.token,
    onState: (state, text) => { $('stream-state').textContent = text; $('stream-state').dataset.state = state; },
    onEvent: (ev) => {
      const d = ev.body.data || {};
      const li = document.createElement('li');
      li.className = 'event ' + ev.type;
      li.dataset.type = ev.type;
      li.dataset.id = ev.id || '';
      if (d.round !== undefined) li.dataset.round = d.round;
      li.textContent = (eventText[ev.type] || ((x) => ev.type + ' ' + JSON.stringify(x)))(d);
      $('events').prepend(li);
      while ($('events').children.length > 30) $('events').lastChild.remove();
      if (ev.type === 'round' && currentView() === 'market') route();
    },
  });
}

function showWho() {
  $('who').textContent = session.token ? session.role + ' ' + session.address : 'not signed in';
  // Signed in, the sign-in card folds down to its status and the sign-out button.
  $('login').classList.toggle('signed-in', Boolean(session.token));
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

const SOURCE_COLOURS = { SOLAR: '#e0a526', WIND: '#2e9e5b', HYDRO: '#2b7bb9', GRID: '#9aa59f', STORAGE: '#8a5fb0',
  UNKNOWN: '#cccccc' };

/** Published market data: readable signed out when the operator publishes it. */
async function marketView() {
  let rounds;
  let batches;
  try {
    [rounds, batches] = await Promise.all([api('/v1/public/rounds?limit=500'), api('/v1/public/batches?limit=24')]);
  } catch (e) {
    if (e.status === 401 && !session.token) {
      resetView('<section class="card"><h2>Market</h2><p>This operator does not publish market data: sign in to see'
        + ' it.</p></section>');
      return;
    }
    throw e;
  }
  const market = await api('/v1/market');
  const items = rounds.items.slice().sort((a, b) => a.round - b.round);
  const last = items[items.length - 1] || {};
  const totalWh = items.reduce((s, r) => s + r.energyWh, 0);
  const greenWh = items.reduce((s, r) => s + r.greenWh, 0);
  const carbonMg = items.reduce((s, r) => s + r.carbonMg, 0);
  const sources = [...new Set(items.flatMap((r) => Object.keys(r.energyBySourceWh || {})))].sort();
  resetView(`<section class="card"><h2>Market</h2><div class="kpis">
      <div class="kpi">rounds<b id="kpi-rounds">${items.length}</b></div>
      <div class="kpi">ledger height<b>${market.ledger.height}</b></div>
      <div class="kpi">energy traded<b>${kwh(totalWh)} kWh</b></div>
      <div class="kpi">green share<b id="kpi-green">${totalWh ? Math.round(100 * greenWh / totalWh) : 0}%</b></div>
      <div class="kpi">carbon intensity<b>${totalWh ? (carbonMg / totalWh).toFixed(0) : 0} g/kWh</b></div>
      <div class="kpi">last energy price<b>${last.round ? credits(last.energyPriceMicros) : '-'}</b></div>
    </div><p class="hint">${session.token ? '' : 'Public market data, no sign-in needed. '}Prices in credits per kWh
      and per compute unit; every round's trades are settled as one Merkle-rooted batch on the ledger.</p></section>
    <div class="grid"><section class="card"><h3>Energy per slot by source (kWh)</h3><canvas id="mix"></canvas></section>
    <section class="card"><h3>Clearing prices (credits per kWh / per compute unit)</h3><canvas id="prices"></canvas></section>
    <section class="card"><h3>Green share (%) and carbon intensity (g CO2/kWh)</h3><canvas id="carbon"></canvas></section>
    <section class="card"><h3>Batch roots on the ledger</h3>${table(['round', 'slot', 'trades', 'Merkle root', 'status'],
      batches.items.map((b) => [b.round, b.slot, b.tradeCount, '<span class="mono">' + esc(short(b.merkleRoot)) + '</span>',
        esc(b.status)]))}</section></div>
    <section class="card"><h3>Rounds</h3>${table(['round', 'slot (UTC)', 'orders', 'trades', 'energy kWh', 'green %',
      'g CO2/kWh', 'compute units', 'energy price', 'compute price', 'kg CO2', 'settlement'], items.slice().reverse().map((r) => [
      r.round, new Date(r.slot * 3600e3).toISOString().slice(0, 16), r.orders, r.trades, kwh(r.energyWh),
      (r.greenShareBps / 100).toFixed(0), (r.carbonMgPerKwh / 1000).toFixed(0), (r.computeMilliUnits / 1000).toFixed(1),
      credits(r.energyPriceMicros), credits(r.computePriceMicros), (r.carbonMg / 1e6).toFixed(2),
      esc(r.settlement || '')]))}</section>`);
  $('view').dataset.rounds = String(items.length);
  const labels = items.map((r) => new Date(r.slot * 3600e3).toISOString().slice(11, 16));
  charts.push(new Chart($('mix'), { type: 'bar', data: { labels, datasets: sources.map((src) => ({
    label: src.toLowerCase(), data: items.map((r) => ((r.energyBySourceWh || {})[src] || 0) / 1000),
    backgroundColor: SOURCE_COLOURS[src] || '#777', stack: 'e' })) },
  options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true } } } }));
  charts.push(new Chart($('prices'), { type: 'line', data: { labels, datasets: [
    { label: 'energy', data: items.map((r) => r.energyPriceMicros / 1e6), borderColor: '#1f4d36' },
    { label: 'compute', data: items.map((r) => r.computePriceMicros / 1e6), borderColor: '#c77d14' },
  ] }, options: { animation: false } }));
  charts.push(new Chart($('carbon'), { type: 'line', data: { labels, datasets: [
    { label: 'green %', data: items.map((r) => r.greenShareBps / 100), borderColor: '#2e9e5b', yAxisID: 'y' },
    { label: 'g CO2/kWh', data: items.map((r) => r.carbonMgPerKwh / 1000), borderColor: '#5b5b5b', yAxisID: 'y1' },
  ] }, options: { animation: false, scales: { y: { position: 'left' }, y1: { position: 'right' } } } }));
}

const ORDER_KINDS = { MICROGRID: ['ENERGY_OFFER'], PROVIDER: ['ENERGY_BID', 'COMPUTE_OFFER'], USER: ['COMPUTE_DEMAND'] };

/** A participant's orders, and a form whose orders the wallet signs (eth_signTypedData_v4). */
async function ordersView() {
  const me = session.address;
  const kinds = ORDER_KINDS[session.role] || [];
  const [market, orders] = await Promise.all([api('/v1/market'), me ? api('/v1/orders?limit=100&trader=' + me)
    : Promise.resolve({ items: [] })]);
  const nextSlot = market.lastClosedSlot !== undefined ? market.lastClosedSlot + 1 : Math.floor(Date.now() / 3600e3) + 1;
  const form = !kinds.length ? '<p>A ' + esc(session.role) + ' places no orders.</p>' : `
    <div class="form">
      <label>order <select id="order-kind">${kinds.map((k) => `<option>${k}</option>`).join('')}</select></label>
      <label>slot (hours since 1970) <input id="order-slot" value="${nextSlot}" size="10"></label>
      <label>zone <input id="order-zone" value="1" size="3"></label>
      <label><span id="order-qty-label">quantity</span> <input id="order-quantity" value="1" size="8"></label>
      <label>limit price (credits) <input id="order-price" value="0.2" size="8"></label>
      <label class="offer-only">source <select id="order-source">${['SOLAR', 'WIND', 'HYDRO', 'GRID', 'STORAGE']
        .map((x) => `<option>${x}</option>`).join('')}</select></label>
      <label class="offer-only">g CO2/kWh <input id="order-carbon" value="40" size="6"></label>
      <label>green % <input id="order-green" value="0" size="5"></label>
      <label class="demand-only">latency ms <input id="order-latency" value="0" size="6"></label>
      <button id="order-sign">Sign with ${esc(wallet ? wallet.label : 'your wallet')} and place</button>
    </div>${wallet ? '' : '<p class="bad">Sign in with your wallet or keystore in this tab to sign orders.</p>'}
    <div id="order-status" class="status"></div>`;
  resetView(`<section class="card"><h2>Orders of ${esc(me || session.role)}</h2>${form}</section>
    <section class="card"><h3>Your orders</h3><div id="my-orders">${ordersTable(orders)}</div></section>`);
  if (!kinds.length) return;
  const sync = () => {
    const k = $('order-kind').value;
    $('order-qty-label').textContent = k.startsWith('ENERGY') ? 'kWh' : 'compute units';
    document.querySelectorAll('.offer-only').forEach((e) => { e.hidden = k !== 'ENERGY_OFFER'; });
    document.querySelectorAll('.demand-only').forEach((e) => { e.hidden = k !== 'COMPUTE_DEMAND'; });
  };
  $('order-kind').addEventListener('change', sync);
  sync();
  $('order-sign').addEventListener('click', () => placeOrder(market.domain));
}

function ordersTable(orders) {
  return table(['order', 'kind', 'slot', 'quantity (Wh or milli-units)', 'price', 'filled', 'status'],
    orders.items.map((o) => ['<span class="mono">' + esc(short(o.orderId)) + '</span>', o.order.kind, o.order.slot,
      o.order.quantity, credits(o.order.priceMicros), o.filled, esc(o.status)]));
}

async function placeOrder(domain) {
  const status = $('order-status');
  try {
    if (!wallet) throw new Error('sign in with your wallet or keystore in this tab first');
    const kind = $('order-kind').value;
    const whole = (id, name) => {
      const v = $(id).value.trim();
      if (!/^\d+$/.test(v)) throw new Error(name + ' must be a whole number');
      return Number(v);
    };
    const order = { kind, trader: wallet.address, slot: whole('order-slot', 'slot'), zone: whole('order-zone', 'zone'),
      quantity: toUnits($('order-quantity').value, 3, 'quantity'), priceMicros: toUnits($('order-price').value, 6, 'price'),
      source: kind === 'ENERGY_OFFER' ? $('order-source').value : 'NONE', greenBps: toUnits($('order-green').value, 2, 'green %'),
      carbonMgPerKwh: kind === 'ENERGY_OFFER' ? toUnits($('order-carbon').value, 3, 'g CO2/kWh') : 0,
      latencyMs: kind === 'COMPUTE_DEMAND' ? whole('order-latency', 'latency') : 0,
      // Unique per trader: milliseconds since 1970 times 1000 plus a random part stays below 2^53.
      nonce: Date.now() * 1000 + Math.floor(Math.random() * 1000), expiry: 0 };
    status.className = 'status';
    status.textContent = 'waiting for ' + wallet.label + ' to sign…';
    const typed = orderTypedData(domain, order);
    const signature = await wallet.provider.request({ method: 'eth_signTypedData_v4',
      params: [wallet.address, JSON.stringify(typed)] });
    const r = await api('/v1/orders', { method: 'POST', headers: { 'Idempotency-Key': 'order-' + order.nonce },
      body: JSON.stringify({ order, signature }) });
    status.className = 'status ok';
    status.dataset.orderId = r.orderId;
    status.textContent = 'order ' + r.orderId + ' accepted (' + r.status + ')';
    const mine = await api('/v1/orders?limit=100&trader=' + wallet.address).catch(() => null);
    if (mine && $('my-orders')) $('my-orders').innerHTML = ordersTable(mine);
  } catch (e) {
    status.className = 'status bad';
    status.textContent = 'order not placed: ' + (e && e.message ? e.message : e);
  }
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

function currentView() {
  return (location.hash || '#market').slice(1);
}

async function route() {
  const view = currentView();
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.id === 'nav-' + view));
  const views = { market: marketView, provider: providerView, auditor: auditorView, orders: ordersView,
    operator: () => operatorView({ api, resetView, esc, table, $ }) };
  delete $('view').dataset.loaded;
  if (view !== 'market' && !session.token) {
    resetView('<section class="card"><p>Sign in to see the ' + esc(view) + ' view (the market view needs no'
      + ' sign-in).</p></section>');
    return;
  }
  try {
    await (views[view] || marketView)();
    $('view').dataset.loaded = view;
  } catch (e) {
    if (e.status === 401) { session.clear(); wallet = null; showWho(); restartStream(); }
    resetView('<section class="card"><p class="bad">' + esc(e.message) + '</p></section>');
  }
}

renderWallets([]);
discoverWallets(renderWallets);
$('keystore-button').addEventListener('click', signInWithKeystore);
$('login-button').addEventListener('click', signInWithPastedKey);
$('key').addEventListener('keydown', (e) => { if (e.key === 'Enter') signInWithPastedKey(); });
$('logout-button').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
window.cne = { openTrade };
showWho();
restartStream();
route();
