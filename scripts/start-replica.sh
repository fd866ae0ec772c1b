#!/usr/bin/env bash
# Starts (or reconfigures) a streaming replica of the local Postgres for tests and development:
# pg_basebackup -R of the cluster on 127.0.0.1:5432 into a data directory of its own, served on
# another port by the same Postgres binaries, run as the postgres OS user.
#
#   scripts/start-replica.sh                      # replica on 5433, no delay
#   REPLICA_APPLY_DELAY=300ms scripts/start-replica.sh   # replays every commit 300 ms late
#   scripts/start-replica.sh --stop               # stops it (the data directory stays)
#
# Idempotent: a replica already streaming from this primary on the port only gets its
# recovery_min_apply_delay set (a reload, no restart); a stopped one is started again; anything
# else there is rebuilt. Prints the
# TEST_REPLICA_URL to use. Needs root (to act as the postgres user and to allow replication
# connections in the primary's pg_hba.conf).
set -euo pipefail

PRIMARY_HOST=127.0.0.1
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DIR="${REPLICA_DIR:-/var/lib/postgresql/inkql-replica}"
REPLICA_APPLY_DELAY="${REPLICA_APPLY_DELAY:-0}"
PG_VERSION="$(ls /etc/postgresql | sort -n | tail -1)"
BIN="/usr/lib/postgresql/$PG_VERSION/bin"
HBA="/etc/postgresql/$PG_VERSION/main/pg_hba.conf"

as_postgres() { runuser -u postgres -- "$@"; }
replica_sql() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atqc "$1"; }

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then as_postgres "$BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null; fi
  echo "replica on port $REPLICA_PORT stopped"
  exit 0
fi

# `all` in pg_hba.conf does not match replication connections: they need a line of their own.
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$HBA"; then
  echo "host replication all 127.0.0.1/32 trust" >>"$HBA"
  psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc 'select pg_reload_conf()' >/dev/null
fi

streaming() {
  [ "$(replica_sql 'select pg_is_in_recovery()' 2>/dev/null)" = "t" ] &&
    [ "$(replica_sql "select count(*) from pg_stat_wal_receiver where status = 'streaming' and sender_port = $PRIMARY_PORT" 2>/dev/null)" = "1" ]
}

# A stopped replica is started again as it is; it catches up by streaming if the primary still has
# the WAL it needs, and is rebuilt below if not.
if ! streaming && [ -f "$REPLICA_DIR/standby.signal" ] && [ ! -f "$REPLICA_DIR/postmaster.pid" ]; then
  as_postgres "$BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/log" -w start >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do streaming && break; sleep 0.5; done
fi

if streaming; then
  replica_sql "alter system set recovery_min_apply_delay = '$REPLICA_APPLY_DELAY'" >/dev/null
  replica_sql 'select pg_reload_conf()' >/dev/null
else
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then as_postgres "$BIN/pg_ctl" -D "$REPLICA_DIR" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$REPLICA_DIR"
  as_postgres mkdir -p -m 700 "$REPLICA_DIR"
  # -c fast: an immediate checkpoint instead of waiting for the next one; -X stream: WAL alongside.
  as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DIR" -R -X stream -c fast
  # Debian keeps the configuration in /etc, so the copied data directory has none of its own.
  as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
# Tell the primary which rows the replica's queries still read, so replaying a vacuum does not
# cancel them.
hot_standby_feedback = on
fsync = off
autovacuum = off
CONF
  as_postgres tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<CONF
local all all trust
host all all 127.0.0.1/32 trust
CONF
  as_postgres tee -a "$REPLICA_DIR/postgresql.auto.conf" >/dev/null <<CONF
recovery_min_apply_delay = '$REPLICA_APPLY_DELAY'
CONF
  as_postgres "$BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/log" -w start >/dev/null
  for _ in $(seq 1 60); do streaming && break; sleep 0.5; done
  streaming || { echo "the replica on port $REPLICA_PORT did not start streaming; see $REPLICA_DIR/log" >&2; exit 1; }
fi

echo "replica streaming on 127.0.0.1:$REPLICA_PORT (recovery_min_apply_delay = $(replica_sql 'show recovery_min_apply_delay'))"
echo "TEST_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/test"
