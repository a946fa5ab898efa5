#!/usr/bin/env bash
# Real Debian bookworm target hosts for the Ansible integration tests: systemd-nspawn
# containers, each booted in its own network namespace, reached over SSH with host-key checking on.
#
#   scripts/testhosts.sh build               build the golden image once (debootstrap), cached as a tarball
#   scripts/testhosts.sh start NAME...       start hosts; prints the state dir (hosts.json, ssh key, known_hosts)
#   scripts/testhosts.sh stop                stop every host this script started, remove netns and bridge
#   scripts/testhosts.sh status              list running hosts
#
# Network: a bridge lkbr0 (10.99.0.1/24) in the root namespace; host i gets 10.99.0.(10+i)/24 on a
# veth whose peer sits on the bridge. The netns has no route out, so every package the roles install
# is baked into the image (keep BAKED_PACKAGES in step with the roles' *_packages defaults).
set -euo pipefail

CACHE_DIR=${LANDKARTE_TESTHOSTS_CACHE:-/var/cache/landkarte}
STATE_DIR=${LANDKARTE_TESTHOSTS_STATE:-/run/landkarte-testhosts}
IMAGE_VERSION=3
IMAGE="$CACHE_DIR/testhost-bookworm-v$IMAGE_VERSION.tar.zst"
BRIDGE=lkbr0
NET_PREFIX=10.99.0
ADMIN_USER=ansible
BAKED_PACKAGES=python3,python3-apt,systemd,systemd-sysv,dbus,libpam-systemd,openssh-server,sudo,netbase,iproute2,\
acl,procps,chrony,unattended-upgrades,apt-listchanges,auditd,nftables,rsyslog,logrotate,restic,postfix,bsd-mailx,\
ca-certificates,netcat-openbsd

log() { echo "testhosts: $*" >&2; }

mirror() {
  local uri
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

build() {
  if [ -s "$IMAGE" ]; then log "image cached: $IMAGE"; return 0; fi
  mkdir -p "$CACHE_DIR"
  local root
  root=$(mktemp -d "$CACHE_DIR/build.XXXXXX")
  trap 'rm -rf "$root"' RETURN
  chmod 0755 "$root"
  log "debootstrap bookworm into $root (about a minute)"
  DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase --include="$BAKED_PACKAGES" bookworm "$root" "$(mirror)" \
    >"$CACHE_DIR/debootstrap.log" 2>&1 || { tail -20 "$CACHE_DIR/debootstrap.log" >&2; return 1; }
  # The admin account Ansible connects as (what cloud-init sets up on a real VM).
  chroot "$root" useradd --create-home --shell /bin/bash --user-group "$ADMIN_USER"
  echo "$ADMIN_USER ALL=(ALL) NOPASSWD: ALL" >"$root/etc/sudoers.d/90-$ADMIN_USER"
  chmod 0440 "$root/etc/sudoers.d/90-$ADMIN_USER"
  # Host keys are generated per host at start; the image carries none.
  rm -f "$root"/etc/ssh/ssh_host_*
  # No console login on the passive console, and no getty waiting on it.
  chroot "$root" systemctl mask console-getty.service getty@tty1.service >/dev/null 2>&1 || true
  rm -rf "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" --zstd -cf "$IMAGE.tmp" . && mv "$IMAGE.tmp" "$IMAGE"
  log "image built: $IMAGE ($(du -h "$IMAGE" | cut -f1))"
}

ensure_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$NET_PREFIX.1/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
  fi
}

start_one() {
  local name=$1 index=$2 addr root hostdir
  addr="$NET_PREFIX.$((10 + index))"
  hostdir="$STATE_DIR/$name"
  root="$hostdir/root"
  mkdir -p "$root"
  tar -C "$root" --zstd -xf "$IMAGE"
  chmod 0755 "$root"  # mktemp made the build root 0700
  echo "$name" >"$root/etc/hostname"
  printf '127.0.0.1 localhost\n%s %s\n' "$addr" "$name" >"$root/etc/hosts"
  ssh-keygen -q -t ed25519 -N '' -C "root@$name" -f "$root/etc/ssh/ssh_host_ed25519_key"
  install -d -m 0700 -o 1000 -g 1000 "$root/home/$ADMIN_USER/.ssh"
  install -m 0600 -o 1000 -g 1000 "$STATE_DIR/id_ed25519.pub" "$root/home/$ADMIN_USER/.ssh/authorized_keys"
  echo "$addr $(cut -d' ' -f1,2 "$root/etc/ssh/ssh_host_ed25519_key.pub")" >>"$STATE_DIR/known_hosts"

  ip netns add "$name"
  ip link add "lkv-$name" type veth peer name host0 netns "$name"
  ip link set "lkv-$name" master "$BRIDGE" up
  ip -n "$name" link set lo up
  ip -n "$name" addr add "$addr/24" dev host0
  ip -n "$name" link set host0 up
  ip -n "$name" route add default via "$NET_PREFIX.1"

  SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 setsid systemd-nspawn -D "$root" -b --register=no --keep-unit -M "$name" \
    --network-namespace-path="/run/netns/$name" --capability=CAP_NET_ADMIN --console=passive \
    >"$hostdir/console.log" 2>&1 </dev/null &
  echo $! >"$hostdir/nspawn.pid"
  printf '{"name": "%s", "address": "%s", "index": %d}\n' "$name" "$addr" "$index" >"$hostdir/host.json"
}

