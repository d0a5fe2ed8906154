#!/usr/bin/env bash
# Install grassroots from this checkout into a prefix (docs/deploy.md, "Install on Debian").
#
#   sudo deploy/install.sh [options]
#
# Makes PREFIX/.venv from requirements.lock (hash-checked) and installs the package into it,
# writes ETC_DIR/env with generated secrets (only when it does not exist yet: an existing one is
# kept as it is), collects the static files into PREFIX/static, migrates the database, and
# renders the systemd units, the nginx site and the logrotate file for this prefix into
# PREFIX/deploy/. Without --no-systemd (as root) it also creates the service user, and copies
# the rendered files to /etc/systemd/system, /etc/nginx/sites-available (enabled by a link) and
# /etc/logrotate.d. It starts nothing: docs/deploy.md says what to run next.
#
# Run again to upgrade: the venv and the package are refreshed, the env file and the database
# are kept, migrations are applied.
set -euo pipefail

usage() {
  cat <<'USAGE'
Options (defaults in brackets):
  --prefix DIR          where the code, venv, static files and rendered files go [/opt/grassroots]
  --etc-dir DIR         the env file (secrets) [/etc/grassroots]
  --var-dir DIR         the service's state: SQLite, media, backups, audit checkpoints
                        [/var/lib/grassroots]
  --log-dir DIR         nginx's grassroots logs [/var/log/nginx]
  --user NAME           the unprivileged user the services run as [grassroots]
  --server-name NAME    the site's host name (ALLOWED_HOSTS, nginx server_name) [hostname -f]
  --database-url URL    DATABASE_URL written into a new env file [postgres:///grassroots]
  --tls-cert FILE       certificate (chain) for nginx [/etc/ssl/certs/grassroots.pem]
  --tls-key FILE        its private key [/etc/ssl/private/grassroots.key]
  --http-port N         nginx's HTTP port, which only redirects [80]
  --https-port N        nginx's HTTPS port [443]
  --bind ADDR:PORT      where gunicorn listens, behind nginx [127.0.0.1:8000]
  --workers N           gunicorn worker processes [2 x cores + 1]
  --python PATH         the Python 3.11 interpreter for the venv [python3.11]
  --deps-from VENV      tests and trials only: instead of installing requirements.lock, the venv
                        uses the packages of the existing VENV (a .pth file names its
                        site-packages); a production install always installs the lock
  --no-systemd          no service user, nothing copied under /etc/systemd, /etc/nginx,
                        /etc/logrotate.d; everything runs as the calling user (tests, trials)
  -h, --help            this text
USAGE
}

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

SRC=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=/opt/grassroots
ETC_DIR=/etc/grassroots
VAR_DIR=/var/lib/grassroots
LOG_DIR=/var/log/nginx
SERVICE_USER=grassroots
SERVER_NAME=
DATABASE_URL_NEW=postgres:///grassroots
TLS_CERT=/etc/ssl/certs/grassroots.pem
TLS_KEY=/etc/ssl/private/grassroots.key
HTTP_PORT=80
HTTPS_PORT=443
BIND=127.0.0.1:8000
WORKERS=$(( 2 * $(nproc) + 1 ))
PYTHON=python3.11
DEPS_FROM=
SYSTEMD=1

while [ $# -gt 0 ]; do
  opt=$1
  case $opt in
    -h|--help) usage; exit 0 ;;
    --no-systemd) SYSTEMD=0; shift; continue ;;
  esac
  [ $# -ge 2 ] || die "$opt needs a value"
  val=$2
  case $opt in
    --prefix) PREFIX=$val ;;
    --etc-dir) ETC_DIR=$val ;;
    --var-dir) VAR_DIR=$val ;;
    --log-dir) LOG_DIR=$val ;;
    --user) SERVICE_USER=$val ;;
    --server-name) SERVER_NAME=$val ;;
    --database-url) DATABASE_URL_NEW=$val ;;
    --tls-cert) TLS_CERT=$val ;;
    --tls-key) TLS_KEY=$val ;;
    --http-port) HTTP_PORT=$val ;;
    --https-port) HTTPS_PORT=$val ;;
    --bind) BIND=$val ;;
    --workers) WORKERS=$val ;;
    --python) PYTHON=$val ;;
    --deps-from) DEPS_FROM=$val ;;
    *) usage >&2; die "unknown option $opt" ;;
  esac
  shift 2
done

