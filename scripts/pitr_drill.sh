#!/usr/bin/env bash
# Point-in-time recovery drill for PostgreSQL (docs/deploy.md, "Point-in-time recovery").
#
# Builds a throwaway PostgreSQL cluster with WAL archiving, loads the Mullsjö demo, takes a
# base backup, notes the content checksum at a moment T, then does damage (deletes every
# commitment). It recovers a copy of the base backup to T from the archived WAL and checks
# that every table's row count and checksum equal those at T. Needs the PostgreSQL server
# binaries (Debian: postgresql-15) and runs the cluster as the `postgres` user.
#
#   bash scripts/pitr_drill.sh            # prints each step and "PITR drill: ok"
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=$(mktemp -d /tmp/pitr-drill.XXXXXX)
PORT=${PITR_PORT:-5499}
RESTORE_PORT=$((PORT + 1))
chown postgres "$WORK"
as_pg() { su postgres -s /bin/bash -c "$*"; }
cleanup() {
  as_pg "$BIN/pg_ctl -D $WORK/primary -m immediate stop" >/dev/null 2>&1 || true
  as_pg "$BIN/pg_ctl -D $WORK/restored -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
url() { echo "postgres://postgres@127.0.0.1:$1/drill"; }
checksum() {
  DATABASE_URL=$(url "$1") MEDBORGARLOFTE_DEBUG=1 .venv/bin/python -c '
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
django.setup()
from django.db import connection
from medborgarlofte.backups.postgres import describe
s = describe(connection.settings_dict)
print(sum(s.tables.values()), s.tables["agreements_commitment"], s.checksum)'
}

echo "== 1. a cluster with WAL archiving"
as_pg "$BIN/initdb -D $WORK/primary -A trust -U postgres" >/dev/null
mkdir "$WORK/archive" && chown postgres "$WORK/archive"
cat >>"$WORK/primary/postgresql.conf" <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $WORK/archive/%f && cp %p $WORK/archive/%f'
EOF
as_pg "$BIN/pg_ctl -D $WORK/primary -l $WORK/primary.log -w start" >/dev/null
as_pg "$BIN/createdb -h 127.0.0.1 -p $PORT drill"

echo "== 2. the demo database and a base backup"
DATABASE_URL=$(url $PORT) MEDBORGARLOFTE_DEBUG=1 .venv/bin/medborgarlofte migrate --no-input -v 0
DATABASE_URL=$(url $PORT) MEDBORGARLOFTE_DEBUG=1 .venv/bin/medborgarlofte load_demo >/dev/null
as_pg "$BIN/pg_basebackup -h 127.0.0.1 -p $PORT -D $WORK/base -X stream"

echo "== 3. more work after the base backup, then the moment T"
DATABASE_URL=$(url $PORT) MEDBORGARLOFTE_DEBUG=1 .venv/bin/medborgarlofte apply_retention --dry-run >/dev/null
as_pg "psql -q -h 127.0.0.1 -p $PORT drill -c \"UPDATE agreements_commitment SET text = text || ' (ändrad efter basbackupen)' WHERE id IN (SELECT id FROM agreements_commitment ORDER BY id LIMIT 3)\""
read -r ROWS_AT_T COMMITMENTS_AT_T SUM_AT_T < <(checksum $PORT)
sleep 1
T=$(as_pg "psql -qtA -h 127.0.0.1 -p $PORT drill -c 'SELECT now()'")
sleep 1
echo "   T = $T: $ROWS_AT_T rows, $COMMITMENTS_AT_T commitments, checksum ${SUM_AT_T:0:16}…"

echo "== 4. the damage: every commitment deleted"
as_pg "psql -q -h 127.0.0.1 -p $PORT drill -c 'TRUNCATE agreements_commitment CASCADE'"
as_pg "psql -qtA -h 127.0.0.1 -p $PORT drill -c 'SELECT pg_switch_wal()'" >/dev/null
sleep 2  # let the archiver copy the last segment
read -r ROWS_AFTER COMMITMENTS_AFTER _ < <(checksum $PORT)
echo "   after the damage: $ROWS_AFTER rows, $COMMITMENTS_AFTER commitments"

echo "== 5. recover the base backup to T from the archived WAL"
cp -a "$WORK/base" "$WORK/restored"
cat >>"$WORK/restored/postgresql.conf" <<EOF
port = $RESTORE_PORT
archive_mode = off
restore_command = 'cp $WORK/archive/%f %p'
recovery_target_time = '$T'
recovery_target_action = 'promote'
EOF
touch "$WORK/restored/recovery.signal" && chown postgres "$WORK/restored/recovery.signal"
START=$SECONDS
as_pg "$BIN/pg_ctl -D $WORK/restored -l $WORK/restored.log -w -t 120 start" >/dev/null
for _ in $(seq 1 60); do
  [ "$(as_pg "psql -qtA -h 127.0.0.1 -p $RESTORE_PORT drill -c 'SELECT pg_is_in_recovery()'")" = "f" ] && break
  sleep 1
done
read -r ROWS_RESTORED COMMITMENTS_RESTORED SUM_RESTORED < <(checksum $RESTORE_PORT)
echo "   recovered in $((SECONDS - START)) s: $ROWS_RESTORED rows, $COMMITMENTS_RESTORED commitments, checksum ${SUM_RESTORED:0:16}…"

if [ "$SUM_RESTORED" = "$SUM_AT_T" ] && [ "$ROWS_RESTORED" = "$ROWS_AT_T" ]; then
  echo "PITR drill: ok (every table equals its state at T)"
else
  echo "PITR drill: FAILED (the recovered database differs from its state at T)" >&2
  grep -i "recovery" "$WORK/restored.log" | tail -n 5 >&2
  exit 1
fi
