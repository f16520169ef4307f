# shellcheck shell=bash
# Makes a PostgreSQL server available to the store's tests and exports OUTPOST_TEST_PG for it.
# Sourced by .ci/run (`source .ci/postgres.sh`), before `cargo test`; it can also be run alone
# (`bash .ci/postgres.sh`) to start a server and print the URL to use.
#
# 1. If OUTPOST_TEST_PG is already set and that server answers, it is kept.
# 2. Else, if a server answers on 127.0.0.1:${OUTPOST_PG_PORT:-5432} (this machine's own),
#    OUTPOST_TEST_PG=postgres://postgres@127.0.0.1:PORT/postgres (trust auth assumed).
# 3. Else Debian's `postgresql` is installed when its binaries are missing, and a private
#    cluster is created (initdb as the postgres user, trust auth, data in /tmp) and started on
#    127.0.0.1 at the first free port from ${OUTPOST_PG_PRIVATE_PORT:-55432}, socket in /tmp.
#    A private cluster from an earlier run that still answers there is reused.
#
# It never stops or reconfigures a server it did not start. Set OUTPOST_PG_PORT to an unused
# port to try step 3 on a machine whose own server is running. Everything is done in functions
# that `return`, never `exit`, so the sourcing script keeps its own `set -euo pipefail`.

_outpost_pg_log() { printf 'postgres.sh: %s\n' "$*" >&2; }

# Whether a server answers at host $1, port $2.
_outpost_pg_answers() {
  command -v pg_isready >/dev/null 2>&1 || return 1
  pg_isready -q -h "$1" -p "$2" -t 3 >/dev/null 2>&1
}

# The directory holding initdb and pg_ctl, newest major version first; empty if none.
_outpost_pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -n -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      printf '%s\n' "$d"
      return 0
    fi
  done
  return 0
}

# Runs a command as the postgres user (initdb and postgres refuse to run as root).
_outpost_pg_as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

_outpost_pg_private() {
  local bindir port datadir
  bindir="$(_outpost_pg_bindir)"
  if [ -z "$bindir" ] || [ "${OUTPOST_PG_FORCE_INSTALL:-}" = 1 ]; then
    _outpost_pg_log "installing Debian's postgresql"
    if [ "$(id -u)" != 0 ]; then
      _outpost_pg_log "not root: cannot apt-get install postgresql"
      return 1
    fi
    apt-get update -qq >/dev/null || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
    bindir="$(_outpost_pg_bindir)"
    if [ -z "$bindir" ]; then
      _outpost_pg_log "postgresql installed but initdb/pg_ctl not found"
      return 1
    fi
  fi
  id postgres >/dev/null 2>&1 || {
    _outpost_pg_log "no postgres user to run the server as"
    return 1
  }
  port="${OUTPOST_PG_PRIVATE_PORT:-55432}"
  local last=$((port + 20))
  while [ "$port" -le "$last" ]; do
    datadir="/tmp/outpost-pg-$port"
    if _outpost_pg_answers 127.0.0.1 "$port"; then
      if [ -f "$datadir/PG_VERSION" ]; then
        _outpost_pg_log "reusing the private cluster in $datadir on port $port"
        break
      fi
      port=$((port + 1)) # someone else's server: try the next port
      continue
    fi
    if [ -e "$datadir" ]; then
      # Left over from an earlier run whose server is gone: start afresh.
      rm -rf "$datadir"
    fi
    _outpost_pg_log "creating a private cluster in $datadir on port $port"
    mkdir -p "$datadir" && chown postgres: "$datadir" 2>/dev/null || true
    chmod 700 "$datadir"
    _outpost_pg_as_postgres "$bindir/initdb" -D "$datadir" -U postgres -A trust -E UTF8 \
      --locale=C --no-sync >"/tmp/outpost-pg-$port.initdb.log" 2>&1 || {
      _outpost_pg_log "initdb failed:"
      cat "/tmp/outpost-pg-$port.initdb.log" >&2
      return 1
    }
    _outpost_pg_as_postgres "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || {
      _outpost_pg_log "pg_ctl start failed:"
      cat "$datadir/server.log" >&2 || true
      return 1
    }
    break
  done
  if [ "$port" -gt "$last" ] || ! _outpost_pg_answers 127.0.0.1 "$port"; then
    _outpost_pg_log "could not start a private PostgreSQL server"
    return 1
  fi
  export OUTPOST_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
}

_outpost_pg_setup() {
  if [ -n "${OUTPOST_TEST_PG:-}" ] && command -v pg_isready >/dev/null 2>&1 &&
    pg_isready -q -d "$OUTPOST_TEST_PG" -t 3 >/dev/null 2>&1; then
    _outpost_pg_log "using OUTPOST_TEST_PG as given"
  else
    local port="${OUTPOST_PG_PORT:-5432}"
    if _outpost_pg_answers 127.0.0.1 "$port"; then
      export OUTPOST_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
    else
      _outpost_pg_log "no server answers on 127.0.0.1:$port"
      _outpost_pg_private || return 1
    fi
  fi
  _outpost_pg_log "OUTPOST_TEST_PG=$OUTPOST_TEST_PG"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run as a script: set up, then print the URL for the caller.
  _outpost_pg_setup || exit 1
  printf '%s\n' "$OUTPOST_TEST_PG"
else
  # Sourced: a failure here fails the sourcing script (the PostgreSQL tests would fail anyway,
  # with a less direct message).
  _outpost_pg_setup || return 1
fi
