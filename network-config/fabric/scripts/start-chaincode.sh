#!/usr/bin/env bash
# Starts the CNE chaincode as a service (CCaaS) for the peers to dial.
#
# usage: start-chaincode.sh PACKAGE_ID [BUILD_DIR]
#   PACKAGE_ID  from `peer lifecycle chaincode install` / calculatepackageid (label:sha256)
#   CNE_CHAINCODE_CLASSPATH  the chaincode jar and its runtime dependencies (default: the build's
#                            chaincode/target/cne-chaincode.jar, whose manifest names its lib/)
#   CNE_CHAINCODE_MAIN       main class (default org.hyperledger.fabric.contract.ContractRouter,
#                            whose main starts the gRPC chaincode server when
#                            CHAINCODE_SERVER_ADDRESS is set, fabric-chaincode-shim 2.5.10)
#
# The process gets a clean environment (env -i): it must not inherit the peer CLI's CORE_PEER_*
# variables, which the Java shim reads (CORE_PEER_TLS_ENABLED would switch TLS on with the
# CLI's files, CORE_PEER_ADDRESS and CORE_PEER_LOCALMSPID would be taken as its own). What the
# shim is given instead:
#   CHAINCODE_SERVER_ADDRESS   listen address (host:port); its presence selects server mode
#   CORE_CHAINCODE_ID_NAME     the package id; the shim refuses to start without it
#   CORE_PEER_TLS_ENABLED=true + CORE_TLS_CLIENT_CERT_FILE / CORE_TLS_CLIENT_KEY_FILE: the
#       server's TLS certificate and key as PEM (the shim uses the *_FILE pair for its server
#       socket); it also insists that CORE_TLS_CLIENT_CERT_PATH, CORE_TLS_CLIENT_KEY_PATH and
#       CORE_PEER_TLS_ROOTCERT_FILE are set when TLS is on, and reads the *_PATH pair as Base64
#       of the PEM text (ChaincodeBase.createSSLContext), so those name Base64 copies of the same
#       certificate and key (server.crt.b64, server.key.b64 next to the build's chaincode files).
#   The peers verify the server against root_cert in the package's connection.json.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pkgid=${1:?usage: start-chaincode.sh PACKAGE_ID [BUILD_DIR]}
build=${2:-$HERE/../build}
CNE_CHAINCODE_CLASSPATH=${CNE_CHAINCODE_CLASSPATH:-$HERE/../../../chaincode/target/cne-chaincode.jar}
[[ -n "${CNE_CHAINCODE_CLASSPATH}" ]] || { echo "error: CNE_CHAINCODE_CLASSPATH is empty" >&2; exit 1; }
main=${CNE_CHAINCODE_MAIN:-org.hyperledger.fabric.contract.ContractRouter}
address=${CNE_CHAINCODE_ADDRESS:-127.0.0.1:9999}
tls="$build/crypto/peerOrganizations/platform.cne.local/peers/ccaas.platform.cne.local/tls"

command -v java >/dev/null 2>&1 || { echo "error: java is not on PATH" >&2; exit 1; }
java_bin=$(command -v java)
[[ -f "$tls/server.crt" ]] || { echo "error: no chaincode TLS identity in $tls (run network.sh up)" >&2; exit 1; }
mkdir -p "$build/pids" "$build/logs" "$build/chaincode"
b64="$build/chaincode/tls"
mkdir -p "$b64"
base64 -w0 "$tls/server.crt" >"$b64/server.crt.b64"
base64 -w0 "$tls/server.key" >"$b64/server.key.b64"
chmod 600 "$b64/server.key.b64"

env -i \
  PATH=/usr/local/bin:/usr/bin:/bin \
  HOME="${HOME:-/tmp}" \
  CHAINCODE_SERVER_ADDRESS="$address" \
  CORE_CHAINCODE_ID_NAME="$pkgid" \
  CORE_PEER_TLS_ENABLED=true \
  CORE_TLS_CLIENT_CERT_FILE="$tls/server.crt" \
  CORE_TLS_CLIENT_KEY_FILE="$tls/server.key" \
  CORE_TLS_CLIENT_CERT_PATH="$b64/server.crt.b64" \
  CORE_TLS_CLIENT_KEY_PATH="$b64/server.key.b64" \
  CORE_PEER_TLS_ROOTCERT_FILE="$tls/ca.crt" \
  "$java_bin" -cp "$CNE_CHAINCODE_CLASSPATH" "$main" \
  >"$build/logs/chaincode.log" 2>&1 &
echo $! >"$build/pids/chaincode.pid"
echo "chaincode server $main on $address as $pkgid (pid $!), log $build/logs/chaincode.log"
