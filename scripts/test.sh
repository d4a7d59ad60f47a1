#!/usr/bin/env bash
# The test command behind `make test`. Stages: lint, typecheck, sqlite, postgres, browser, or all
# (all runs the SQLite and PostgreSQL suites side by side, then the browser tests).
# PostgreSQL: uses DATABASE_URL when set; otherwise starts a throwaway cluster with the pg_ctl on
# PATH (as the postgres system user when run as root) and removes it afterwards.
# With CI=true a missing PostgreSQL or Chromium fails the run instead of skipping it.
set -uo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."
BIN=.venv/bin
stage=${1:-all}
CHROMIUM=${ROSC_CHROMIUM:-/usr/bin/chromium}
declare -A COUNTS=()
failed=0
total_passed=0
total_failed=0

say() { printf '\n== %s\n' "$*"; }
is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }

run_pytest() {  # name, then pytest arguments
  local name=$1; shift
  local log; log=$(mktemp)
  "$BIN/python" -m pytest "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local summary; summary=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error)|no tests ran' "$log" | tail -n 1)
  local passed; passed=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
  local nfail=0 n
  for n in $(grep -oE '[0-9]+ (failed|error|errors)' <<<"$summary" | grep -oE '[0-9]+'); do nfail=$((nfail + n)); done
  rm -f "$log"
  COUNTS[$name]="${passed:-0} passed, ${nfail:-0} failed"
  total_passed=$((total_passed + ${passed:-0}))
  total_failed=$((total_failed + ${nfail:-0}))
  if [[ $rc == 5 ]]; then
    echo "$name: no tests were collected"; failed=1
  elif [[ $rc != 0 ]]; then
    failed=1
  fi
}

lint() {
  say "ruff"
  "$BIN/ruff" check . || failed=1
  "$BIN/ruff" format --check . || failed=1
}

typecheck() {
  say "mypy"
  "$BIN/mypy" config rosc bench || failed=1
}

sqlite() {
  say "pytest on SQLite"
  DATABASE_URL="sqlite://:memory:" run_pytest SQLite -m "not browser"
}

PG_DIR=""
stop_pg() {
  if [[ -n "$PG_DIR" && -d "$PG_DIR" ]]; then
    as_pg pg_ctl -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres() {
  say "pytest on PostgreSQL"
  if [[ -n "${DATABASE_URL:-}" && "$DATABASE_URL" == postgres* ]]; then
    run_pytest PostgreSQL -m "not browser"
    return
  fi
  if ! command -v pg_ctl >/dev/null || ! command -v initdb >/dev/null; then
    if is_ci; then echo "PostgreSQL: pg_ctl/initdb not found and CI=true: failing"; failed=1; COUNTS[PostgreSQL]="missing"; return; fi
    echo "PostgreSQL: pg_ctl not found; skipped (install postgresql to run this stage)"
    COUNTS[PostgreSQL]="skipped: no PostgreSQL"; return
  fi
  PG_DIR=$(mktemp -d /tmp/rosc-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  [[ $(id -u) == 0 ]] && chown postgres "$PG_DIR"
  local port; port=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  trap stop_pg EXIT
  if ! as_pg initdb -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log"; echo "PostgreSQL: initdb failed"; failed=1; COUNTS[PostgreSQL]="initdb failed"; return
  fi
  if ! as_pg pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
    cat "$PG_DIR/server.log"; echo "PostgreSQL: server did not start"; failed=1; COUNTS[PostgreSQL]="start failed"; return
  fi
  DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" run_pytest PostgreSQL -m "not browser"
  stop_pg
}

browser() {
  say "browser tests in headless Chromium"
  if [[ ! -x "$CHROMIUM" ]]; then
    if is_ci; then echo "Chromium: $CHROMIUM not found and CI=true: failing"; failed=1; COUNTS[Chromium]="missing"; return; fi
    echo "Chromium: $CHROMIUM not found; skipped (apt-get install chromium)"
    COUNTS[Chromium]="skipped: no Chromium"; return
  fi
  DATABASE_URL="sqlite://:memory:" ROSC_CHROMIUM="$CHROMIUM" run_pytest Chromium -m browser
}

# The SQLite and PostgreSQL suites side by side (each in its own process and log, shown when
# both are done), then the browser tests: about a third less wall time on two cores.
suites_side_by_side() {
  local dir; dir=$(mktemp -d)
  say "pytest on SQLite and on PostgreSQL, side by side"
  bash "$SELF" sqlite >"$dir/1-sqlite.log" 2>&1 &
  local on_sqlite=$!
  bash "$SELF" postgres >"$dir/2-postgres.log" 2>&1 &
  local on_postgres=$!
  wait "$on_sqlite" || failed=1
  wait "$on_postgres" || failed=1
  cat "$dir/1-sqlite.log" "$dir/2-postgres.log"
  local line name rest n
  while IFS= read -r line; do
    name=$(awk '{print $1}' <<<"$line"); name=${name%:}
    rest=$(sed -E 's/^ *[A-Za-z]+: *//' <<<"$line")
    COUNTS[$name]=$rest
    n=$(grep -oE '^[0-9]+ passed' <<<"$rest" | grep -oE '[0-9]+' || true)
    total_passed=$((total_passed + ${n:-0}))
    n=$(grep -oE '[0-9]+ failed' <<<"$rest" | grep -oE '[0-9]+' || true)
    total_failed=$((total_failed + ${n:-0}))
  done < <(grep -hE '^  (SQLite|PostgreSQL): ' "$dir/1-sqlite.log" "$dir/2-postgres.log")
  rm -rf "$dir"
}

case "$stage" in
  lint) lint ;;
  typecheck) typecheck ;;
  sqlite) sqlite ;;
  postgres) postgres ;;
  browser) browser ;;
  all) lint; typecheck; suites_side_by_side; browser ;;
  *) echo "usage: scripts/test.sh [lint|typecheck|sqlite|postgres|browser|all]"; exit 2 ;;
esac

if [[ ${#COUNTS[@]} -gt 0 ]]; then
  say "tests run"
  for name in SQLite PostgreSQL Chromium; do
    [[ -n "${COUNTS[$name]:-}" ]] && printf '  %-11s %s\n' "$name:" "${COUNTS[$name]}"
  done
  echo "${total_passed} passed, ${total_failed} failed"
fi
if [[ $failed != 0 ]]; then echo "FAILED"; exit 1; fi
