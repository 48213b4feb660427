#!/usr/bin/env bash
# Issues a client identity with Fabric CA-style attributes from an organisation's CA, with
# openssl. cryptogen cannot put attributes in certificates; Fabric CA would, but this network
# runs without it. The attribute extension is what Fabric CA writes and what the chaincode's
# ClientIdentity reads: OID 1.2.3.4.5.6.7.8.1, value = the raw JSON bytes
#   {"attrs":{"cne.role":"operator"}}
#
# usage: issue-identity.sh CA_CERT CA_KEY MSP_ID COMMON_NAME ROLE OUT_DIR [ORG_MSP_CONFIG_YAML]
#   CA_CERT, CA_KEY   the organisation's signing CA (cryptogen: .../ca/ca.<domain>-cert.pem, priv_sk)
#   ROLE              value of the cne.role attribute: operator | auditor
#   OUT_DIR           gets cert.pem, key.pem (PKCS#8) and a complete msp/ folder for the peer CLI
#   ORG_MSP_CONFIG_YAML  the org MSP's config.yaml (NodeOUs) to copy into msp/
set -euo pipefail

if [[ $# -lt 6 ]]; then
  echo "usage: $0 CA_CERT CA_KEY MSP_ID COMMON_NAME ROLE OUT_DIR [ORG_MSP_CONFIG_YAML]" >&2
  exit 2
fi
ca_cert=$1 ca_key=$2 msp_id=$3 cn=$4 role=$5 out=$6 node_ous=${7:-}

command -v openssl >/dev/null 2>&1 || { echo "error: openssl is not on PATH" >&2; exit 1; }
[[ -f $ca_cert ]] || { echo "error: CA certificate not found: $ca_cert" >&2; exit 1; }
[[ -f $ca_key ]] || { echo "error: CA key not found: $ca_key" >&2; exit 1; }
[[ $role =~ ^[a-z]+$ ]] || { echo "error: role must be lower-case letters, got '$role'" >&2; exit 1; }

mkdir -p "$out/msp/signcerts" "$out/msp/keystore" "$out/msp/cacerts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.sec1.pem" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$work/key.sec1.pem" -out "$out/key.pem"
openssl req -new -key "$out/key.pem" -out "$work/csr.pem" \
  -subj "/C=US/ST=California/L=San Francisco/OU=client/CN=$cn"

attrs="{\"attrs\":{\"cne.role\":\"$role\"}}"
attrs_hex=$(printf '%s' "$attrs" | od -An -tx1 | tr -d ' \n' | sed 's/../&:/g; s/:$//')
cat > "$work/ext.cnf" <<CNF
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
1.2.3.4.5.6.7.8.1 = DER:$attrs_hex
CNF
openssl x509 -req -in "$work/csr.pem" -CA "$ca_cert" -CAkey "$ca_key" \
  -set_serial "0x$(openssl rand -hex 16)" -days 825 -sha256 \
  -extfile "$work/ext.cnf" -extensions client -out "$out/cert.pem" 2>/dev/null

cp "$out/cert.pem" "$out/msp/signcerts/cert.pem"
cp "$out/key.pem" "$out/msp/keystore/key.pem"
cp "$ca_cert" "$out/msp/cacerts/$(basename "$ca_cert")"
if [[ -n $node_ous && -f $node_ous ]]; then
  cp "$node_ous" "$out/msp/config.yaml"
fi
printf '%s\n' "$msp_id" > "$out/mspid"
echo "issued $cn ($msp_id, cne.role=$role) in $out"
