#!/bin/sh
# Build bink_walk (the bladeink side of benchmarks/ink_speed.py) offline, against Debian's
# packaged Rust crates instead of crates.io.
#
#   sh build.sh BLADE_INK_RS OUT_DIR
#
# BLADE_INK_RS: a blade-ink-rs checkout (a work tree), or a bare git repository / mirror of
# it (its runtime/ is then taken from HEAD, or from $BINK_REV). The patches are made for
# commit 4394faeb44b8 (v1.2.6). OUT_DIR: where everything is written (build dir, cargo home,
# target dir); nothing else is, apart from apt installing the Debian packages if missing.
# $JOBS: cargo's jobs (default 1). Prints the path of the binary on its last line.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 BLADE_INK_RS OUT_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
src=$1
mkdir -p "$2"
out=$(cd "$2" && pwd)

# --- the Debian packages holding the crates (their sources land in /usr/share/cargo/registry)
pkgs="librust-serde-dev librust-serde+serde-derive-dev librust-serde-json-dev
librust-strum-dev librust-strum-macros-dev librust-rand-dev"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "build.sh: installing$missing" >&2
    $sudo apt-get install -y --no-install-recommends $missing >&2 ||
        { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends $missing >&2; }
fi
registry=/usr/share/cargo/registry # Debian's, where librust-*-dev put the crates

# --- the build dir: this folder's driver and shims, the runtime copied out of the checkout
build="$out/build"
rm -rf "$build"
mkdir -p "$build"
cp -R "$here/Cargo.toml" "$here/src" "$here/shims" "$build/"
if [ -f "$src/runtime/Cargo.toml" ]; then
    cp -R "$src/runtime" "$build/runtime"
    rev=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo "unknown (not a git work tree)")
elif git --git-dir="$src" rev-parse --verify -q "${BINK_REV:-HEAD}^{commit}" >/dev/null 2>&1; then
    rev=$(git --git-dir="$src" rev-parse "${BINK_REV:-HEAD}^{commit}")
    git --git-dir="$src" archive "$rev" runtime | tar -x -C "$build"
else
    echo "build.sh: $src is neither a blade-ink-rs checkout nor its git repository" >&2
    exit 1
fi
echo "build.sh: blade-ink-rs runtime at commit $rev" >&2
rm -rf "$build/runtime/target"

# --- Debian's crate versions: the runtime's manifest and its rand 0.10 calls (see README.md)
for p in "$here"/patches/*.patch; do
    patch -p1 -s -d "$build" <"$p"
done

# --- cargo: its home in OUT_DIR, crates.io replaced by Debian's registry, offline
export CARGO_HOME="$out/cargo-home"
export CARGO_TARGET_DIR="$out/target"
mkdir -p "$CARGO_HOME"
cat >"$CARGO_HOME/config.toml" <<EOF
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "$registry"

[net]
offline = true
EOF
# rustup's proxies look for toolchains under ~/.rustup, not CARGO_HOME: keep them found
if [ -z "${RUSTUP_HOME:-}" ] && [ -d "${HOME:-/nonexistent}/.rustup" ]; then
    export RUSTUP_HOME="$HOME/.rustup"
fi

cargo build --release --offline -j "${JOBS:-1}" --manifest-path "$build/Cargo.toml" >&2
echo "$CARGO_TARGET_DIR/release/bink_walk"
