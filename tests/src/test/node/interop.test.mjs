// The engine checked with independent Ethereum tooling (ethers v6, OpenZeppelin merkle-tree,
// siwe), knowing nothing but what the engine serves: the EIP-712 definition from /v1/market.
// Run by InteropNodeTest with CNE_ENGINE_URL and CNE_OPERATOR_TOKEN of a running engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Wallet, TypedDataEncoder, getAddress } from 'ethers';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { SiweMessage } from 'siwe';

const BASE = process.env.CNE_ENGINE_URL;
const OPERATOR = process.env.CNE_OPERATOR_TOKEN;

/** JSON with BigInts written as plain numbers (uint64 nonces go up to 2^64 - 1). */
const json = (body) => JSON.stringify(body, (k, v) => (typeof v === 'bigint' ? `#big${v}` : v))
  .replace(/"#big(\d+)"/g, '$1');

async function call(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : json(body) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}
async function ok(method, path, body, token, status = method === 'POST' ? 201 : 200) {
  const r = await call(method, path, body, token);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.json)}`);
  return r.json;
}

/** The served definition as ethers wants it: the types without EIP712Domain. */
function typesFor(typedData, primary) {
  const { EIP712Domain, ...types } = typedData.types;
  // ethers signs the primary type and whatever it references; each of ours stands alone.
  return { [primary]: types[primary] };
}

/** The Solidity types of the Trade's 13 fields in the order the leaf encodes them. */
const TRADE_TYPES = ['bytes32', 'uint64', 'uint64', 'uint8', 'bytes32', 'bytes32', 'address', 'address',
  'uint64', 'uint64', 'uint64', 'uint64', 'uint64'];
const tradeValues = (t, enums) => [t.tradeId, t.round, t.slot, enums['Trade.market'][t.market], t.buyOrderId,
  t.sellOrderId, t.buyer, t.seller, t.quantity, t.priceMicros, t.amountMicros, t.greenWh, t.carbonMg]
  .map((v) => (typeof v === 'number' ? BigInt(v) : v));

test('sign in, register, trade and prove with standard Ethereum libraries only', async () => {
  const market = await ok('GET', '/v1/market');
  const td = market.typedData;
  assert.ok(td, '/v1/market serves the typed-data definition');
  const domain = td.domain;
  assert.deepEqual(Object.keys(td.primaryTypes).sort(),
    ['certificateRetire', 'certificateTransfer', 'contractChoice', 'order', 'registration']);
  // The served domain type names exactly the domain's fields.
  assert.deepEqual(td.types.EIP712Domain.map((f) => f.name).sort(), Object.keys(domain).sort());

  const role = td.enums['Registration.role'];
  const kind = td.enums['Order.kind'];
  const source = td.enums['Order.source'];

  async function participant(roleName, name) {
    const w = Wallet.createRandom();
    const reg = { account: w.address, role: role[roleName], name, nonce: 1 };
    const signature = await w.signTypedData(domain, typesFor(td, td.primaryTypes.registration), reg);
    const p = await ok('POST', '/v1/participants', { account: w.address, role: roleName, name, nonce: 1, signature });
    assert.equal(getAddress(p.address), w.address);
    assert.equal(p.role, roleName);
    // EIP-4361: the challenge parses with the siwe library and names the checksummed address.
    const ch = await ok('GET', '/v1/auth/challenge?address=' + w.address.toLowerCase());
    const siwe = new SiweMessage(ch.message);
    assert.equal(siwe.address, w.address);
    assert.equal(siwe.nonce, ch.nonce);
    assert.equal(siwe.version, '1');
    assert.equal(siwe.chainId, Number(domain.chainId));
    // Signed by another key: refused, and the challenge stays usable.
    const forged = await call('POST', '/v1/auth/login',
      { message: ch.message, signature: await Wallet.createRandom().signMessage(ch.message) });
    assert.equal(forged.status, 401);
    const login = await ok('POST', '/v1/auth/login', { message: ch.message, signature: await w.signMessage(ch.message) },
      undefined, 200);
    assert.equal(login.role, roleName);
    return { w, token: login.token };
  }

  const grids = [await participant('MICROGRID', 'grid-a'), await participant('MICROGRID', 'grid-b')];
  const providers = [await participant('PROVIDER', 'dc-a'), await participant('PROVIDER', 'dc-b')];
  for (const p of providers) {
    await ok('POST', '/v1/deposits', { depositId: 'node-' + p.w.address, account: p.w.address, amountMicros: 50_000_000 },
      OPERATOR);
  }

  const slot = (market.lastClosedSlot ?? Math.floor(Date.now() / 3_600_000)) + 1;
  let nonce = 0;
  async function order(who, kindName, fields) {
    const value = { kind: kind[kindName], trader: who.w.address, slot, zone: 0, source: source.NONE, greenBps: 0,
      carbonMgPerKwh: 0, latencyMs: 0, nonce: ++nonce, expiry: 0, ...fields };
    const types = typesFor(td, td.primaryTypes.order);
    const signature = await who.w.signTypedData(domain, types, value);
    const sourceName = Object.keys(source).find((k) => source[k] === value.source);
    const body = { order: { ...value, kind: kindName, source: sourceName }, signature };
    const r = await ok('POST', '/v1/orders', body, who.token);
    // The order id is the EIP-712 digest ethers computes from the served definition.
    assert.equal(r.orderId, TypedDataEncoder.hash(domain, types, value));
    return r.orderId;
  }
  await order(grids[0], 'ENERGY_OFFER', { quantity: 4_000, priceMicros: 80_000, source: source.SOLAR, greenBps: 10_000,
    carbonMgPerKwh: 20_000 });
  await order(grids[1], 'ENERGY_OFFER', { quantity: 5_000, priceMicros: 95_000, source: source.WIND, greenBps: 10_000,
    carbonMgPerKwh: 11_000 });
  await order(providers[0], 'ENERGY_BID', { quantity: 3_000, priceMicros: 150_000 });
  // uint64 nonces use the whole range, 2^63 and above included.
  await order(providers[1], 'ENERGY_BID', { quantity: 4_000, priceMicros: 140_000, nonce: (1n << 64n) - 3n });

  const round = await ok('POST', '/v1/rounds', { slot }, OPERATOR);
  // The close settles the round unless a settlement pass was running already (then that pass or
  // the next one does): run one now and wait for it.
  if (round.settlement !== 'SETTLED') {
    assert.equal(round.settlement, 'PENDING');
    const pass = await ok('POST', '/v1/settlement/run', undefined, OPERATOR, 200);
    assert.equal(pass.pending, 0, JSON.stringify(pass));
  }
  const batch = await ok('GET', '/v1/batches/' + round.batchId, undefined, OPERATOR);
  const trades = (await ok('GET', `/v1/trades?fromSlot=${slot}&toSlot=${slot}&limit=100`, undefined, OPERATOR)).items
    .filter((t) => t.round === round.round);
  assert.ok(trades.length >= 3, 'the round clears several trades, got ' + trades.length);

  // OpenZeppelin's StandardMerkleTree over the engine's trades has the root the ledger holds ...
  const tree = StandardMerkleTree.of(trades.map((t) => tradeValues(t, td.enums)), TRADE_TYPES);
  assert.equal(tree.root, batch.merkleRoot.toLowerCase());
  for (const t of trades) {
    const p = await ok('GET', `/v1/trades/${t.tradeId}/proof`, undefined, OPERATOR);
    assert.equal(p.merkleRoot, tree.root);
    // ... the engine's proofs verify with the library, and are the library's own proofs.
    assert.ok(StandardMerkleTree.verify(tree.root, TRADE_TYPES, tradeValues(p.trade, td.enums), p.proof));
    assert.equal(p.leaf, tree.leafHash(tradeValues(t, td.enums)));
    const index = [...tree.entries()].find(([, v]) => v[0] === t.tradeId)[0];
    assert.deepEqual(p.proof, tree.getProof(index));
  }
  // A changed field does not verify.
  const forged = tradeValues({ ...trades[0], quantity: trades[0].quantity + 1 }, td.enums);
  const p0 = await ok('GET', `/v1/trades/${trades[0].tradeId}/proof`, undefined, OPERATOR);
  assert.equal(StandardMerkleTree.verify(tree.root, TRADE_TYPES, forged, p0.proof), false);
});
