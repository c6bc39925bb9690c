#!/usr/bin/env bash
# PeerPort's NAT lab: network namespaces wired as a tiny internet with two sites behind routers of
# chosen kinds. Nothing is linked to the root namespace; everything carries this run's prefix.
#
#   lab.sh up KIND_A KIND_B [--loss PCT] [--delay MS] [--boot peerport|js|none] [--boot-count N]
#                           [--boot-spread MS] [--relay peerport|js|none]
#                           [--link-a LINKEM_ARGS] [--link-b LINKEM_ARGS]
#   lab.sh down [PREFIX]          remove the namespaces of PREFIX (default: $LAB_PREFIX)
#   lab.sh exec NODE cmd...       run cmd in NODE: inet boot relay rA rB cA cB hA hB
#   lab.sh addr NODE              the address NODE is reached at from its LAN (hA -> 100.64.1.2)
#   lab.sh relay                  the relay's public key (64 hex), when the lab has one
#   lab.sh traffic                UDP bytes each site's router forwarded to and from the other
#                                 site and the relay, as JSON: which path the data really took
#   lab.sh info | list | check
#
# Kinds: open, easy, hard, firewalled, double (tests/lab/README.md). The prefix comes from
# LAB_PREFIX (default pp<pid>, printed by `up` as LAB_PREFIX=...); `down` touches only namespaces
# named PREFIX-<node> and processes inside them. Runs as root. Every wait is bounded.
#
# --link-a/--link-b put linkem (linkem.c, the C link emulator; LAB_LINKEM, default
# build/tests/lab/linkem) on router rA/rB instead of the Python delay line: each direction gets
# its own linkem with these arguments ("--delay 10 --loss 1 --rate 100 --limit 1500"; see
# linkem.c), so a rate is per direction as on a real link. "--config FILE" makes linkem read its
# settings from FILE and again on SIGHUP (the WAN benchmark changes profiles that way).
set -euo pipefail

LAB_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_ROOT=$(cd "$LAB_HERE/../.." && pwd)
LAB_STATE_ROOT=${LAB_STATE_ROOT:-/run/peerport-lab}
LAB_NODES=(hA hB rA rB cA cB relay boot inet)
LAB_KINDS=(open easy hard firewalled double)
BOOT_PORT=49737
# The relay has a public address of its own, outside every site and the bootstrap range (up to
# 8 nodes from 11.0.0.2), so a stream's far end alone says whether it is relayed.
RELAY_ADDR=11.0.0.30
# Each site's public addresses (router or carrier WAN, and the host's own for open/firewalled),
# as the other site's router sees them: what `traffic` counts as "the peer".
SITE_ADDRS_A=11.0.0.10/31
SITE_ADDRS_B=11.0.0.20/31

lab_die() { printf 'lab.sh: %s\n' "$*" >&2; exit 1; }
lab_log() { [ -n "${LAB_QUIET:-}" ] || printf 'lab: %s\n' "$*" >&2; }

lab_prefix() {
  local p=${1:-${LAB_PREFIX:-}}
  [ -n "$p" ] || lab_die "no lab named: set LAB_PREFIX (printed by 'lab.sh up') or pass it"
  [[ $p =~ ^[A-Za-z0-9][A-Za-z0-9_.]{0,30}$ ]] || lab_die "bad prefix '$p' (letters, digits, _ and .)"
  printf '%s' "$p"
}

ns() { printf '%s-%s' "$P" "$1"; }
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }
ipt() { local n=$1; shift; in_ns "$n" iptables -w 5 "$@"; }

# Waits up to $1 seconds for the file $2 to exist and be non-empty.
wait_file() {
  local limit=$1 file=$2 i
  for ((i = 0; i < limit * 10; i++)); do
    [ -s "$file" ] && return 0
    sleep 0.1
  done
  return 1
}

# Waits up to $1 seconds for a line matching $3 in file $2.
wait_line() {
  local limit=$1 file=$2 pattern=$3 i
  for ((i = 0; i < limit * 10; i++)); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

cmd_check() {
  [ "$(id -u)" -eq 0 ] || lab_die "needs root (network namespaces and iptables)"
  local t missing=()
  for t in ip iptables python3; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] || lab_die "missing tools: ${missing[*]} (./dev.sh setup installs them)"
}

