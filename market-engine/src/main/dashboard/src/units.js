// Decimal text to fixed-point integers without floating point: "0.25" with 6 decimals is 250000.
export function toUnits(text, decimals, name) {
  const s = String(text).trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(name + ' must be a decimal number like 12 or 0.25');
  const frac = m[2] || '';
  if (frac.length > decimals) throw new Error(name + ' has more than ' + decimals + ' decimals');
  const v = BigInt(m[1] + frac.padEnd(decimals, '0'));
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(name + ' is too large');
  return Number(v);
}
