#!/usr/bin/env bash
# CNE Market Fabric 2.5 network from native binaries (no Docker), on 127.0.0.1 only.
#
#   network.sh up       crypto material, channel "cne" genesis block, 1 Raft orderer joined with
#                       osnadmin, peer0.platform and peer0.grid joined to the channel
#   network.sh deploy   builds the chaincode, packages it as CCaaS, installs it on both peers,
#                       starts the chaincode server, approves and commits the definition with the
#                       endorsement policy, and configures the EIP-712 domain
#   network.sh down     stops what up/deploy started (by pid) and deletes build/
#   network.sh status   lists the processes started by up/deploy
#   network.sh start NODE  starts one node again after it stopped (orderer0, peer0.platform.cne.local,
#                       peer0.grid.cne.local, chaincode), with the configuration up/deploy rendered
#   network.sh generate only the files of up (crypto, identities, genesis block, node configs)
#   network.sh join     only the joins of up (orderer via osnadmin, peers), for nodes started
#                       some other way (docker-compose.yaml)
#
# Needs on PATH: peer, orderer, configtxgen, cryptogen, osnadmin (Fabric 2.5.12 release binaries),
# openssl, java, and CNE_CCAAS_BUILDER = the CCaaS external builder folder (with bin/detect,
# bin/build, bin/release; Fabric's release ships it as builders/ccaas).
# Everything is written under network-config/fabric/build/ (override: CNE_FABRIC_BUILD).
# Ports: the defaults below; CNE_FABRIC_PORT_OFFSET=N adds N to every one of them (tests run a
# network on free ports next to others). Connection profiles for the engine with the actual
# ports and absolute paths are written to build/profiles/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BUILD="${CNE_FABRIC_BUILD:-$HERE/build}"
CRYPTO="$BUILD/crypto"
PIDS="$BUILD/pids"
LOGS="$BUILD/logs"

CHANNEL=cne
CC_NAME="${CNE_CC_NAME:-cne}"
CC_VERSION="${CNE_CC_VERSION:-1.0}"
CC_SEQUENCE="${CNE_CC_SEQUENCE:-1}"
CC_LABEL="${CC_NAME}_${CC_VERSION}"
OFFSET="${CNE_FABRIC_PORT_OFFSET:-0}"
[[ "$OFFSET" =~ ^[0-9]+$ ]] || { echo "network.sh: error: CNE_FABRIC_PORT_OFFSET must be a number" >&2; exit 1; }
CC_ADDRESS=127.0.0.1:$((9999 + OFFSET))
# Both peer organisations endorse every transaction; Auditor runs no peer.
CC_POLICY="AND('PlatformMSP.peer','GridMSP.peer')"
CHAIN_ID="${CNE_CHAIN_ID:-31337}"

ORDERER_PORT=$((7050 + OFFSET))
ORDERER_ADMIN_PORT=$((7053 + OFFSET))
ORDERER_OPERATIONS=127.0.0.1:$((9443 + OFFSET))
PLATFORM_PORT=$((7051 + OFFSET))
GRID_PORT=$((9051 + OFFSET))
# peer name | org domain | MSP id | listen port | chaincode port | operations port
PEERS=(
  "peer0.platform.cne.local|platform.cne.local|PlatformMSP|$PLATFORM_PORT|$((7052 + OFFSET))|$((9444 + OFFSET))"
  "peer0.grid.cne.local|grid.cne.local|GridMSP|$GRID_PORT|$((9052 + OFFSET))|$((9445 + OFFSET))"
)

REQUIRED_BINARIES=(peer orderer configtxgen cryptogen osnadmin)

die() {
  echo "network.sh: error: $*" >&2
  exit 1
}

log() {
  echo "network.sh: $*"
}