# A veth pair between two of this lab's namespaces, created inside the first: the pair never
# appears in the root namespace.
veth() {  # ns1 if1 ns2 if2
  ip -n "$(ns "$1")" link add "$2" type veth peer name "$4" netns "$(ns "$3")"
  ip -n "$(ns "$1")" link set "$2" up
  ip -n "$(ns "$3")" link set "$4" up
}

new_ns() {
  local n
  n=$(ns "$1")
  ip netns add "$n"
  ip -n "$n" link set lo up
  in_ns "$1" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  echo "$1" >>"$STATE/nodes"
}

# Starts a background process inside a namespace, output to $STATE/NAME.log. It is found again
# at `down` through `ip netns pids`, so no pid file is needed to end it.
spawn() {  # node name cmd...
  local n=$1 name=$2; shift 2
  ip netns exec "$(ns "$n")" setsid "$@" </dev/null >"$STATE/$name.log" 2>&1 &
  echo "$!" >"$STATE/$name.pid"
}

router_common() {  # node
  in_ns "$1" sysctl -qw net.ipv4.ip_forward=1
  if [ -n "$UDP_TIMEOUT" ]; then
    # How long the router keeps a UDP mapping with no packets on it (per namespace; Linux
    # defaults to 30 s one-way and 120 s once both ways have been seen).
    in_ns "$1" sysctl -qw net.netfilter.nf_conntrack_udp_timeout="$UDP_TIMEOUT"
    in_ns "$1" sysctl -qw net.netfilter.nf_conntrack_udp_timeout_stream="$UDP_TIMEOUT"
  fi
  if [ "$LOSS" != 0 ]; then
    ipt "$1" -A FORWARD -m statistic --mode random --probability "$(awk "BEGIN{print $LOSS/100}")" -j DROP
  fi
}

# A NAT drops unsolicited packets to itself, as home routers and carrier NATs do. This matters:
# a probe that reached the router's own stack would leave a confirmed conntrack entry, and the
# host's own probe to that peer would then clash with it and be given a new port (Linux
# nf_nat picks another tuple), turning an easy NAT into a random one for that peer.
nat_input_drop() {  # node
  ipt "$1" -A INPUT -i wan0 -m conntrack --ctstate NEW,INVALID -j DROP
}

# Every forwarded packet waits DELAY ms in a user-space delay line (no netem in this kernel).
router_delay() {  # node
  case $1 in
    rA) [ -z "$LINK_A" ] || { router_linkem "$1" "$LINK_A"; return 0; } ;;
    rB) [ -z "$LINK_B" ] || { router_linkem "$1" "$LINK_B"; return 0; } ;;
  esac
  [ "$DELAY" != 0 ] || return 0
  ipt "$1" -A FORWARD -j NFQUEUE --queue-num 0 --queue-bypass
  spawn "$1" "delay-$1" python3 "$LAB_HERE/delayline.py" "$DELAY" --ready "$STATE/delay-$1.ready"
}

# linkem on both directions of a router: queue 10 for what comes from its LAN, 11 from its WAN.
router_linkem() {  # node linkem-args
  local linkem=${LAB_LINKEM:-$LAB_ROOT/build/tests/lab/linkem}
  [ -x "$linkem" ] || lab_die "no linkem at $linkem (build the linkem target, or set LAB_LINKEM)"
  [[ $2 =~ ^[-A-Za-z0-9./_\ ]*$ ]] || lab_die "bad linkem arguments '$2'"
  ipt "$1" -A FORWARD -i lan0 -j NFQUEUE --queue-num 10 --queue-bypass
  ipt "$1" -A FORWARD -i wan0 -j NFQUEUE --queue-num 11 --queue-bypass
  # shellcheck disable=SC2086 # the arguments are linkem's options, split on purpose
  spawn "$1" "delay-$1-up" "$linkem" --queue 10 --seed 1 $2 --ready "$STATE/delay-$1-up.ready"
  # shellcheck disable=SC2086
  spawn "$1" "delay-$1-down" "$linkem" --queue 11 --seed 2 $2 --ready "$STATE/delay-$1-down.ready"
}

