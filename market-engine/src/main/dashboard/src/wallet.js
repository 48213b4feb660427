// Wallets: EIP-1193 providers discovered with EIP-6963 (or window.ethereum), and a local provider
// over a key decrypted in the browser from an Ethereum V3 keystore (the fallback) or, as a marked
// development aid, a pasted raw key. Every signature goes through provider.request, so sign-in
// (personal_sign) and orders (eth_signTypedData_v4) are the same code for both.
import * as secp from '@noble/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';

secp.hashes.sha256 = sha256;
secp.hashes.hmacSha256 = (k, m) => hmac(sha256, k, m);

const enc = new TextEncoder();
export const hex = (b) => '0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
export const unhex = (h) => {
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

export function addressOf(secretKey) {
  return hex(keccak_256(secp.getPublicKey(secretKey, false).slice(1)).slice(12));
}

/** r || s || v (v = 27 + recovery) over a 32-byte digest, as Ethereum wallets sign. */
function signDigest(digest, secretKey) {
  const rec = secp.sign(digest, secretKey, { prehash: false, format: 'recovered', lowS: true });
  return hex(concat(rec.slice(1), Uint8Array.of(27 + rec[0])));
}

export function personalSign(message, secretKey) {
  const m = typeof message === 'string' ? enc.encode(message) : message;
  return signDigest(keccak_256(concat(enc.encode('\x19Ethereum Signed Message:\n' + m.length), m)), secretKey);
}

// ---- EIP-712 (eth_signTypedData_v4) ----

const word = (v) => {
  let n = BigInt(v);
  if (n < 0n) n += 1n << 256n;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) { out[i] = Number(n & 0xffn); n >>= 8n; }
  return out;
};

function dependencies(types, primary, found = new Set()) {
  if (found.has(primary) || !types[primary]) return found;
  found.add(primary);
  for (const f of types[primary]) dependencies(types, f.type.replace(/\[\d*\]$/, ''), found);
  return found;
}

function encodeType(types, primary) {
  const deps = [...dependencies(types, primary)].filter((t) => t !== primary).sort();
  return [primary, ...deps].map((t) => t + '(' + types[t].map((f) => f.type + ' ' + f.name).join(',') + ')').join('');
}

function encodeValue(types, type, value) {
  if (types[type]) return hashStruct(types, type, value);
  if (type.endsWith(']')) {
    const inner = type.replace(/\[\d*\]$/, '');
    return keccak_256(concat(...value.map((v) => encodeValue(types, inner, v))));
  }
  if (type === 'string') return keccak_256(enc.encode(value));
  if (type === 'bytes') return keccak_256(unhex(value));
  if (type === 'bool') return word(value ? 1 : 0);
  if (type === 'address') return word(BigInt(value));
  if (/^bytes\d+$/.test(type)) { const b = unhex(value); const out = new Uint8Array(32); out.set(b); return out; }
  if (/^u?int\d*$/.test(type)) return word(value);
  throw new Error('unsupported EIP-712 type ' + type);
}

export function hashStruct(types, primary, data) {
  return keccak_256(concat(keccak_256(enc.encode(encodeType(types, primary))),
    ...types[primary].map((f) => encodeValue(types, f.type, data[f.name]))));
}

/** The EIP-712 digest of typed data, byte for byte what eth_signTypedData_v4 signs. */
export function typedDataDigest(td) {
  const types = { ...td.types };
  return keccak_256(concat(Uint8Array.of(0x19, 0x01), hashStruct(types, 'EIP712Domain', td.domain),
    hashStruct(types, td.primaryType, td.message)));
}

const KIND_CODE = { ENERGY_OFFER: 0, ENERGY_BID: 1, COMPUTE_OFFER: 2, COMPUTE_DEMAND: 3 };
const SOURCE_CODE = { NONE: 0, GRID: 1, SOLAR: 2, WIND: 3, HYDRO: 4, STORAGE: 5 };

/** The Order typed data (org.cnemarket.core.eip712.Eip712.ORDER_TYPE) for the engine's domain. */
export function orderTypedData(domain, order) {
  return {
    types: {
      EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }],
      Order: [{ name: 'kind', type: 'uint8' }, { name: 'trader', type: 'address' }, { name: 'slot', type: 'uint64' },
        { name: 'zone', type: 'uint32' }, { name: 'quantity', type: 'uint64' }, { name: 'priceMicros', type: 'uint64' },
        { name: 'source', type: 'uint8' }, { name: 'greenBps', type: 'uint16' }, { name: 'carbonMgPerKwh', type: 'uint32' },
        { name: 'latencyMs', type: 'uint32' }, { name: 'nonce', type: 'uint64' }, { name: 'expiry', type: 'uint64' }],
    },
    primaryType: 'Order',
    domain: { name: domain.name, version: domain.version, chainId: domain.chainId,
      verifyingContract: domain.verifyingContract },
    message: { kind: KIND_CODE[order.kind], trader: order.trader, slot: String(order.slot), zone: order.zone,
      quantity: String(order.quantity), priceMicros: String(order.priceMicros), source: SOURCE_CODE[order.source],
      greenBps: order.greenBps, carbonMgPerKwh: order.carbonMgPerKwh, latencyMs: order.latencyMs,
      nonce: String(order.nonce), expiry: String(order.expiry) },
  };
}

