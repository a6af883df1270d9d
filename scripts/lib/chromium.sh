# Debian's Chromium for the dashboard's browser tests (tests/PgMigration.Functions.Tests/Dashboard).
# Playwright drives this browser; it never downloads one of its own.

chromium_path() {
  command -v chromium 2>/dev/null || true
}

ensure_chromium_installed() {
  if [ -z "$(chromium_path)" ]; then
    echo "Chromium is not installed; installing chromium from Debian..." >&2
    if [ "$(id -u)" -ne 0 ]; then
      echo "error: installing Chromium needs root. Run: sudo apt-get install -y chromium (on Ubuntu: a chromium package that is not a snap), or set PGMIGRATE_TEST_CHROMIUM to a Chromium executable" >&2
      return 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  chromium_path >/dev/null && [ -n "$(chromium_path)" ] || { echo "error: no chromium on PATH after installing" >&2; return 1; }
}