# The path judged from outside: the site's router counts the UDP it forwards to or from the other
# site's public addresses ("peer") and the relay's ("relay"), ahead of every other FORWARD rule
# (loss, firewall, delay line), in a chain of rules with no target. Whatever a peer believes
# about its path, these bytes say where its packets went.
path_counters() {  # router other-site-addresses
  local r=$1 peer=$2 name addr
  ipt "$r" -N LABPATH
  for name in peer relay; do
    addr=$peer
    [ "$name" = peer ] || addr=$RELAY_ADDR
    ipt "$r" -A LABPATH -p udp -d "$addr" -m comment --comment "$name"
    ipt "$r" -A LABPATH -p udp -s "$addr" -m comment --comment "$name"
  done
  ipt "$r" -I FORWARD 1 -p udp -j LABPATH
}

# One site: S is A or B, I its number (1, 2). The router's (or carrier's) WAN is 11.0.0.<10*I>;
# a public host is 11.0.0.<10*I+1>; a NATed host is 100.64.I.2 behind 100.64.I.1.
build_site() {  # S I KIND
  local s=$1 i=$2 kind=$3
  local wan=11.0.0.$((10 * i)) pub=11.0.0.$((10 * i + 1))
  local r=r$s h=h$s c=c$s
  new_ns "$r"
  new_ns "$h"
  veth "$r" lan0 "$h" eth0
  ip -n "$(ns "$r")" addr add "100.64.$i.1/24" dev lan0
  router_common "$r"

  local outer=$r
  if [ "$kind" = double ]; then
    # Carrier-grade NAT: the home router's WAN is on a carrier network (100.100.I.0/24), and the
    # carrier masquerades that to the public address.
    new_ns "$c"
    veth inet "p$s" "$c" wan0
    ip -n "$(ns inet)" link set "p$s" master br0
    ip -n "$(ns "$c")" addr add "$wan/24" dev wan0
    veth "$c" lan0 "$r" wan0
    ip -n "$(ns "$c")" addr add "100.100.$i.1/24" dev lan0
    ip -n "$(ns "$r")" addr add "100.100.$i.2/24" dev wan0
    ip -n "$(ns "$r")" route add default via "100.100.$i.1"
    in_ns "$c" sysctl -qw net.ipv4.ip_forward=1
    ipt "$c" -t nat -A POSTROUTING -o wan0 -j MASQUERADE
    nat_input_drop "$c"
    router_delay "$c"
    outer=$c
  else
    veth inet "p$s" "$r" wan0
    ip -n "$(ns inet)" link set "p$s" master br0
    ip -n "$(ns "$r")" addr add "$wan/24" dev wan0
  fi

  case $kind in
    open | firewalled)
      # The host owns a public address; the router routes it and answers ARP for it on the
      # internet side (proxy ARP), so the host is directly reachable like on a real ISP link.
      ip -n "$(ns "$h")" addr add "$pub/32" dev eth0
      ip -n "$(ns "$h")" route add "100.64.$i.1" dev eth0 scope link
      ip -n "$(ns "$h")" route add default via "100.64.$i.1" dev eth0 onlink
      ip -n "$(ns "$r")" route add "$pub/32" dev lan0
      in_ns "$r" sysctl -qw net.ipv4.conf.wan0.proxy_arp=1
      # Answer at once: Linux delays a proxy ARP reply by up to proxy_delay (0.8 s), so the
      # first packet any new neighbour sent to this host waited up to 0.8 s for ARP, an artifact
      # no ISP link has (it made every open-share cell look slow).
      in_ns "$r" sysctl -qw net.ipv4.neigh.wan0.proxy_delay=0
      echo "$pub" >"$STATE/addr-$h"
      if [ "$kind" = firewalled ]; then
        ipt "$r" -A FORWARD -i wan0 -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP
      fi
      ;;
    easy | hard | double)
      ip -n "$(ns "$h")" addr add "100.64.$i.2/24" dev eth0
      ip -n "$(ns "$h")" route add default via "100.64.$i.1"
      echo "100.64.$i.2" >"$STATE/addr-$h"
      if [ "$kind" = hard ]; then
        ipt "$r" -t nat -A POSTROUTING -o wan0 -j MASQUERADE --random-fully
      else
        ipt "$r" -t nat -A POSTROUTING -o wan0 -j MASQUERADE
      fi
      nat_input_drop "$r"
      ;;
  esac
  router_delay "$r"
  if [ "$s" = A ]; then path_counters "$r" "$SITE_ADDRS_B"; else path_counters "$r" "$SITE_ADDRS_A"; fi
  echo "$wan" >"$STATE/addr-$outer"
  echo "$kind" >"$STATE/kind-$s"
}

