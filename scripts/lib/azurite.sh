# Shell functions that install and run Azurite (the Azure Storage emulator: blob, queue and table) on
# loopback. Telemetry is off: nothing the project runs may talk to anything but this machine.

AZURITE_PREFIX="${AZURITE_PREFIX:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.tools/azurite}"

ensure_azurite_installed() {
  if [ ! -x "$AZURITE_PREFIX/node_modules/.bin/azurite" ]; then
    command -v npm >/dev/null || { echo "error: npm is needed to install Azurite. Run: apt-get install -y npm" >&2; return 1; }
    echo "Installing Azurite from npm into $AZURITE_PREFIX..." >&2
    npm install --silent --no-audit --no-fund --prefix "$AZURITE_PREFIX" azurite@3 >/dev/null
  fi
}

wait_for_port() {
  local port=$1
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# start_azurite DIR BLOB_PORT QUEUE_PORT TABLE_PORT: starts the three services (the Durable Functions
# Azure Storage backend needs queues and tables beside the checkpoints' blobs); pid in DIR/azurite.pid.
start_azurite() {
  local dir=$1 blob_port=$2 queue_port=$3 table_port=$4
  mkdir -p "$dir"
  "$AZURITE_PREFIX/node_modules/.bin/azurite" --disableTelemetry \
    --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" \
    --location "$dir" --skipApiVersionCheck --silent >"$dir/azurite.log" 2>&1 &
  echo $! > "$dir/azurite.pid"
  local port
  for port in "$blob_port" "$queue_port" "$table_port"; do
    wait_for_port "$port" || { echo "error: Azurite did not start on port $port; see $dir/azurite.log" >&2; return 1; }
  done
}

stop_azurite() {
  local dir=$1
  [ -f "$dir/azurite.pid" ] && kill "$(cat "$dir/azurite.pid")" 2>/dev/null || true
}
