#!/usr/bin/env bash
# Builds mediasoup's C++ worker (mediasoup-worker) for this machine from the npm package's own source
# (node_modules/mediasoup/worker) with Debian packages only: no pip, no meson downloads, no GitHub.
#
#   npm run media:worker                 # build (or reuse) the worker; prints its path last
#   npm run media:worker -- --try-prebuilt
#                                        # machines with internet: try mediasoup's prebuilt worker
#                                        # from its GitHub release first, build if that fails
#   npm run media:worker -- --force      # rebuild even if an up-to-date worker exists
#
# Result: <repo>/.mediasoup/<mediasoup version>/mediasoup-worker (gitignored; survives npm ci), with
# a stamp of the inputs (mediasoup version, these build files, architecture, Debian release). A copy
# is kept in ~/.cache/parley/mediasoup-worker/ under the same key, so later runs on this machine (a
# fresh clone, CI) reuse it instead of building again. The server finds the worker there on its own
# (server/src/media/mediasoup/workerBinary.ts); MEDIASOUP_WORKER_BIN overrides it.
#
# How (see ../../../README.md, "The media engine"):
# - Debian packages: compiler, meson, ninja, libuv, OpenSSL, flatbuffers (+ flatc), abseil; installed
#   with apt-get when missing (needs root).
# - mediasoup's meson subprojects are replaced by ./subprojects/* (system libraries through
#   pkg-config, a std-container header for unordered_dense, and a libsrtp 3 API layer over libsrtp 2).
# - libsrtp 2.5 is built statically from Debian's *source* package with OpenSSL crypto: Debian's
#   binary libsrtp2 uses NSS, which about doubles the worker's CPU per packet. `apt-get source` needs
#   a deb-src entry; as root the script adds one for the machine's own Debian mirror.
# - ./patches/*.patch are applied to the copy of mediasoup's worker source built here, each
#   explained in its header (dtls-bio-callback-return.patch: without it the worker dies on the
#   first DTLS handshake when linked to Debian's OpenSSL, which is built with kernel TLS).
# - bookworm's meson is 1.0.1 and mediasoup asks for >= 1.1.0 only in its project() line; the copy
#   of the worker source built here relaxes that line to the installed meson (nothing else needs 1.1).
# The worker takes about 7 minutes to build on 2 free cores.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)

force=0
try_prebuilt=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --try-prebuilt) try_prebuilt=1 ;;
    -h | --help)
      sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "build-worker.sh: unknown argument '$arg' (try --help)" >&2
      exit 2
      ;;
  esac
done