# Bootstrap node k answers from k * SPREAD ms farther away than node 0 (its outgoing packets wait
# in a delay line of their own). Why: hyperdht's quick public-address check sends one PING_NAT on
# the first reply of its bootstrap query and only counts it if the answer beats the end of that
# query. With equally near nodes the query always ends first and an open host calls itself
# firewalled; with node 0 nearest, a client bootstrapping from node 0 wins the race, as it
# usually does on the real internet, where nodes are at different distances.
boot_spread() {  # count spread_ms
  local count=$1 spread=$2 k
  [ "$spread" != 0 ] || return 0
  for ((k = 1; k < count; k++)); do
    ipt boot -A OUTPUT -s "11.0.0.$((2 + k))" -j NFQUEUE --queue-num "$k" --queue-bypass
    spawn boot "delay-boot$k" python3 "$LAB_HERE/delayline.py" "$(awk "BEGIN{print $k*$spread}")" \
      --queue "$k" --ready "$STATE/delay-boot$k.ready"
  done
}

start_boot() {  # kind count
  local kind=$1 count=$2 k addrs=() list=""
  for ((k = 0; k < count; k++)); do addrs+=("11.0.0.$((2 + k))"); done
  case $kind in
    none) return 0 ;;
    peerport)
      local cli=${PEERPORT_CLI:-$LAB_ROOT/build/app/peerport-cli}
      [ -x "$cli" ] || lab_die "no peerport-cli at $cli (build it, or set PEERPORT_CLI)"
      for ((k = 0; k < count; k++)); do
        local boot=none
        [ "$k" -eq 0 ] || boot="${addrs[0]}:$BOOT_PORT"
        spawn boot "boot-$k" "$cli" node --host "${addrs[$k]}" --port "$BOOT_PORT" --bootstrap "$boot" --json
        wait_line 10 "$STATE/boot-$k.log" '"listening"' ||
          lab_die "bootstrap node ${addrs[$k]} did not start: $(tail -3 "$STATE/boot-$k.log")"
      done
      ;;
    js)
      command -v node >/dev/null || lab_die "node is not installed (./dev.sh setup)"
      spawn boot boot-js node "$LAB_HERE/js-peer.js" boot "${addrs[@]/%/:$BOOT_PORT}"
      wait_line 20 "$STATE/boot-js.log" '"ready"' ||
        lab_die "JS bootstrap nodes did not start: $(tail -3 "$STATE/boot-js.log")"
      ;;
    *) lab_die "--boot takes peerport, js or none" ;;
  esac
  for a in "${addrs[@]}"; do list+="${list:+,}$a:$BOOT_PORT"; done
  # Peers bootstrap from the nearest node only (see boot_spread); the others are found through it.
  echo "${addrs[0]}:$BOOT_PORT" >"$STATE/bootstrap"
  echo "$list" >"$STATE/bootstrap-all"
}

