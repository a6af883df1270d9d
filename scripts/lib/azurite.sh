# Shell functions that install and run Azurite's blob service (the Azure Storage emulator) on loopback.

AZURITE_PREFIX="${AZURITE_PREFIX:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.tools/azurite}"

ensure_azurite_installed() {
  if [ ! -x "$AZURITE_PREFIX/node_modules/.bin/azurite-blob" ]; then
    command -v npm >/dev/null || { echo "error: npm is needed to install Azurite. Run: apt-get install -y npm" >&2; return 1; }
    echo "Installing Azurite from npm into $AZURITE_PREFIX..." >&2
    npm install --silent --no-audit --no-fund --prefix "$AZURITE_PREFIX" azurite@3 >/dev/null
  fi
}

# start_azurite DIR PORT: starts the blob service; its pid is written to DIR/azurite.pid.
start_azurite() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  "$AZURITE_PREFIX/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$port" \
    --location "$dir" --skipApiVersionCheck --silent >"$dir/azurite.log" 2>&1 &
  echo $! > "$dir/azurite.pid"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "error: Azurite did not start on port $port; see $dir/azurite.log" >&2
  return 1
}

stop_azurite() {
  local dir=$1
  [ -f "$dir/azurite.pid" ] && kill "$(cat "$dir/azurite.pid")" 2>/dev/null || true
}
