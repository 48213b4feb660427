// The operator's console: every action calls the same REST operation the API documents, so the
// engine applies the same checks (roles, contract validation, market rules) and a refusal shows
// its problem detail. Endpoints an engine does not offer yet (404) are shown as unavailable.
import { toUnits } from './units.js';

const idem = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());

export async function operatorView({ api, resetView, esc, table, $ }) {
  const [market, providers] = await Promise.all([api('/v1/market'), api('/v1/participants?role=PROVIDER&limit=500')]);
  const nextSlot = market.lastClosedSlot !== undefined ? market.lastClosedSlot + 1 : Math.floor(Date.now() / 3600e3);
  const lastRound = market.lastRound ? await api('/v1/rounds/' + market.lastRound).catch(() => null) : null;
  const params = market.parameters || {};
  resetView(`<section class="card"><h2>Operator console</h2><div class="kpis">
      <div class="kpi">last round<b id="op-last-round">${market.lastRound}</b></div>
      <div class="kpi">next slot<b>${nextSlot}</b></div>
      <div class="kpi">ledger<b>${esc(market.ledger.backend)} #${market.ledger.height}</b></div>
      <div class="kpi">energy mechanism<b id="op-kpi-energy">${esc(params.energy ?? lastRound?.results?.energy?.mechanism ?? '-')}</b></div>
      <div class="kpi">k<b id="op-kpi-k">${params.kPermille !== undefined ? (params.kPermille / 1000).toFixed(3) : '-'}</b></div>
      <div class="kpi">compute mechanism<b id="op-kpi-compute">${esc(params.compute ?? lastRound?.results?.compute?.mechanism ?? '-')}</b></div></div>
    </section>
    <div class="grid">
    <section class="card"><h3>Mechanism parameters</h3>
      <p class="hint">A change applies from the next round that closes; closed rounds keep (and reprice with)
        the parameters they cleared with.</p>
      <label>energy <select id="op-mp-energy">${['uniform', 'mcafee', 'lp'].map((m) =>
        `<option value="${m}"${m === params.energy ? ' selected' : ''}>${m}</option>`).join('')}</select></label>
      <label>k <input id="op-mp-k" value="${params.kPermille !== undefined ? (params.kPermille / 1000).toFixed(3) : '0.500'}" size="6"></label>
      <label>compute <select id="op-mp-compute">${['stackelberg', 'uniform'].map((m) =>
        `<option value="${m}"${m === params.compute ? ' selected' : ''}>${m}</option>`).join('')}</select></label>
      <label>McAfee lot kWh <input id="op-mp-lot" value="${(Number(params.lotWh ?? 1000) / 1000).toFixed(3)}" size="8"></label>
      <button id="op-mp-set">Apply from the next round</button><div id="op-mp-status" class="status"></div>
      <h4>Changes</h4><div id="op-mp-history">loading…</div></section>
    <section class="card"><h3>Close a round</h3>
      <label>slot <input id="op-slot" value="${nextSlot}" size="12"></label>
      <label><input id="op-settle" type="checkbox" checked> settle now</label>
      <button id="op-close">Close round</button><div id="op-close-status" class="status"></div></section>
    <section class="card"><h3>Settlement</h3>
      <button id="op-settle-run">Run settlement now</button><div id="op-settle-status" class="status"></div>
      <h4>Set-aside batches</h4><div id="op-set-aside">loading…</div></section>
    <section class="card"><h3>Deposit</h3>
      <label>account <input id="op-dep-account" placeholder="0x…" size="44"></label>
      <label>credits <input id="op-dep-amount" placeholder="100.5" size="12"></label>
      <button id="op-deposit">Deposit</button><div id="op-deposit-status" class="status"></div></section>
    <section class="card"><h3>Admit an auditor</h3>
      <label>address <input id="op-auditor" placeholder="0x…" size="44"></label>
      <button id="op-admit">Admit</button><div id="op-admit-status" class="status"></div></section>
    <section class="card"><h3>Power model of a provider</h3>
      <p class="hint">The operator sets it from the provider's data sheet and metering: it turns compute into kWh
        and carbon, so a provider's own claim is not taken as is. It applies from the next round that closes.</p>
      <label>provider <select id="op-pm-provider">${providers.items.map((p) =>
        `<option value="${esc(p.address)}">${esc(p.name)} ${esc(p.address.slice(0, 10))}…</option>`).join('')}</select></label>
      <div id="op-pm-current" class="hint"></div>
      <label>idle W <input id="op-pm-idle" value="100" size="6"></label>
      <label>peak W <input id="op-pm-peak" value="300" size="6"></label>
      <label>PUE <input id="op-pm-pue" value="1.2" size="5"></label>
      <label>utilisation % <input id="op-pm-util" value="50" size="5"></label>
      <button id="op-pm-set">Set power model</button><div id="op-pm-status" class="status"></div></section>
    </div>`);

  const run = async (statusId, work) => {
    const s = $(statusId);
    s.className = 'status';
    s.textContent = '…';
    try {
      const text = await work();
      s.className = 'status ok';
      s.textContent = text;
    } catch (e) {
      s.className = 'status bad';
      s.textContent = e.status === 404 && e.missing ? 'not available on this engine yet' : e.message;
    }
  };
  const post = (path, body) => api(path, { method: 'POST', headers: { 'Idempotency-Key': idem() },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const integer = (v, name) => {
    if (!/^\d+$/.test(v.trim())) throw new Error(name + ' must be a whole number');
    return Number(v.trim());
  };

  $('op-close').addEventListener('click', () => run('op-close-status', async () => {
    const r = await post('/v1/rounds', { slot: integer($('op-slot').value, 'slot'), settle: $('op-settle').checked });
    $('op-slot').value = r.slot + 1;
    $('op-last-round').textContent = r.round;
    return `round ${r.round} closed: ${r.trades} trades, batch ${r.batchId.slice(0, 10)}… ${r.settlement || ''}`;
  }));
  $('op-settle-run').addEventListener('click', () => run('op-settle-status', async () => {
    const r = await post('/v1/settlement/run', undefined);
    return `${r.settled} settled, ${r.pending} pending` + (r.lastError ? ' (' + r.lastError + ')' : '');
  }));
  $('op-deposit').addEventListener('click', () => run('op-deposit-status', async () => {
    const account = $('op-dep-account').value.trim();
    const amountMicros = toUnits($('op-dep-amount').value, 6, 'credits');
    const r = await post('/v1/deposits', { depositId: 'console-' + idem(), account, amountMicros });
    return `deposited ${r.amountMicros / 1e6} credits to ${r.account}`;
  }));
  $('op-admit').addEventListener('click', () => run('op-admit-status', async () => {
    try {
      await post('/v1/auditors', { address: $('op-auditor').value.trim() });
    } catch (e) {
      if (e.status === 404 && /no resource/.test(e.message)) e.missing = true;
      throw e;
    }
    return 'admitted ' + $('op-auditor').value.trim() + ' as an auditor';
  }));
  // The network part of a model is not edited here; it is kept as the market holds it.
  let network = {};
  const loadPowerModel = async () => {
    const a = $('op-pm-provider').value;
    const box = $('op-pm-current');
    if (!a) { box.textContent = 'No provider is registered yet.'; return; }
    try {
      const r = await api('/v1/participants/' + a + '/power-model');
      const m = r.model;
      $('op-pm-idle').value = m.idleW;
      $('op-pm-peak').value = m.peakW;
      $('op-pm-pue').value = (m.pueBps / 10000).toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
      $('op-pm-util').value = (m.utilisationBps / 100).toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
      network = m.networkBitsPerUnit !== undefined
        ? { networkBitsPerUnit: m.networkBitsPerUnit, networkPicojoulesPerBit: m.networkPicojoulesPerBit } : {};
      box.dataset.declared = String(r.declared);
      box.textContent = (r.declared ? 'set by the operator' : 'none set: the market default applies') + ', '
        + (r.milliWhPerUnit / 1e6).toFixed(4) + ' kWh per compute unit';
    } catch (e) {
      box.textContent = e.message;
    }
  };
  $('op-pm-provider').addEventListener('change', loadPowerModel);
  $('op-pm-set').addEventListener('click', () => run('op-pm-status', async () => {
    const a = $('op-pm-provider').value;
    const body = { idleW: integer($('op-pm-idle').value, 'idle W'), peakW: integer($('op-pm-peak').value, 'peak W'),
      pueBps: toUnits($('op-pm-pue').value, 4, 'PUE'), utilisationBps: toUnits($('op-pm-util').value, 2, 'utilisation'),
      ...network };
    await api('/v1/participants/' + a + '/power-model', { method: 'PUT', body: JSON.stringify(body) });
    await loadPowerModel();
    return 'power model of ' + a + ' set; it applies from the next round';
  }));
  $('op-mp-set').addEventListener('click', () => run('op-mp-status', async () => {
    const body = { energy: $('op-mp-energy').value, kPermille: toUnits($('op-mp-k').value, 3, 'k'),
      compute: $('op-mp-compute').value, lotWh: toUnits($('op-mp-lot').value, 3, 'McAfee lot') };
    const r = await api('/v1/market/parameters', { method: 'PUT', body: JSON.stringify(body) });
    $('op-kpi-energy').textContent = r.parameters.energy;
    $('op-kpi-k').textContent = (r.parameters.kPermille / 1000).toFixed(3);
    $('op-kpi-compute').textContent = r.parameters.compute;
    $('op-mp-status').dataset.fromRound = r.effectiveFromRound;
    loadParameterHistory({ api, esc, table, $ });
    return (r.changed ? 'set: ' : 'unchanged: ') + r.note;
  }));
  loadPowerModel();
  loadParameterHistory({ api, esc, table, $ });
  loadSetAside({ api, esc, table, $, post });
}

async function loadParameterHistory({ api, esc, table, $ }) {
  const box = $('op-mp-history');
  try {
    const r = await api('/v1/market/parameters?limit=10');
    box.innerHTML = table(['from round', 'energy', 'k', 'compute', 'set by, at (UTC)'], r.changes.map((c) => [
      esc(c.effectiveFromRound),
      esc(c.parameters.energy + (c.parameters.energy === 'mcafee' ? ', ' + c.parameters.lotWh / 1000 + ' kWh lots' : '')),
      esc((c.parameters.kPermille / 1000).toFixed(3)), esc(c.parameters.compute),
      `<span title="${esc(c.setBy)}">` + esc(c.setBy.startsWith('0x') ? c.setBy.slice(0, 8) + '…' : c.setBy) + '</span>, '
        + esc(new Date(c.setAtMillis).toISOString().slice(5, 16).replace('T', ' '))]));
  } catch (e) {
    box.textContent = e.status === 404 ? 'Parameter changes are not available on this engine yet.' : e.message;
  }
}

async function loadSetAside({ api, esc, table, $, post }) {
  const box = $('op-set-aside');
  let items;
  try {
    items = await api('/v1/settlement/set-aside');
  } catch (e) {
    box.textContent = e.status === 404 ? 'Set-aside batches are not available on this engine yet.' : e.message;
    return;
  }
  const list = Array.isArray(items) ? items : items.items || [];
  if (!list.length) {
    box.textContent = 'No batch is set aside.';
    return;
  }
  box.innerHTML = table(['batch', 'round', 'reason', 'since', ''], list.map((b) => [
    '<span class="mono">' + esc(String(b.batchId).slice(0, 12)) + '…</span>', esc(b.round), esc(b.reason),
    esc(typeof b.since === 'number' ? new Date(b.since).toISOString() : b.since),
    `<button class="link replan" data-batch="${esc(b.batchId)}">re-plan</button>`]));
  box.querySelectorAll('.replan').forEach((btn) => btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      await post('/v1/settlement/set-aside/' + btn.dataset.batch + '/replan', undefined);
      btn.textContent = 're-planned';
      loadSetAside({ api, esc, table, $, post });
    } catch (e) {
      btn.textContent = e.message;
    }
  }));
}