# A blind relay on the internet, not behind any router, as hyperdht's public relays are. It joins
# the DHT through the nearest bootstrap node and is ready once it has announced its key, which
# `peerport-cli node --relay --json` and `js-peer.js relay` both print as {"event":"relay",...}.
start_relay() {  # kind
  local kind=$1 boot
  [ "$kind" != none ] || return 0
  [ -s "$STATE/bootstrap" ] || lab_die "--relay needs bootstrap nodes (--boot peerport or js)"
  boot=$(cat "$STATE/bootstrap")
  new_ns relay
  veth inet prelay relay eth0
  ip -n "$(ns inet)" link set prelay master br0
  ip -n "$(ns relay)" addr add "$RELAY_ADDR/24" dev eth0
  case $kind in
    peerport)
      local cli=${PEERPORT_CLI:-$LAB_ROOT/build/app/peerport-cli}
      [ -x "$cli" ] || lab_die "no peerport-cli at $cli (build it, or set PEERPORT_CLI)"
      # A key file per lab: the default one is shared by every lab run at once.
      spawn relay relay "$cli" node --relay --host "$RELAY_ADDR" --port "$BOOT_PORT" --bootstrap "$boot" \
        --relay-key-file "$STATE/relay.key" --json
      ;;
    js)
      command -v node >/dev/null || lab_die "node is not installed (./dev.sh setup)"
      spawn relay relay node "$LAB_HERE/js-peer.js" relay "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" "$boot"
      ;;
    *) lab_die "--relay takes peerport, js or none" ;;
  esac
  wait_line "${LAB_RELAY_WAIT:-30}" "$STATE/relay.log" '"event": *"relay"' ||
    lab_die "the $kind relay did not announce itself: $(tail -3 "$STATE/relay.log")"
  python3 -c '
import json, re, sys
for line in open(sys.argv[1]):
    try:
        j = json.loads(line)
    except ValueError:
        continue
    if j.get("event") == "relay" and re.fullmatch("[0-9a-f]{64}", str(j.get("key"))):
        print(j["key"])
        break
' "$STATE/relay.log" >"$STATE/relay-key"
  [ -s "$STATE/relay-key" ] || lab_die "no key in the relay's announcement: $(grep relay "$STATE/relay.log" | head -1)"
  # peerport-cli prints the event after a failed announcement too, with the failure on stderr
  # first: a relay nobody can find would only show up later as a failed hard x hard cell.
  ! grep -q 'announcement failed' "$STATE/relay.log" ||
    lab_die "the $kind relay could not announce itself: $(grep 'announcement failed' "$STATE/relay.log" | head -1)"
  echo "$RELAY_ADDR" >"$STATE/relay-addr"
  echo "$RELAY_ADDR" >"$STATE/addr-relay"
  echo "$kind" >"$STATE/relay-kind"
}

