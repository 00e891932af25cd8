# Sourced by the other scripts: where things live and which ports they use.
# Production settings come from conf/app.conf (see conf/app.conf.example);
# variables already set in the environment win over both.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything conf/app.conf sets is exported, for Kore and for janus-up.
if [ -f "$ROOT/conf/app.conf" ]; then
	set -a
	. "$ROOT/conf/app.conf"
	set +a
fi

: "${VAR_DIR:=$ROOT/var}"
: "${HTTP_PORT:=8888}"
: "${PG_PORT:=15432}"
: "${JANUS_WS_PORT:=8188}"
: "${SIP_PORT:=5062}"
: "${PUBLIC_URL:=http://127.0.0.1:$HTTP_PORT}"
: "${KORE_WORKERS:=2}"
: "${PG_DB:=tongdai}"
: "${HOTLINE_SECRET_FILE:=$VAR_DIR/hotline.secret}"
: "${APP_DB:=host=127.0.0.1 port=$PG_PORT dbname=$PG_DB user=app connect_timeout=2}"

PG_BIN=/usr/lib/postgresql/15/bin
PGDATA="$VAR_DIR/pgdata"
export VAR_DIR HTTP_PORT PG_PORT JANUS_WS_PORT SIP_PORT PUBLIC_URL APP_DB \
    HOTLINE_SECRET_FILE KORE_WORKERS PG_DB ROOT
export KORE_URL="http://127.0.0.1:$HTTP_PORT"
export APP_ROOT="$ROOT"

# psql as the cluster's superuser, for migrations and scripts.
psql_admin() {
	psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

log() { printf '%s\n' "$*" >&2; }