# check_tools [NAME...]: every Fabric binary (or only the NAMEs given) must be on PATH.
check_tools() {
  local b names=("$@")
  [[ $# -gt 0 ]] || names=("${REQUIRED_BINARIES[@]}")
  for b in "${names[@]}"; do
    command -v "$b" >/dev/null 2>&1 ||
      die "'$b' not found on PATH. Put the Hyperledger Fabric 2.5.12 binaries (${REQUIRED_BINARIES[*]}) on PATH, e.g. export PATH=/opt/fabric-2.5.12/bin:\$PATH"
  done
}

check_builder() {
  [[ -n "${CNE_CCAAS_BUILDER:-}" ]] ||
    die "CNE_CCAAS_BUILDER is not set: point it at the CCaaS external builder folder (Fabric release builders/ccaas, with bin/detect, bin/build, bin/release)"
  local s
  for s in detect build release; do
    [[ -x "$CNE_CCAAS_BUILDER/bin/$s" ]] ||
      die "CNE_CCAAS_BUILDER=$CNE_CCAAS_BUILDER has no executable bin/$s"
  done
}

# wait_port HOST PORT WHAT [PIDNAME]: until something accepts connections, at most 60 s; fails at
# once when the process recorded as PIDNAME has exited (its log's last lines say why).
wait_port() {
  local i pidfile=""
  [[ -z "${4:-}" ]] || pidfile="$PIDS/$4.pid"
  for ((i = 0; i < 120; i++)); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then
      return 0
    fi
    if [[ -n $pidfile && -f $pidfile ]] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 5 "$LOGS/$4.log" >&2 2>/dev/null || true
      die "$4 exited before opening $1:$2 ($3); see $LOGS/$4.log"
    fi
    sleep 0.5
  done
  die "$3 did not open $1:$2 within 60 s; see $LOGS"
}

# start NAME LOGFILE ENV... -- COMMAND...: runs COMMAND in the background, records its pid.
start() {
  local name=$1 logfile=$2
  shift 2
  local envs=()
  while [[ $# -gt 0 && $1 != "--" ]]; do
    envs+=("$1")
    shift
  done
  shift
  mkdir -p "$PIDS" "$LOGS"
  env "${envs[@]}" "$@" >"$logfile" 2>&1 &
  echo $! >"$PIDS/$name.pid"
  log "started $name (pid $!), log $logfile"
}

render() { # render TEMPLATE OUT KEY=VALUE...
  local template=$1 out=$2
  shift 2
  local args=() kv
  for kv in "$@"; do
    args+=(-e "s|__${kv%%=*}__|${kv#*=}|g")
  done
  mkdir -p "$(dirname "$out")"
  sed "${args[@]}" "$template" >"$out"
  # Comments may name placeholders in general (__PLACEHOLDERS__); only settings must be rendered.
  if grep -v '^[[:space:]]*#' "$out" | grep -q '__[A-Z_]*__'; then
    die "unrendered placeholder in $out: $(grep -v '^[[:space:]]*#' "$out" | grep -o '__[A-Z_]*__' | head -1)"
  fi
}

orderer_tls_ca() { echo "$CRYPTO/ordererOrganizations/orderer.cne.local/tlsca/tlsca.orderer.cne.local-cert.pem"; }

# peer_cli_env PEER_SPEC [MSP_DIR]: environment for the peer CLI acting as the org admin (or the
# identity whose MSP folder is given) against that peer.
peer_cli_env() {
  local name domain msp port
  IFS='|' read -r name domain msp port _ _ <<<"$1"
  local mspdir=${2:-$CRYPTO/peerOrganizations/$domain/users/Admin@$domain/msp}
  echo "FABRIC_CFG_PATH=$BUILD/peers/$name"
  echo "CORE_PEER_LOCALMSPID=$msp"
  echo "CORE_PEER_MSPCONFIGPATH=$mspdir"
  echo "CORE_PEER_ADDRESS=127.0.0.1:$port"
  echo "CORE_PEER_TLS_ENABLED=true"
  echo "CORE_PEER_TLS_ROOTCERT_FILE=$CRYPTO/peerOrganizations/$domain/peers/$name/tls/ca.crt"
}

peer_as() { # peer_as PEER_SPEC [MSP_DIR] -- peer args...
  local spec=$1 mspdir=""
  shift
  if [[ $1 != "--" ]]; then
    mspdir=$1
    shift
  fi
  shift
  local envs=()
  mapfile -t envs < <(peer_cli_env "$spec" "$mspdir")
  env "${envs[@]}" peer "$@"
}

issue_identities() {
  local d="$CRYPTO/peerOrganizations"
  "$HERE/scripts/issue-identity.sh" \
    "$d/platform.cne.local/ca/ca.platform.cne.local-cert.pem" "$d/platform.cne.local/ca/priv_sk" \
    PlatformMSP engine@platform.cne.local operator "$BUILD/identities/engine" \
    "$d/platform.cne.local/msp/config.yaml"
  "$HERE/scripts/issue-identity.sh" \
    "$d/auditor.cne.local/ca/ca.auditor.cne.local-cert.pem" "$d/auditor.cne.local/ca/priv_sk" \
    AuditorMSP auditor@auditor.cne.local auditor "$BUILD/identities/auditor" \
    "$d/auditor.cne.local/msp/config.yaml"
}

# The file-making half of up: crypto, identities, genesis block, rendered node configs.
cmd_generate() {
  check_tools cryptogen configtxgen openssl
  # Only the path is needed here: it is written into the peers' core.yaml (it may be a path
  # inside the peer containers, see docker-compose.yaml).
  [[ -n "${CNE_CCAAS_BUILDER:-}" ]] ||
    die "CNE_CCAAS_BUILDER is not set: point it at the CCaaS external builder folder (Fabric release builders/ccaas, with bin/detect, bin/build, bin/release)"
  [[ ! -d "$BUILD/crypto" ]] || die "$BUILD already holds a network; run '$0 down' first"
  mkdir -p "$BUILD" "$PIDS" "$LOGS"

  log "generating crypto material"
  cryptogen generate --config="$HERE/crypto-config.yaml" --output="$CRYPTO" >/dev/null
  issue_identities
  # The Java shim reads CORE_TLS_CLIENT_{CERT,KEY}_PATH as Base64 of the PEM text.
  local cctls="$CRYPTO/peerOrganizations/platform.cne.local/peers/ccaas.platform.cne.local/tls"
  mkdir -p "$BUILD/chaincode/tls"
  base64 -w0 "$cctls/server.crt" >"$BUILD/chaincode/tls/server.crt.b64"
  base64 -w0 "$cctls/server.key" >"$BUILD/chaincode/tls/server.key.b64"

  log "creating the genesis block of channel $CHANNEL"
  render "$HERE/configtx.yaml" "$BUILD/configtx.yaml" \
    ORDERER_PORT="$ORDERER_PORT" PLATFORM_PORT="$PLATFORM_PORT" GRID_PORT="$GRID_PORT"
  mkdir -p "$BUILD/channel-artifacts"
  FABRIC_CFG_PATH="$BUILD" configtxgen -profile CneChannel -channelID "$CHANNEL" \
    -outputBlock "$BUILD/channel-artifacts/$CHANNEL.block"

  local od="$CRYPTO/ordererOrganizations/orderer.cne.local/orderers/orderer0.orderer.cne.local"
  render "$HERE/orderer.yaml" "$BUILD/orderers/orderer0/orderer.yaml" \
    ORDERER_PORT="$ORDERER_PORT" ORDERER_ADMIN_PORT="$ORDERER_ADMIN_PORT" \
    ORDERER_TLS_DIR="$od/tls" ORDERER_MSP_DIR="$od/msp" \
    ORDERER_DATA="$BUILD/orderers/orderer0/data" ORDERER_OPERATIONS="$ORDERER_OPERATIONS"

  local spec name domain msp port ccport ops
  for spec in "${PEERS[@]}"; do
    IFS='|' read -r name domain msp port ccport ops <<<"$spec"
    local pd="$CRYPTO/peerOrganizations/$domain/peers/$name"
    render "$HERE/core.yaml" "$BUILD/peers/$name/core.yaml" \
      PEER_ID="$name" PEER_LISTEN="127.0.0.1:$port" PEER_CC_LISTEN="127.0.0.1:$ccport" \
      PEER_ADDRESS="127.0.0.1:$port" PEER_TLS_DIR="$pd/tls" PEER_MSP_DIR="$pd/msp" \
      PEER_MSPID="$msp" PEER_DATA="$BUILD/peers/$name/data" PEER_OPERATIONS="127.0.0.1:$ops" \
      CCAAS_BUILDER="$CNE_CCAAS_BUILDER"
  done
  write_profiles
  log "configuration written to $BUILD"
}

# write_profile OUT PEER_PORT PEER_DOMAIN PEER_NAME MSP_ID IDENTITY_DIR
write_profile() {
  local out=$1 port=$2 domain=$3 name=$4 msp=$5 id=$6
  cat >"$out" <<JSON
{
  "peer": {
    "endpoint": "127.0.0.1:$port",
    "tlsCaCert": "$CRYPTO/peerOrganizations/$domain/tlsca/tlsca.$domain-cert.pem",
    "hostOverride": "$name"
  },
  "identity": {
    "mspId": "$msp",
    "cert": "$id/cert.pem",
    "key": "$id/key.pem"
  },
  "channel": "$CHANNEL",
  "chaincode": "$CC_NAME",
  "deadlines": { "evaluateMs": 5000, "endorseMs": 15000, "submitMs": 5000, "commitStatusMs": 60000, "eventsMs": 1000 },
  "retry": { "maxAttempts": 5, "initialBackoffMs": 200, "maxBackoffMs": 5000 }
}
JSON
}

# Connection profiles of this network (its ports, absolute paths) for the engine and tests.
write_profiles() {
  mkdir -p "$BUILD/profiles"
  write_profile "$BUILD/profiles/engine-platform.json" "$PLATFORM_PORT" platform.cne.local \
    peer0.platform.cne.local PlatformMSP "$BUILD/identities/engine"
  write_profile "$BUILD/profiles/engine-grid.json" "$GRID_PORT" grid.cne.local \
    peer0.grid.cne.local PlatformMSP "$BUILD/identities/engine"
  write_profile "$BUILD/profiles/auditor-platform.json" "$PLATFORM_PORT" platform.cne.local \
    peer0.platform.cne.local AuditorMSP "$BUILD/identities/auditor"
}

# Joins the running orderer (osnadmin) and peers to the channel.
cmd_join() {
  check_tools osnadmin peer
  [[ -f "$BUILD/channel-artifacts/$CHANNEL.block" ]] || die "no genesis block; run '$0 generate' or '$0 up' first"
  wait_port 127.0.0.1 "$ORDERER_ADMIN_PORT" "orderer0 admin" orderer0
  log "joining orderer0 to $CHANNEL (channel participation API)"
  local oadmin="$CRYPTO/ordererOrganizations/orderer.cne.local/users/Admin@orderer.cne.local/tls"
  osnadmin channel join --channelID "$CHANNEL" \
    --config-block "$BUILD/channel-artifacts/$CHANNEL.block" \
    -o "127.0.0.1:$ORDERER_ADMIN_PORT" --ca-file "$(orderer_tls_ca)" \
    --client-cert "$oadmin/client.crt" --client-key "$oadmin/client.key"
  local spec name port
  for spec in "${PEERS[@]}"; do
    IFS='|' read -r name _ _ port _ _ <<<"$spec"
    wait_port 127.0.0.1 "$port" "$name" "$name"
    log "joining $name to $CHANNEL"
    peer_as "$spec" -- channel join -b "$BUILD/channel-artifacts/$CHANNEL.block"
  done
}

# start_node NAME: starts the orderer or a peer from its rendered configuration.
start_node() {
  local spec
  if [[ $1 == orderer0 ]]; then
    start orderer0 "$LOGS/orderer0.log" FABRIC_CFG_PATH="$BUILD/orderers/orderer0" -- orderer
    return
  fi
  for spec in "${PEERS[@]}"; do
    if [[ ${spec%%|*} == "$1" ]]; then
      start "$1" "$LOGS/$1.log" FABRIC_CFG_PATH="$BUILD/peers/$1" -- peer node start
      return
    fi
  done
  die "no node named '$1' (orderer0, peer0.platform.cne.local, peer0.grid.cne.local, chaincode)"
}

# Stops every process recorded in build/pids (a failed up leaves none running).
stop_all() {
  local f
  if [[ -d "$PIDS" ]]; then
    for f in "$PIDS"/*.pid; do
      [[ -e "$f" ]] && stop_pidfile "$f"
    done
  fi
  return 0
}

cmd_up() {
  check_tools
  check_builder
  cmd_generate
  # Any failure from here on stops the nodes already started; build/ stays for its logs.
  trap 'rc=$?; if [[ $rc -ne 0 ]]; then log "up failed: stopping the nodes it started (logs in $LOGS; then $0 down)"; stop_all; fi' EXIT
  start_node orderer0
  local spec name
  for spec in "${PEERS[@]}"; do
    start_node "${spec%%|*}"
  done
  cmd_join
  trap - EXIT
  log "network is up: orderer 127.0.0.1:$ORDERER_PORT, peers 127.0.0.1:$PLATFORM_PORT (Platform), 127.0.0.1:$GRID_PORT (Grid)"
  log "next: $0 deploy"
}

build_chaincode() {
  if [[ -n "${CNE_CHAINCODE_CLASSPATH:-}" ]]; then
    echo "$CNE_CHAINCODE_CLASSPATH"
    return
  fi
  # The chaincode jar's manifest names its runtime dependencies in chaincode/target/lib.
  (cd "$REPO" && ./mvnw -q -pl chaincode -am -DskipTests package) >&2
  local jar="$REPO/chaincode/target/cne-chaincode.jar"
  [[ -f "$jar" ]] || die "no chaincode jar at $jar"
  echo "$jar"
}

# CCaaS package: metadata.json {"type":"ccaas","label":...} + code.tar.gz holding connection.json.
package_chaincode() {
  local dir="$BUILD/ccaas-package"
  rm -rf "$dir" && mkdir -p "$dir/code"
  local root_cert
  root_cert=$(awk '{printf "%s\\n", $0}' \
    "$CRYPTO/peerOrganizations/platform.cne.local/tlsca/tlsca.platform.cne.local-cert.pem")
  cat >"$dir/code/connection.json" <<JSON
{
  "address": "$CC_ADDRESS",
  "dial_timeout": "10s",
  "tls_required": true,
  "client_auth_required": false,
  "root_cert": "$root_cert"
}
JSON
  printf '{"type":"ccaas","label":"%s"}\n' "$CC_LABEL" >"$dir/metadata.json"
  tar -C "$dir/code" -czf "$dir/code.tar.gz" connection.json
  tar -C "$dir" -czf "$BUILD/$CC_LABEL.tar.gz" metadata.json code.tar.gz
  echo "$BUILD/$CC_LABEL.tar.gz"
}

cmd_deploy() {
  check_tools peer java
  [[ -f "$BUILD/channel-artifacts/$CHANNEL.block" ]] || die "the network is not up; run '$0 up' first"

  log "building the chaincode"
  local classpath pkg pkgid
  classpath=$(build_chaincode)
  mkdir -p "$BUILD/chaincode"
  echo "$classpath" >"$BUILD/chaincode/runtime-classpath"
  pkg=$(package_chaincode)
  pkgid=$(peer_as "${PEERS[0]}" -- lifecycle chaincode calculatepackageid "$pkg")
  echo "$pkgid" >"$BUILD/package-id"
  log "package $pkg, id $pkgid"

  local spec
  for spec in "${PEERS[@]}"; do
    log "installing on ${spec%%|*}"
    peer_as "$spec" -- lifecycle chaincode install "$pkg"
  done

  if [[ "${CNE_CHAINCODE_SERVER:-native}" == external ]]; then
    log "waiting for the chaincode server on $CC_ADDRESS (started elsewhere, e.g. docker compose up -d chaincode)"
  else
    log "starting the chaincode server on $CC_ADDRESS"
    CNE_CHAINCODE_CLASSPATH="$classpath" CNE_CHAINCODE_ADDRESS="$CC_ADDRESS" \
      "$HERE/scripts/start-chaincode.sh" "$pkgid" "$BUILD"
  fi
  wait_port 127.0.0.1 "${CC_ADDRESS##*:}" "chaincode server" chaincode

  local ord=(-o "127.0.0.1:$ORDERER_PORT" --tls --cafile "$(orderer_tls_ca)")
  for spec in "${PEERS[@]}"; do
    log "approving $CC_NAME for ${spec%%|*}"
    peer_as "$spec" -- lifecycle chaincode approveformyorg "${ord[@]}" --channelID "$CHANNEL" \
      --name "$CC_NAME" --version "$CC_VERSION" --sequence "$CC_SEQUENCE" \
      --package-id "$pkgid" --signature-policy "$CC_POLICY"
  done
  peer_as "${PEERS[0]}" -- lifecycle chaincode checkcommitreadiness --channelID "$CHANNEL" \
    --name "$CC_NAME" --version "$CC_VERSION" --sequence "$CC_SEQUENCE" \
    --signature-policy "$CC_POLICY" --output json

  local targets=() name domain port
  for spec in "${PEERS[@]}"; do
    IFS='|' read -r name domain _ port _ _ <<<"$spec"
    targets+=(--peerAddresses "127.0.0.1:$port"
      --tlsRootCertFiles "$CRYPTO/peerOrganizations/$domain/peers/$name/tls/ca.crt")
  done
  log "committing $CC_NAME (sequence $CC_SEQUENCE, policy $CC_POLICY)"
  peer_as "${PEERS[0]}" -- lifecycle chaincode commit "${ord[@]}" --channelID "$CHANNEL" \
    --name "$CC_NAME" --version "$CC_VERSION" --sequence "$CC_SEQUENCE" \
    --signature-policy "$CC_POLICY" "${targets[@]}"
  peer_as "${PEERS[0]}" -- lifecycle chaincode querycommitted --channelID "$CHANNEL" --name "$CC_NAME"

  local domain_json
  domain_json=$(printf '{"chainId":%s,"name":"CNE Market","verifyingContract":"0x0000000000000000000000000000000000000000","version":"1"}' "$CHAIN_ID")
  local args
  args=$(printf '{"Args":["config:Configure","%s"]}' "${domain_json//\"/\\\"}")
  log "configuring the EIP-712 domain as the engine's operator identity"
  peer_as "${PEERS[0]}" "$BUILD/identities/engine/msp" -- chaincode invoke "${ord[@]}" \
    --channelID "$CHANNEL" --name "$CC_NAME" "${targets[@]}" --waitForEvent -c "$args"
  log "deployed. Engine profile: $BUILD/profiles/engine-platform.json"
}

stop_pidfile() {
  local f=$1 pid
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 20; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
    log "stopped $(basename "$f" .pid) (pid $pid)"
  fi
  rm -f "$f"
}

cmd_down() {
  stop_all
  rm -rf "$BUILD"
  log "network removed ($BUILD)"
}

# Starts one node again (after a crash or a kill) with the files up/deploy wrote.
cmd_start() {
  local name=${1:?usage: $0 start orderer0|peer0.platform.cne.local|peer0.grid.cne.local|chaincode}
  [[ -f "$BUILD/channel-artifacts/$CHANNEL.block" ]] || die "the network is not up; run '$0 up' first"
  if [[ -f "$PIDS/$name.pid" ]] && kill -0 "$(cat "$PIDS/$name.pid")" 2>/dev/null; then
    die "$name is running (pid $(cat "$PIDS/$name.pid"))"
  fi
  if [[ $name == chaincode ]]; then
    [[ -f "$BUILD/package-id" ]] || die "the chaincode is not deployed; run '$0 deploy' first"
    CNE_CHAINCODE_CLASSPATH="$(cat "$BUILD/chaincode/runtime-classpath")" CNE_CHAINCODE_ADDRESS="$CC_ADDRESS" \
      "$HERE/scripts/start-chaincode.sh" "$(cat "$BUILD/package-id")" "$BUILD"
    wait_port 127.0.0.1 "${CC_ADDRESS##*:}" "chaincode server" chaincode
    return
  fi
  start_node "$name"
  local port
  case $name in
    orderer0) port=$ORDERER_PORT ;;
    peer0.platform.cne.local) port=$PLATFORM_PORT ;;
    *) port=$GRID_PORT ;;
  esac
  wait_port 127.0.0.1 "$port" "$name" "$name"
}

cmd_status() {
  local f
  [[ -d "$PIDS" ]] || { log "not up"; return 0; }
  for f in "$PIDS"/*.pid; do
    [[ -e "$f" ]] || continue
    if kill -0 "$(cat "$f")" 2>/dev/null; then
      log "$(basename "$f" .pid): running (pid $(cat "$f"))"
    else
      log "$(basename "$f" .pid): NOT running"
    fi
  done
}

main() {
  case "${1:-}" in
    up) cmd_up ;;
    generate) cmd_generate ;;
    join) cmd_join ;;
    deploy) cmd_deploy ;;
    down) cmd_down ;;
    status) cmd_status ;;
    start) cmd_start "${2:-}" ;;
    *)
      echo "usage: $0 up|deploy|down|status|start NODE|generate|join" >&2
      exit 2
      ;;
  esac
}

main "$@"