cmd_up() {
  [ $# -ge 2 ] || lab_die "usage: lab.sh up KIND_A KIND_B [--loss PCT] [--delay MS] [--udp-timeout S] [--boot peerport|js|none] [--relay peerport|js|none]"
  local ka=$1 kb=$2; shift 2
  LOSS=0 DELAY=${LAB_DELAY_MS:-5} UDP_TIMEOUT=""
  local boot=${LAB_BOOT:-peerport} boot_count=${LAB_BOOT_COUNT:-3} spread=${LAB_BOOT_SPREAD_MS:-15}
  local relay=${LAB_RELAY:-none}
  LINK_A="" LINK_B=""
  while [ $# -gt 0 ]; do
    case $1 in
      --loss) LOSS=${2:?}; shift 2 ;;
      --delay) DELAY=${2:?}; shift 2 ;;
      --udp-timeout) UDP_TIMEOUT=${2:?}; shift 2 ;;
      --boot) boot=${2:?}; shift 2 ;;
      --boot-count) boot_count=${2:?}; shift 2 ;;
      --boot-spread) spread=${2:?}; shift 2 ;;
      --relay) relay=${2:?}; shift 2 ;;
      --link-a) LINK_A=${2:?}; shift 2 ;;
      --link-b) LINK_B=${2:?}; shift 2 ;;
      *) lab_die "unknown option $1" ;;
    esac
  done
  local k ok
  for k in "$ka" "$kb"; do
    ok=0
    for x in "${LAB_KINDS[@]}"; do [ "$k" = "$x" ] && ok=1; done
    [ $ok = 1 ] || lab_die "unknown kind '$k' (one of: ${LAB_KINDS[*]})"
  done
  [[ $LOSS =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk "BEGIN{exit !($LOSS < 100)}" || lab_die "--loss takes a percentage below 100"
  [[ $DELAY =~ ^[0-9]+(\.[0-9]+)?$ ]] || lab_die "--delay takes milliseconds"
  [[ $UDP_TIMEOUT =~ ^[0-9]*$ ]] || lab_die "--udp-timeout takes seconds"
  [[ $boot_count =~ ^[1-8]$ ]] || lab_die "--boot-count takes 1 to 8"
  [[ $spread =~ ^[0-9]+(\.[0-9]+)?$ ]] || lab_die "--boot-spread takes milliseconds"
  case $relay in peerport | js | none) ;; *) lab_die "--relay takes peerport, js or none" ;; esac
  cmd_check

  P=$(lab_prefix "${LAB_PREFIX:-pp$$}")
  STATE=$LAB_STATE_ROOT/$P
  local n
  for n in "${LAB_NODES[@]}"; do
    [ ! -e "/run/netns/$(ns "$n")" ] || lab_die "a lab named $P exists already ('lab.sh down $P' first)"
  done
  mkdir -p "$STATE"
  : >"$STATE/nodes"
  # A failed build leaves nothing behind.
  trap 'rc=$?; if [ $rc -ne 0 ]; then LAB_QUIET=1 cmd_down "$P" || true; fi; exit $rc' EXIT
  trap 'exit 130' INT TERM

  lab_log "building lab $P: A=$ka B=$kb loss=$LOSS% delay=${DELAY}ms boot=$boot relay=$relay"
  new_ns inet
  ip -n "$(ns inet)" link add br0 type bridge
  ip -n "$(ns inet)" link set br0 up
  new_ns boot
  veth inet pboot boot eth0
  ip -n "$(ns inet)" link set pboot master br0
  for ((k = 0; k < boot_count; k++)); do
    ip -n "$(ns boot)" addr add "11.0.0.$((2 + k))/24" dev eth0
  done
  build_site A 1 "$ka"
  build_site B 2 "$kb"
  [ "$boot" = none ] || boot_spread "$boot_count" "$spread"
  printf '%s\n' "$LOSS" >"$STATE/loss"
  printf '%s\n' "$DELAY" >"$STATE/delay"

  local f
  for f in "$STATE"/delay-*.pid; do
    [ -e "$f" ] || continue
    f=${f%.pid}
    wait_file 10 "$f.ready" || lab_die "delay line ${f##*/} did not start: $(tail -3 "$f.log")"
  done
  # The wiring works end to end before anything is started on it.
  for n in hA hB; do
    in_ns "$n" ping -c 1 -W 2 11.0.0.2 >/dev/null 2>&1 ||
      in_ns "$n" ping -c 2 -W 2 11.0.0.2 >/dev/null 2>&1 ||
      lab_die "$n cannot reach 11.0.0.2"
  done
  start_boot "$boot" "$boot_count"
  start_relay "$relay"
  trap - EXIT INT TERM
  lab_log "lab $P is up: hA=$(cat "$STATE/addr-hA") ($ka), hB=$(cat "$STATE/addr-hB") ($kb), bootstrap $(cat "$STATE/bootstrap" 2>/dev/null || echo none), relay $(cat "$STATE/relay-key" 2>/dev/null || echo none)"
  echo "LAB_PREFIX=$P"
}

# Ends the processes inside one of our namespaces: TERM, up to 3 s, then KILL.
kill_ns_pids() {  # namespace name
  local name=$1 pids i
  pids=$(ip netns pids "$name" 2>/dev/null || true)
  [ -n "$pids" ] || return 0
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    pids=$(ip netns pids "$name" 2>/dev/null || true)
    [ -n "$pids" ] || return 0
    sleep 0.1
  done
  kill -KILL $pids 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do
    [ -n "$(ip netns pids "$name" 2>/dev/null || true)" ] || return 0
    sleep 0.1
  done
}