log() { printf '[mediasoup-worker] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# mediasoup's package root, wherever npm put it (its exports do not include package.json).
ms_dir=$(cd "$repo/server" && node -p "require('path').resolve(require.resolve('mediasoup'), '../../..')" 2>/dev/null) ||
  die "mediasoup is not installed: run npm ci (or npm install) in $repo first"
ms_version=$(node -p "require(process.argv[1]).version" "$ms_dir/package.json")
[ -f "$ms_dir/worker/meson.build" ] || die "$ms_dir/worker has no meson.build: no worker source to build"

arch=$(uname -m)
debian=$(. /etc/os-release && echo "${ID:-unknown}-${VERSION_ID:-unknown}")
# Everything that changes the binary: mediasoup's version, these build files, the platform.
inputs_hash=$(
  {
    echo "mediasoup $ms_version $arch $debian"
    cd "$here" && find . -type f ! -name '*.md' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
)

out_dir="$repo/.mediasoup/$ms_version"
bin="$out_dir/mediasoup-worker"
stamp="$out_dir/stamp"
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/parley/mediasoup-worker/$ms_version-$inputs_hash"

mkdir -p "$out_dir"
# One build at a time per checkout (two test runs starting together must not race).
exec 9>"$out_dir/.lock"
flock 9

# A worker run without MEDIASOUP_VERSION in its environment exits with 41 when it can start at all
# (its libraries load): the check mediasoup's own installer uses.
worker_runs() {
  local status=0
  env -i "$1" >/dev/null 2>&1 || status=$?
  [ "$status" -eq 41 ]
}

finish() {
  printf '%s\n' "$inputs_hash" >"$stamp"
  log "mediasoup $ms_version worker ready ($1)"
  echo "$bin"
  exit 0
}

if [ "$force" -eq 0 ] && [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs_hash" ] && worker_runs "$bin"; then
  finish "up to date"
fi

if [ "$force" -eq 0 ] && [ -x "$cache_dir/mediasoup-worker" ] && worker_runs "$cache_dir/mediasoup-worker"; then
  install -m 0755 "$cache_dir/mediasoup-worker" "$bin.tmp" && mv -f "$bin.tmp" "$bin"
  finish "from the cache $cache_dir"
fi

if [ "$try_prebuilt" -eq 1 ]; then
  # The same file mediasoup's postinstall downloads (GitHub release of this version).
  node_platform=$(node -p 'process.platform + "-" + process.arch')
  kernel_major=$(uname -r | cut -d. -f1)
  tgz="mediasoup-worker-$ms_version-$node_platform-kernel$kernel_major.tgz"
  url="${MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL:-https://github.com/versatica/mediasoup/releases/download}/$ms_version/$tgz"
  log "trying the prebuilt worker $url"
  tmp=$(mktemp -d)
  if curl -fsSL --connect-timeout 10 --max-time 120 -o "$tmp/$tgz" "$url" &&
    tar -xzf "$tmp/$tgz" -C "$tmp" && [ -f "$tmp/mediasoup-worker" ] && worker_runs "$tmp/mediasoup-worker"; then
    install -m 0755 "$tmp/mediasoup-worker" "$bin.tmp" && mv -f "$bin.tmp" "$bin"
    rm -rf "$tmp"
    # Not cached under the build's key: the cache holds only what this script built.
    finish "prebuilt, downloaded"
  fi
  rm -rf "$tmp"
  log "no usable prebuilt worker; building it here"
fi

# --- Debian packages -------------------------------------------------------------------------------
packages=(g++ pkg-config python3 meson ninja-build libuv1-dev libssl-dev libflatbuffers-dev
  flatbuffers-compiler libabsl-dev dpkg-dev patch)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "could not install ${missing[*]} (run as root, or: apt-get install ${missing[*]})"
fi

work="${XDG_CACHE_HOME:-$HOME/.cache}/parley/mediasoup-build-$ms_version-$inputs_hash"
rm -rf "$work"
mkdir -p "$work"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
jobs=$(nproc)
started=$SECONDS

# --- libsrtp 2, static, with OpenSSL, from Debian's source package --------------------------------
srtp_src_dir="$work/libsrtp2-source"
mkdir -p "$srtp_src_dir"
if ! apt-cache showsrc libsrtp2 2>/dev/null | grep -q '^Package: libsrtp2'; then
  # Add deb-src entries for the mirrors the machine already uses for Debian's main component, and
  # refresh only those lists.
  src_list=/etc/apt/sources.list.d/parley-deb-src.sources
  log "adding deb-src entries ($src_list) for apt-get source libsrtp2"
  entries=$(apt-get indextargets --format '$(URI) $(RELEASE) $(COMPONENT) $(IDENTIFIER)' |
    awk '$3 == "main" && $4 == "Packages" { sub("/dists/.*", "", $1); print $1, $2 }' | sort -u)
  [ -n "$entries" ] || die "no Debian 'main' entry in the apt sources to derive a deb-src entry from"
  {
    while read -r uri suite; do
      printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n' "$uri" "$suite"
    done <<<"$entries"
  } >"$work/deb-src.sources"
  as_root install -m 0644 "$work/deb-src.sources" "$src_list" ||
    die "apt-get source needs a deb-src entry; add one for your Debian mirror (as root) and re-run"
  as_root apt-get update -qq -o Dir::Etc::sourcelist="$src_list" -o Dir::Etc::sourceparts=- \
    -o APT::Get::List-Cleanup=0 || die "apt-get update of $src_list failed"
fi
log "fetching Debian's libsrtp2 source"
(cd "$srtp_src_dir" && apt-get source -qq libsrtp2 >"$work/apt-source.log" 2>&1) ||
  die "apt-get source libsrtp2 failed: $(tail -3 "$work/apt-source.log")"
srtp_src=$(find "$srtp_src_dir" -mindepth 1 -maxdepth 1 -type d -name 'libsrtp2-*' | head -n1)
[ -n "$srtp_src" ] || die "apt-get source libsrtp2 left no source directory"

ms_worker="$work/worker"
cp -a "$ms_dir/worker" "$ms_worker"
rm -rf "$ms_worker/out" "$ms_worker/subprojects/packagecache"
for p in "$here"/patches/*.patch; do
  [ -e "$p" ] || continue
  log "applying $(basename "$p")"
  patch -p1 --forward --silent -d "$ms_worker" <"$p" ||
    die "$(basename "$p") does not apply to mediasoup $ms_version's worker: update server/scripts/mediasoup/patches"
done

# The replacements go where each .wrap file's `directory =` says, so meson uses them as they are.
replace_subproject() {
  local wrap="$ms_worker/subprojects/$1.wrap" dir
  [ -f "$wrap" ] || die "mediasoup $ms_version has no subprojects/$1.wrap: update server/scripts/mediasoup"
  dir=$(sed -n 's/^directory *= *//p' "$wrap" | tr -d '[:space:]')
  [ -n "$dir" ] || die "subprojects/$1.wrap names no directory"
  rm -rf "$ms_worker/subprojects/$dir"
  cp -a "$here/subprojects/$1" "$ms_worker/subprojects/$dir"
  echo "$ms_worker/subprojects/$dir"
}
for sp in libuv openssl flatbuffers unordered-dense abseil-cpp; do replace_subproject "$sp" >/dev/null; done
srtp3_dir=$(replace_subproject libsrtp3)

log "building libsrtp2 ($(basename "$srtp_src")) statically with OpenSSL"
meson setup "$work/libsrtp2-build" "$srtp_src" --prefix "$srtp3_dir/srtp2-static" --libdir lib \
  --buildtype release -Ddefault_library=static -Db_staticpic=true -Dcrypto-library=openssl \
  -Dcrypto-library-kdf=disabled -Dtests=disabled -Dpcap-tests=disabled -Ddoc=disabled \
  >"$work/libsrtp2-setup.log" 2>&1 || die "libsrtp2 meson setup failed: $(tail -20 "$work/libsrtp2-setup.log")"
ninja -C "$work/libsrtp2-build" -j "$jobs" install >"$work/libsrtp2-build.log" 2>&1 ||
  die "libsrtp2 build failed: $(tail -20 "$work/libsrtp2-build.log")"

# mediasoup's project() asks for a newer meson than bookworm's only as a floor; relax it to ours.
have_meson=$(meson --version)
want_meson=$(sed -n "s/.*meson_version *: *'>= *\([0-9.]*\)'.*/\1/p" "$ms_worker/meson.build" | head -n1)
if [ -n "$want_meson" ] && [ "$(printf '%s\n%s\n' "$want_meson" "$have_meson" | sort -V | head -n1)" != "$want_meson" ]; then
  log "meson $have_meson installed, mediasoup asks for >= $want_meson: relaxing that line in the build copy"
  sed -i "s/meson_version *: *'>= *$want_meson'/meson_version: '>= $have_meson'/" "$ms_worker/meson.build"
fi

log "building mediasoup-worker $ms_version ($jobs jobs; several minutes)"
meson setup "$work/build" "$ms_worker" --wrap-mode=nodownload --buildtype release -Db_ndebug=true \
  -Db_pie=true -Dms_build_tests=false >"$work/worker-setup.log" 2>&1 ||
  die "worker meson setup failed: $(tail -30 "$work/worker-setup.log")"
ninja -C "$work/build" -j "$jobs" mediasoup-worker >"$work/worker-build.log" 2>&1 ||
  die "worker build failed: $(grep -m5 -B2 -A8 'error' "$work/worker-build.log" || tail -40 "$work/worker-build.log")"

built="$work/build/mediasoup-worker"
strip "$built"
worker_runs "$built" || die "the built worker does not start: $(env -i "$built" 2>&1 | tail -3; ldd "$built" | grep 'not found')"
mkdir -p "$cache_dir"
install -m 0755 "$built" "$cache_dir/mediasoup-worker.tmp" && mv -f "$cache_dir/mediasoup-worker.tmp" "$cache_dir/mediasoup-worker"
install -m 0755 "$built" "$bin.tmp" && mv -f "$bin.tmp" "$bin"
log "built in $((SECONDS - started)) s"
finish "built here"