wait_ssh() {
  local name=$1 addr=$2 i
  for i in $(seq 1 150); do
    if ssh -o BatchMode=yes -o ConnectTimeout=2 -o StrictHostKeyChecking=yes \
      -o UserKnownHostsFile="$STATE_DIR/known_hosts" -i "$STATE_DIR/id_ed25519" "$ADMIN_USER@$addr" true 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  log "host $name ($addr) did not answer on SSH; console log: $STATE_DIR/$name/console.log"
  return 1
}

start() {
  [ $# -gt 0 ] || { log "usage: $0 start NAME..."; return 2; }
  build
  mkdir -p "$STATE_DIR"
  [ -f "$STATE_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C landkarte-testhosts -f "$STATE_DIR/id_ed25519"
  : >"$STATE_DIR/known_hosts"
  ensure_bridge
  local i=1 name pids=()
  for name in "$@"; do
    [ ! -e "$STATE_DIR/$name/nspawn.pid" ] || { log "host $name is already running (stop first)"; return 1; }
  done
  # Extract and boot the hosts in parallel (the image extraction dominates).
  for name in "$@"; do
    start_one "$name" "$i" &
    pids+=($!)
    i=$((i + 1))
  done
  for i in "${pids[@]}"; do
    wait "$i" || { log "a host failed to start"; return 1; }
  done
  i=1
  for name in "$@"; do
    wait_ssh "$name" "$NET_PREFIX.$((10 + i))"
    i=$((i + 1))
  done
  {
    echo "{\"user\": \"$ADMIN_USER\", \"key\": \"$STATE_DIR/id_ed25519\", \"known_hosts\": \"$STATE_DIR/known_hosts\", \"hosts\": ["
    local first=1
    for name in "$@"; do
      [ $first = 1 ] || echo ","
      cat "$STATE_DIR/$name/host.json"
      first=0
    done
    echo "]}"
  } >"$STATE_DIR/hosts.json"
  echo "$STATE_DIR"
}

stop_one() {
  local hostdir=$1 name pid child i
  name=$(basename "$hostdir")
  if [ -f "$hostdir/nspawn.pid" ]; then
    pid=$(cat "$hostdir/nspawn.pid")
    if kill -0 "$pid" 2>/dev/null; then
      child=$(pgrep -P "$pid" | head -1 || true)
      kill -TERM "$pid" 2>/dev/null || true
      # A short grace period: test hosts are thrown away, a clean shutdown buys nothing.
      for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      # Killing nspawn alone would leave the container running: kill its init.
      if kill -0 "$pid" 2>/dev/null; then
        [ -z "$child" ] || kill -KILL "$child" 2>/dev/null || true
        for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$hostdir/nspawn.pid"
  fi
  ip link del "lkv-$name" 2>/dev/null || true
  ip netns del "$name" 2>/dev/null || true
  rm -rf "$hostdir"
}

stop() {
  [ -d "$STATE_DIR" ] || return 0
  local hostdir
  for hostdir in "$STATE_DIR"/*/; do
    [ -d "$hostdir" ] || continue
    stop_one "${hostdir%/}" &
  done
  wait
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -f "$STATE_DIR/hosts.json" "$STATE_DIR/known_hosts"
}

status() {
  [ -d "$STATE_DIR" ] || { log "no hosts"; return 0; }
  local hostdir
  for hostdir in "$STATE_DIR"/*/; do
    [ -f "$hostdir/host.json" ] && cat "$hostdir/host.json"
  done
  return 0
}

[ "$(id -u)" = 0 ] || { log "needs root (debootstrap, netns, systemd-nspawn)"; exit 1; }
case "${1:-}" in
  build) build ;;
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) log "usage: $0 build|start NAME...|stop|status"; exit 2 ;;
esac