cmd_down() {
  P=$(lab_prefix "${1:-}")
  local n name found=0 pid
  # The relay first and by its recorded pid, so it can unpair and close while its peers and the
  # bootstrap nodes still run; the namespace sweep below catches it if it will not go.
  pid=$(cat "$LAB_STATE_ROOT/$P/relay.pid" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && [ -e "/run/netns/$P-relay" ] &&
    ip netns pids "$P-relay" 2>/dev/null | grep -qx "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((n = 0; n < 20; n++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  # Hosts first, then routers, so no process sees its upstream vanish for long.
  for n in "${LAB_NODES[@]}"; do
    name=$P-$n
    [ -e "/run/netns/$name" ] || continue
    found=1
    kill_ns_pids "$name"
  done
  for n in "${LAB_NODES[@]}"; do
    name=$P-$n
    [ -e "/run/netns/$name" ] || continue
    ip netns del "$name" 2>/dev/null || lab_log "could not delete namespace $name"
  done
  rm -rf "${LAB_STATE_ROOT:?}/$P"
  [ $found = 1 ] && lab_log "lab $P removed" || lab_log "no lab named $P"
}

cmd_exec() {
  [ $# -ge 2 ] || lab_die "usage: lab.sh exec NODE cmd..."
  P=$(lab_prefix)
  local n=$1; shift
  [ -e "/run/netns/$P-$n" ] || lab_die "no node $n in lab $P (nodes: ${LAB_NODES[*]})"
  exec ip netns exec "$P-$n" "$@"
}

cmd_addr() {
  P=$(lab_prefix)
  [ -s "$LAB_STATE_ROOT/$P/addr-$1" ] || lab_die "no address recorded for $1 in lab $P"
  cat "$LAB_STATE_ROOT/$P/addr-$1"
}

cmd_info() {
  P=$(lab_prefix)
  local s=$LAB_STATE_ROOT/$P
  [ -d "$s" ] || lab_die "no lab named $P"
  printf 'prefix %s\nA %s %s\nB %s %s\nbootstrap %s (all: %s)\nrelay %s\nloss %s%%\ndelay %sms\n' "$P" \
    "$(cat "$s/kind-A")" "$(cat "$s/addr-hA")" "$(cat "$s/kind-B")" "$(cat "$s/addr-hB")" \
    "$(cat "$s/bootstrap" 2>/dev/null || echo none)" \
    "$(cat "$s/bootstrap-all" 2>/dev/null || echo none)" \
    "$(if [ -s "$s/relay-key" ]; then echo "$(cat "$s/relay-kind") $(cat "$s/relay-key") at $(cat "$s/relay-addr")"; else echo none; fi)" \
    "$(cat "$s/loss")" "$(cat "$s/delay")"
}

cmd_relay() {
  P=$(lab_prefix)
  [ -s "$LAB_STATE_ROOT/$P/relay-key" ] || lab_die "lab $P has no relay (lab.sh up ... --relay peerport|js)"
  cat "$LAB_STATE_ROOT/$P/relay-key"
}

# {"A": {"peer": BYTES, "relay": BYTES}, "B": {...}}: the UDP bytes router rA (rB) forwarded
# between its host and the other site, and between its host and the relay, since `up`.
cmd_traffic() {
  P=$(lab_prefix)
  local s name sep="{"
  for s in A B; do
    [ -e "/run/netns/$P-r$s" ] || lab_die "no router r$s in lab $P"
    printf '%s"%s": {' "$sep" "$s"
    ip netns exec "$P-r$s" iptables -w 5 -nvx -L LABPATH |
      awk '{ for (i = 1; i < NF; i++) if ($i == "/*") sum[$(i + 1)] += $2 }
           END { printf "\"peer\": %d, \"relay\": %d}", sum["peer"], sum["relay"] }'
    sep=", "
  done
  echo "}"
}

cmd_list() {
  ip netns list 2>/dev/null | awk '{print $1}' | sed -n 's/-inet$//p' | sort -u
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_check; cmd_down "$@" ;;
  exec) shift; cmd_exec "$@" ;;
  addr) shift; cmd_addr "$@" ;;
  relay) cmd_relay ;;
  traffic) cmd_traffic ;;
  info) cmd_info ;;
  list) cmd_list ;;
  check) cmd_check; echo "lab.sh: ready" ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
