#!/usr/bin/env bash
# A private S3-compatible server for tests and benchmarks: OpenStack Swift with its s3api middleware
# (Debian packages swift swift-proxy swift-account swift-container swift-object memcached).
#
#   scripts/s3.sh start DIR [PORT]   builds rings and configuration under DIR (nothing outside it), starts
#                                    memcached and the account, container, object and proxy servers on
#                                    127.0.0.1:PORT..PORT+4, waits until S3 answers, and prints the URL
#                                    http://ACCESS:SECRET@127.0.0.1:PORT (access key URL-encoded)
#   scripts/s3.sh stop DIR           stops what `start` started (by the pids it wrote)
#
# Single node, one device, one replica.  As root, Swift drops to the `swift` user and memcached to
# `memcache` (as pg.sh runs PostgreSQL as `postgres`); otherwise everything runs as the caller.
set -euo pipefail
op=${1:-}; dir=${2:-}; port=${3:-58700}
[ -n "$op" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }

stop() {
  for f in "$dir"/run/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); rm -f "$f"
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

if [ "$op" = stop ]; then stop; exit 0; fi
[ "$op" = start ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }

for b in swift-ring-builder swift-proxy-server swift-object-server memcached; do
  command -v "$b" >/dev/null || { echo "$b missing: run scripts/install.sh (Debian swift packages)" >&2; exit 1; }
done

dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
mc=$((port + 1)); acct=$((port + 2)); cont=$((port + 3)); obj=$((port + 4))
if [ "$(id -u)" -eq 0 ]; then user=swift; mcuser=(-u memcache); else user=$(id -un); mcuser=(); fi
mkdir -p "$dir"/{etc,srv/d1,run,log,cache}
secret_file="$dir/etc/secret"
[ -f "$secret_file" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$secret_file"
secret=$(cat "$secret_file")

cat > "$dir/etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = $(basename "$dir")-suffix
swift_hash_path_prefix = saraban-test
[storage-policy:0]
name = Policy-0
default = yes
EOF

common() {  # the [DEFAULT] section every server shares
  cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $1
swift_dir = $dir/etc
devices = $dir/srv
mount_check = false
user = $user
workers = ${SARABAN_S3_WORKERS:-1}
recon_cache_path = $dir/cache
log_name = swift-$2
log_level = WARNING
log_address = /nonexistent
log_udp_host =
EOF
}

for kind in account container object; do
  p=$acct; [ "$kind" = container ] && p=$cont; [ "$kind" = object ] && p=$obj
  { common "$p" "$kind"; cat <<EOF
[pipeline:main]
pipeline = healthcheck $kind-server
[app:$kind-server]
use = egg:swift#$kind
[filter:healthcheck]
use = egg:swift#healthcheck
EOF
  } > "$dir/etc/$kind-server.conf"
done

{ common "$port" proxy; cat <<EOF
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:tempauth]
use = egg:swift#tempauth
user_saraban_tester = $secret .admin
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
dns_compliant_bucket_names = true
max_upload_part_num = 10000
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$mc
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
} > "$dir/etc/proxy-server.conf"

if [ ! -f "$dir/etc/object.ring.gz" ]; then
  for kind in account container object; do
    p=$acct; [ "$kind" = container ] && p=$cont; [ "$kind" = object ] && p=$obj
    (cd "$dir/etc" && swift-ring-builder "$kind.builder" create 6 1 1 >/dev/null \
      && swift-ring-builder "$kind.builder" add "r1z1-127.0.0.1:$p/d1" 100 >/dev/null \
      && swift-ring-builder "$kind.builder" rebalance >/dev/null) || true
    [ -f "$dir/etc/$kind.ring.gz" ] || { echo "ring $kind was not built" >&2; exit 1; }
  done
fi
chmod 755 "$dir" "$dir/etc"
if [ "$(id -u)" -eq 0 ]; then
  chown -R swift: "$dir/srv" "$dir/cache" "$dir/run" "$dir/log"
  runuser -u swift -- test -r "$dir/etc/swift.conf" || {
    echo "the swift user cannot reach $dir (a parent directory is private): use a directory like /tmp/x" >&2; exit 1; }
fi

stop  # a previous run's leftovers
launch() {  # name, command...
  local name=$1; shift
  nohup "$@" >>"$dir/log/$name.log" 2>&1 &
  echo $! > "$dir/run/$name.pid"
}
launch memcached memcached "${mcuser[@]}" -l 127.0.0.1 -p "$mc" -U 0 -m 64
for kind in account container object; do
  launch "$kind" "swift-$kind-server" "$dir/etc/$kind-server.conf"
done
launch proxy swift-proxy-server "$dir/etc/proxy-server.conf"

# ready when an S3 request to the proxy gets an S3 answer (403/404 XML, not a refused connection)
for _ in $(seq 150); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthcheck" || true)
  if [ "$code" = 200 ]; then
    for k in account container object; do
      p=$acct; [ "$k" = container ] && p=$cont; [ "$k" = object ] && p=$obj
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/healthcheck" || true)" = 200 ] || continue 2
    done
    echo "http://saraban%3Atester:$secret@127.0.0.1:$port"
    exit 0
  fi
  sleep 0.2
done
echo "Swift did not start; logs in $dir/log" >&2
tail -n 20 "$dir"/log/*.log >&2 || true
stop
exit 1
