# Sourced by scripts/loadtest and scripts/soak: builds the release server, seeds a fresh
# demo (or, with SCALE=1, scale) database, starts the server on $PORT with its log in $LOG, and signs in the demo
# accounts the load uses (OWNER_COOKIE, ADMIN_COOKIE, CLIENT_COOKIE, CLIENT_ID). The caller's
# EXIT trap stops everything.
set -euo pipefail
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v wrk >/dev/null; then
  echo "installing wrk (the load generator)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
# The server as cargo-leptos builds it (the same compile-time settings as scripts/run and
# scripts/browserbench, so that one build serves all three).
SQLX_OFFLINE=true cargo leptos build --release --server-only >/dev/null
server_url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${PORT:-3100}
LOAD_DB=portal_load
load_url="${server_url%/*}/$LOAD_DB"
LOG=${LOG:-target/load-server.log}
# SCALE=1: the scale data (seed-scale, PARTNERS and CLIENTS) instead of the demo; with
# KEEP_LOAD_DB=1 a database seeded by an earlier run is used again.
if [ "${SCALE:-0}" = 1 ] && [ "${KEEP_LOAD_DB:-0}" = 1 ] &&
  psql "$load_url" -Atc "select 1 from partners where slug = 'scale-00001'" 2>/dev/null | grep -q 1; then
  echo "using the scale data already in $LOAD_DB"
else
  psql "$server_url" -qc "drop database if exists $LOAD_DB with (force)" -c "create database $LOAD_DB"
  if [ "${SCALE:-0}" = 1 ]; then
    DATABASE_URL=$load_url target/release/partner-portal seed-scale \
      --partners "${PARTNERS:-5000}" --clients "${CLIENTS:-1000000}"
  else
    DATABASE_URL=$load_url target/release/partner-portal seed-demo >/dev/null 2>&1
  fi
fi
# The load comes from many addresses through a "proxy" on loopback (X-Forwarded-For), as a
# real portal behind a load balancer would see it.
DATABASE_URL=$load_url LEPTOS_SITE_ADDR=127.0.0.1:$PORT PORTAL_PUBLIC_URL=http://127.0.0.1:$PORT \
  PORTAL_TRUSTED_PROXIES=127.0.0.1 PORTAL_MAIL_DIR=target/load-mail RUST_LOG=${RUST_LOG:-warn} \
  NO_COLOR=1 target/release/partner-portal >"$LOG" 2>&1 &
SERVER_PID=$!
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  if [ "${KEEP_LOAD_DB:-0}" != 1 ]; then
    psql "$server_url" -qc "drop database if exists $LOAD_DB with (force)" || true
  fi
}
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 0.2
done
session_of() {
  tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(portal_session=[^;]*\).*/\1/p'
}
# Signs in; an admin also answers the second step with the demo authenticator's code.
sign_in() {
  local reply cookie
  reply=$(curl -s -i -H 'Accept: application/json' -H "X-Forwarded-For: 10.250.0.$2" \
    --data-urlencode "input[email]=$1" --data-urlencode 'input[password]=demo-password-2026' \
    "http://127.0.0.1:$PORT/api/login")
  cookie=$(printf '%s' "$reply" | session_of)
  if printf '%s' "$reply" | grep -q '/login/two-factor'; then
    cookie=$(curl -s -i -H 'Accept: application/json' -H "X-Forwarded-For: 10.250.0.$2" -H "Cookie: $cookie" \
      --data-urlencode "input[code]=$(scripts/demo-code)" \
      "http://127.0.0.1:$PORT/api/login/two-factor" | session_of)
  fi
  printf '%s\n' "$cookie"
}
if [ "${SCALE:-0}" = 1 ]; then
  ADMIN_COOKIE=$(sign_in admin@scale.test 2)
  LARGEST_COOKIE=$(sign_in owner-largest@scale.test 4)
  MEDIAN_COOKIE=$(sign_in owner-median@scale.test 5)
  export ADMIN_COOKIE LARGEST_COOKIE MEDIAN_COOKIE
else
  OWNER_COOKIE=$(sign_in owner@northwind.demo.test 1)
  ADMIN_COOKIE=$(sign_in admin@demo.test 2)
  CLIENT_COOKIE=$(sign_in owner@fabrikam.demo.test 3)
  CLIENT_ID=$(psql "$load_url" -Atc "select id from clients where slug = 'fabrikam'")
  export OWNER_COOKIE ADMIN_COOKIE CLIENT_COOKIE CLIENT_ID
fi
