#!/usr/bin/env node
// Compiles src/main/solidity/*.sol with the pinned solc-js (standard JSON, optimizer on) and
// writes <Name>.abi, <Name>.bin and combined.json to target/solidity/. Run by the Maven build
// (exec-maven-plugin, generate-sources) after `npm ci`.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src', 'main', 'solidity');
const outDir = path.join(root, 'target', 'solidity');
const contractsToEmit = ['CneMarket', 'CneCredit', 'CneCertificate'];

const sources = {};
for (const f of fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[f] = { content: fs.readFileSync(path.join(srcDir, f), 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

function findImports(importPath) {
  const candidates = [path.join(root, 'node_modules', importPath), path.join(srcDir, importPath)];
  for (const c of candidates) {
    if (fs.existsSync(c)) {
      return { contents: fs.readFileSync(c, 'utf8') };
    }
  }
  return { error: 'not found: ' + importPath };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
let failed = false;
for (const e of output.errors || []) {
  const msg = e.formattedMessage || e.message;
  if (e.severity === 'error') {
    failed = true;
    console.error(msg);
  } else {
    console.warn(msg);
  }
}
if (failed) {
  process.exit(1);
}

fs.mkdirSync(outDir, { recursive: true });
const combined = { compiler: solc.version(), contracts: {} };
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, c] of Object.entries(contracts)) {
    if (!contractsToEmit.includes(name)) {
      continue;
    }
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object);
    combined.contracts[name] = { file, abi: c.abi, bin: c.evm.bytecode.object };
    console.log(`compiled ${name} (${c.evm.deployedBytecode.object.length / 2} bytes runtime)`);
  }
}
for (const name of contractsToEmit) {
  if (!combined.contracts[name]) {
    console.error('missing contract ' + name);
    process.exit(1);
  }
}
fs.writeFileSync(path.join(outDir, 'combined.json'), JSON.stringify(combined));
console.log('solc ' + solc.version() + ' -> ' + outDir);