// ---- providers ----

/** An EIP-1193 provider over a key held in this page (keystore fallback, development aid). */
export function localProvider(secretKey, chainId) {
  const address = addressOf(secretKey);
  return {
    isLocalKey: true,
    async request({ method, params = [] }) {
      switch (method) {
        case 'eth_requestAccounts':
        case 'eth_accounts': return [address];
        case 'eth_chainId': return '0x' + Number(chainId || 31337).toString(16);
        case 'personal_sign': {
          const [data, from] = params;
          if (from.toLowerCase() !== address) throw new Error('this key is ' + address + ', not ' + from);
          return personalSign(data.startsWith('0x') ? unhex(data) : data, secretKey);
        }
        case 'eth_signTypedData_v4': {
          const [from, json] = params;
          if (from.toLowerCase() !== address) throw new Error('this key is ' + address + ', not ' + from);
          return signDigest(typedDataDigest(typeof json === 'string' ? JSON.parse(json) : json), secretKey);
        }
        default: { const e = new Error('unsupported method ' + method); e.code = 4200; throw e; }
      }
    },
  };
}

/** Wallets announced through EIP-6963, plus a legacy injected window.ethereum when none announces. */
export function discoverWallets(onChange) {
  const wallets = new Map();
  window.addEventListener('eip6963:announceProvider', (e) => {
    const { info, provider } = e.detail || {};
    if (!info || !provider || typeof provider.request !== 'function') return;
    wallets.set(info.uuid, { info, provider });
    onChange([...wallets.values()]);
  });
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  setTimeout(() => {
    if (wallets.size === 0 && window.ethereum && typeof window.ethereum.request === 'function') {
      wallets.set('legacy', { info: { uuid: 'legacy', name: 'Browser wallet (window.ethereum)', rdns: 'legacy' },
        provider: window.ethereum });
      onChange([...wallets.values()]);
    }
  }, 300);
  return () => [...wallets.values()];
}

// ---- Ethereum V3 keystores (Web3 Secret Storage) ----

/** Decrypts a V3 keystore with its password; throws on a wrong password (MAC mismatch). */
export async function decryptKeystore(json, password) {
  const ks = typeof json === 'string' ? JSON.parse(json) : json;
  const c = ks.crypto || ks.Crypto;
  if (!c || ks.version !== 3) throw new Error('not an Ethereum V3 keystore');
  if (c.cipher !== 'aes-128-ctr') throw new Error('unsupported cipher ' + c.cipher);
  const p = c.kdfparams;
  const pw = enc.encode(password.normalize('NFKC'));
  const salt = unhex(p.salt);
  let dk;
  if (c.kdf === 'scrypt') {
    if (p.n > (1 << 18)) throw new Error('scrypt parameters too large for the browser');
    dk = await scryptAsync(pw, salt, { N: p.n, r: p.r, p: p.p, dkLen: p.dklen });
  } else if (c.kdf === 'pbkdf2') {
    if (p.prf !== 'hmac-sha256') throw new Error('unsupported PBKDF2 ' + p.prf);
    dk = await pbkdf2Async(sha256, pw, salt, { c: p.c, dkLen: p.dklen });
  } else {
    throw new Error('unsupported key derivation ' + c.kdf);
  }
  const ciphertext = unhex(c.ciphertext);
  if (hex(keccak_256(concat(dk.slice(16, 32), ciphertext))) !== '0x' + c.mac.replace(/^0x/, '').toLowerCase()) {
    throw new Error('wrong password (the keystore MAC does not match)');
  }
  const key = await crypto.subtle.importKey('raw', dk.slice(0, 16), { name: 'AES-CTR' }, false, ['decrypt']);
  const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CTR', counter: unhex(c.cipherparams.iv),
    length: 128 }, key, ciphertext));
  const sk = plain.length === 32 ? plain : concat(new Uint8Array(32 - plain.length), plain);
  if (ks.address && addressOf(sk) !== '0x' + ks.address.replace(/^0x/, '').toLowerCase()) {
    throw new Error('the keystore decrypts to another address than it names');
  }
  return sk;
}
