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
# The center's time zone (an IANA name): Kore's dates, the database's
# sessions and the hotline's opening hours all follow it.
: "${APP_TIME_ZONE:=Asia/Ho_Chi_Minh}"
case $APP_TIME_ZONE in
*[!A-Za-z0-9_+/-]*|/*|*..*|'') echo "APP_TIME_ZONE: '$APP_TIME_ZONE' is no zone name" >&2; exit 1 ;;
esac
# The private cluster's generated passwords (scripts/db start writes them),
# as libpq passfiles, mode 0600: PG_PASSFILE has the superuser's and the
# app role's, for scripts and tests; PG_APP_PASSFILE only the app role's,
# for Kore.  A production APP_DB brings credentials of its own.
PG_PASSFILE=$VAR_DIR/pgpass
PG_APP_PASSFILE=$VAR_DIR/pgpass-app
: "${APP_DB:=host=127.0.0.1 port=$PG_PORT dbname=$PG_DB user=app passfile='$PG_APP_PASSFILE' connect_timeout=2}"

PG_BIN=/usr/lib/postgresql/15/bin
PGDATA="$VAR_DIR/pgdata"
export VAR_DIR HTTP_PORT PG_PORT JANUS_WS_PORT SIP_PORT PUBLIC_URL APP_DB \
    HOTLINE_SECRET_FILE KORE_WORKERS PG_DB ROOT APP_TIME_ZONE
export KORE_URL="http://127.0.0.1:$HTTP_PORT"
export APP_ROOT="$ROOT"

# psql as the private cluster's superuser, for migrations and scripts.
psql_admin() {
	PGPASSFILE=$PG_PASSFILE psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 \
	    -p "$PG_PORT" -U postgres "$@"
}

log() { printf '%s\n' "$*" >&2; }
