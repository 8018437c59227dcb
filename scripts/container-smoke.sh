#!/usr/bin/env bash
# Builds the container image with podman and smoke-tests it from the host: the container answers
# its health check, and an SP-initiated login of a demo user completes through the published port
# (a different port outside than inside, so the public URL comes from SSO_HARNESS_BASE_URL).
#
# Needs no image registry: the base image is made here from Debian's packages and the host's own
# Node 20 (laid out as the official node:20-bookworm-slim image lays it out), and the Dockerfile
# builds on it unchanged. Everything podman keeps lives in a temporary folder that is removed at
# the end: nothing under /etc changes. Runs as root (podman, mmdebstrap and apt-get need it).
#
#   scripts/container-smoke.sh            (CI calls it from .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

host_port=${SSO_HARNESS_SMOKE_PORT:-18530}
base_image=localhost/node:20-bookworm-slim
image=localhost/sso-harness:smoke
name=sso-harness-smoke-$$
began=$SECONDS
phase() { printf '[container %3ds] %s\n' "$((SECONDS - began))" "$*"; }

# podman with runc (crun cannot use this machine's cgroups), the CNI plugins for -p, mmdebstrap.
need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || need+=(runc)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
if [ ${#need[@]} -gt 0 ]; then
  phase "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# podman keeps a blob cache there whatever its configuration says: removed at the end if made here.
[ -e /var/lib/containers ] && had_var_lib_containers=yes || had_var_lib_containers=""
work=$(mktemp -d "${TMPDIR:-/tmp}/sso-harness-container.XXXXXX")
cat >"$work/containers.conf" <<EOF
[containers]
netns = "host"
log_driver = "k8s-file"
# Root may not raise resource limits here: with podman's default ulimits every container fails.
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$work/events.log"
runtime = "runc"
tmp_dir = "$work/tmp"

[network]
network_config_dir = "$work/networks"
EOF
cat >"$work/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$work/graph"
runroot = "$work/run"
EOF
export CONTAINERS_CONF="$work/containers.conf" CONTAINERS_STORAGE_CONF="$work/storage.conf"

cleanup() {
  local status=$?
  set +e
  if [ "$status" -ne 0 ] && podman container exists "$name" 2>/dev/null; then
    echo "--- container log ---"
    podman logs "$name" 2>&1 | tail -n 40
  fi
  # The container first (it holds a network address and a port), then the whole store: its
  # folder goes, with whatever is still mounted under it (deepest first).
  podman rm --force --time 0 "$name" >/dev/null 2>&1
  findmnt -rn -o TARGET | grep -F "$work/" | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$work"
  [ -n "$had_var_lib_containers" ] || rm -rf /var/lib/containers
  phase "cleaned up (exit $status)"
}
trap cleanup EXIT

# The base image: Debian bookworm (minbase) from the host's own Debian sources, the host's Node,
# npm and Node headers under /usr/local, and a user node with uid 1000.
phase "making $base_image"
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && grep -Eqs '^[^#]*\bbookworm\b' "$f" && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || { echo "container smoke: no Debian bookworm apt source on this machine" >&2; exit 1; }
rootfs="$work/rootfs"
mmdebstrap --quiet --variant=minbase \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  bookworm "$rootfs" "${sources[@]}" </dev/null
node_bin=$(readlink -f "$(command -v node)")
npm_dir="$(npm root -g)/npm"
node_headers=""
for d in "$(dirname "$(dirname "$node_bin")")/include/node" /usr/include/node /usr/local/include/node; do
  if [ -f "$d/node.h" ]; then node_headers=$d; break; fi
done
[ -n "$node_headers" ] || { echo "container smoke: the host's Node headers (node.h) are missing" >&2; exit 1; }
install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/include"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
cp -a "$node_headers" "$rootfs/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
chroot "$rootfs" /usr/local/bin/node --version >/dev/null
tar -C "$rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' - "$base_image" >/dev/null
rm -rf "$rootfs"

# The image. npm traffic here may pass a TLS-intercepting proxy: the host's CA bundle goes in as a
# build secret (mounted for the npm step only, never in a layer); without it the build is as anywhere.
phase "building $image"
secret=()
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -s "$ca_bundle" ] && secret=(--secret "id=ca_bundle,src=$ca_bundle")
podman build --quiet --format docker --pull=never --build-arg "BASE_IMAGE=$base_image" "${secret[@]}" -t "$image" . >/dev/null

phase "running it on http://localhost:$host_port"
# No health-check timer (podman sets one up through systemd, absent here, and says so on stderr,
# kept for a failure): the loop below runs the image's HEALTHCHECK itself.
podman run --detach --name "$name" --network bridge -p "127.0.0.1:$host_port:8400" --health-interval disable \
  -e "SSO_HARNESS_BASE_URL=http://localhost:$host_port" "$image" >/dev/null 2>"$work/run.err" \
  || { cat "$work/run.err" >&2; exit 1; }
healthy=""
for _ in $(seq 1 120); do
  if podman healthcheck run "$name" >/dev/null 2>&1; then healthy=yes; break; fi
  [ "$(podman inspect --format '{{.State.Running}}' "$name")" = true ] || break
  sleep 0.5
done
[ -n "$healthy" ] || { echo "container smoke: the container never became healthy" >&2; exit 1; }
phase "healthy"

uid=$(podman exec "$name" id -u)
[ "$uid" = 1000 ] || { echo "container smoke: the harness runs as uid $uid, not 1000" >&2; exit 1; }
podman exec "$name" test -s /data/harness.db || { echo "container smoke: no /data/harness.db in the container" >&2; exit 1; }

# The host's own build of the CLI signs in through the published port, as a browser would.
[ -f dist/cli/main.js ] || npm run -s build
node dist/cli/main.js login --url "http://localhost:$host_port" --email ann@acme.test --password ann-password-1
phase "login through http://localhost:$host_port completed"

size=$(podman image inspect --format '{{.Size}}' "$image")
base_size=$(podman image inspect --format '{{.Size}}' "$base_image")
echo "Image size: $((size / 1000000)) MB ($image: $((base_size / 1000000)) MB of it is $base_image)"
phase "done"