[ -n "$SERVER_NAME" ] || SERVER_NAME=$(hostname -f 2>/dev/null || hostname)
for n in HTTP_PORT HTTPS_PORT WORKERS; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "--$(echo "$n" | tr 'A-Z_' 'a-z-') must be a number, not '${!n}'"
done
[[ $BIND =~ ^[^[:space:]]+:[0-9]+$ ]] || die "--bind must be ADDRESS:PORT, not '$BIND'"
for d in PREFIX ETC_DIR VAR_DIR LOG_DIR; do
  [[ ${!d} = /* ]] || die "--$(echo "$d" | tr 'A-Z_' 'a-z-') must be an absolute path, not '${!d}'"
done
[ -f "$SRC/requirements.lock" ] || die "no requirements.lock in $SRC: run from a grassroots checkout"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found (Debian 12: apt-get install python3.11-venv)"
case $VAR_DIR/ in "$PREFIX"/static/*) die "--var-dir must not be inside $PREFIX/static" ;; esac
if [ "$SYSTEMD" = 1 ]; then
  [ "$(id -u)" = 0 ] || die "run as root, or pass --no-systemd to install for the calling user"
  command -v systemctl >/dev/null || die "systemctl not found: pass --no-systemd"
fi

if [ "$SYSTEMD" = 1 ]; then
  if ! id "$SERVICE_USER" >/dev/null 2>&1; then
    say "creating the system user $SERVICE_USER"
    useradd --system --home-dir "$VAR_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
  RUN_AS=(runuser -u "$SERVICE_USER" --)
else
  SERVICE_USER=$(id -un)
  RUN_AS=()
fi
SERVICE_GROUP=$(id -gn "$SERVICE_USER")

# --- code and venv: readable by all, written by the installer only -----------------------
umask 022
mkdir -p "$PREFIX" "$PREFIX/static" "$PREFIX/bin" "$PREFIX/deploy"
VENV=$PREFIX/.venv
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
purelib() { "$1/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }
if [ -n "$DEPS_FROM" ]; then
  [ -x "$DEPS_FROM/bin/python" ] || die "--deps-from $DEPS_FROM: not a venv"
  say "using the packages of $DEPS_FROM (--deps-from: not for production)"
  purelib "$DEPS_FROM" > "$(purelib "$VENV")/_grassroots_deps.pth"
else
  rm -f "$(purelib "$VENV")/_grassroots_deps.pth"
  say "installing the locked dependencies into $VENV (hash-checked)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r "$SRC/requirements.lock"
fi
say "installing grassroots from $SRC"
# A wheel built from a copy of the checkout: the install never writes into the checkout
# (no build/ or *.egg-info left behind) and never depends on it afterwards.
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
tar -C "$SRC" --exclude=__pycache__ --exclude='*.egg-info' -cf - pyproject.toml src | tar -C "$BUILD" -xf -
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
  --force-reinstall "$BUILD"
install -m 644 "$SRC/gunicorn.conf.py" "$PREFIX/gunicorn.conf.py"

# --- the environment: generated once, never overwritten ------------------------------------
mkdir -p "$ETC_DIR"
ENV_FILE=$ETC_DIR/env
if [ -e "$ENV_FILE" ]; then
  say "keeping the existing $ENV_FILE (it is never overwritten)"
else
  say "writing $ENV_FILE with new secrets"
  key() { "$VENV/bin/python" -c "import base64,secrets;print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"; }
  if [ "$HTTPS_PORT" = 443 ]; then ORIGIN=https://$SERVER_NAME; else ORIGIN=https://$SERVER_NAME:$HTTPS_PORT; fi
  (
    umask 077
    cat > "$ENV_FILE.new" <<ENV
# grassroots' configuration (docs/operations.md lists every variable). Read by the systemd
# units (EnvironmentFile=) and by $PREFIX/bin/grassroots. Keep a copy of the two keys apart
# from the database backups: a database restored without its field key has lost every
# encrypted ID number and phone.
GRASSROOTS_PRODUCTION=1
GRASSROOTS_SECRET_KEY=$("$VENV/bin/python" -c "import secrets;print(secrets.token_urlsafe(50))")
GRASSROOTS_FIELD_KEY=$(key)
GRASSROOTS_AUDIT_KEY=$(key)
DATABASE_URL=$DATABASE_URL_NEW
GRASSROOTS_ALLOWED_HOSTS=$SERVER_NAME
GRASSROOTS_CSRF_TRUSTED_ORIGINS=$ORIGIN
GRASSROOTS_TASKS=database
# nginx on this host: its X-Real-IP is the client's address (login throttle, audit source).
GRASSROOTS_TRUSTED_PROXIES=127.0.0.1
GRASSROOTS_VAR_DIR=$VAR_DIR
GRASSROOTS_STATIC_ROOT=$PREFIX/static
ENV
  )
  mv "$ENV_FILE.new" "$ENV_FILE"
fi
# The service reads it; nobody else may.
chown "root:$SERVICE_GROUP" "$ETC_DIR" "$ENV_FILE" 2>/dev/null || true
chmod 750 "$ETC_DIR"
chmod 640 "$ENV_FILE"

# --- state: the service user's alone ---------------------------------------------------------
mkdir -p "$VAR_DIR"
chown "$SERVICE_USER:$SERVICE_GROUP" "$VAR_DIR"
chmod 700 "$VAR_DIR"

# The `grassroots` command with the service's environment, as operators and install.sh run it.
cat > "$PREFIX/bin/grassroots" <<WRAPPER
#!/bin/sh
# grassroots with the service's environment ($ENV_FILE); run it as $SERVICE_USER.
# The file is read as systemd's EnvironmentFile= reads it (KEY=the rest of the line, spaces
# included), not sourced: a value such as "12345 便民服务热线" needs no shell quoting.
while IFS= read -r line || [ -n "\$line" ]; do
  case \$line in ''|'#'*|';'*) continue ;; esac
  export "\${line%%=*}=\${line#*=}"
done < "$ENV_FILE"
cd "$PREFIX"
exec "$VENV/bin/grassroots" "\$@"
WRAPPER
chmod 755 "$PREFIX/bin/grassroots"

say "collecting static files into $PREFIX/static"
"$PREFIX/bin/grassroots" collectstatic --noinput --clear -v 0
# `grassroots` writes with umask 077; nginx's workers must read these.
chmod -R a+rX "$PREFIX/static"
say "migrating the database"
"${RUN_AS[@]}" "$PREFIX/bin/grassroots" migrate --noinput -v 1

# --- rendered files ----------------------------------------------------------------------------
if [ "$HTTPS_PORT" = 443 ]; then PORT_SUFFIX=; else PORT_SUFFIX=:$HTTPS_PORT; fi
render() {  # template -> output, every @NAME@ replaced; fails if one is left
  local out=$2
  "$VENV/bin/python" - "$1" "$out" <<'PY'
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
values = {k[len("R_"):]: v for k, v in os.environ.items() if k.startswith("R_")}
text = re.sub(r"@([A-Z_]+)@", lambda m: values.get(m.group(1), m.group(0)), text)
left = sorted(set(re.findall(r"@[A-Z_]+@", text)))
if left:
    sys.exit(f"install.sh: {src}: no value for {', '.join(left)}")
open(out, "w", encoding="utf-8").write(text)
PY
}
export R_PREFIX=$PREFIX R_ETC_DIR=$ETC_DIR R_VAR_DIR=$VAR_DIR R_LOG_DIR=$LOG_DIR \
  R_USER=$SERVICE_USER R_GROUP=$SERVICE_GROUP R_BIND=$BIND R_WORKERS=$WORKERS \
  R_SERVER_NAME=$SERVER_NAME R_HTTP_PORT=$HTTP_PORT R_HTTPS_PORT=$HTTPS_PORT \
  R_HTTPS_PORT_SUFFIX=$PORT_SUFFIX R_TLS_CERT=$TLS_CERT R_TLS_KEY=$TLS_KEY \
  R_STATIC_ROOT=$PREFIX/static R_MAX_BODY=55m
R_HARDENING=$(grep -v '^#' "$SRC/deploy/systemd/hardening.conf" | sed "s|@VAR_DIR@|$VAR_DIR|")
export R_HARDENING
mkdir -p "$PREFIX/deploy/systemd" "$PREFIX/deploy/nginx" "$PREFIX/deploy/logrotate"
for unit in grassroots-web grassroots-scheduler grassroots-worker; do
  render "$SRC/deploy/systemd/$unit.service" "$PREFIX/deploy/systemd/$unit.service"
done
render "$SRC/deploy/nginx/grassroots.conf" "$PREFIX/deploy/nginx/grassroots.conf"
render "$SRC/deploy/logrotate/grassroots" "$PREFIX/deploy/logrotate/grassroots"
say "rendered the units, the nginx site and the logrotate file into $PREFIX/deploy/"

if [ "$SYSTEMD" = 1 ]; then
  install -m 644 "$PREFIX"/deploy/systemd/*.service /etc/systemd/system/
  systemctl daemon-reload
  if [ -d /etc/nginx/sites-available ]; then
    install -m 644 "$PREFIX/deploy/nginx/grassroots.conf" /etc/nginx/sites-available/grassroots.conf
    ln -sfn ../sites-available/grassroots.conf /etc/nginx/sites-enabled/grassroots.conf
  else
    say "no /etc/nginx/sites-available (apt-get install nginx): the site is in $PREFIX/deploy/nginx/"
  fi
  [ -d /etc/logrotate.d ] && install -m 644 "$PREFIX/deploy/logrotate/grassroots" /etc/logrotate.d/grassroots
  say "installed the units, the nginx site and the logrotate file"
fi
say "done; next: $PREFIX/bin/grassroots check --deploy, then start the services (docs/deploy.md)"
