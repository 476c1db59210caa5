#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# Root tests of the daemon (`make daemon-test`): the real build/xlbd on a veth in a network
# namespace made here, with real HTTP backends (httpstub) on addresses of the namespace's lo,
# frames driven through the attached program by flowprobe and a real UDP client, and the
# daemon's HTTP side read by curl, promtool, Prometheus and headless Chromium. Scenarios:
# health checks (health.sh), health gating and slow start (gating.sh), reloads, restarts and
# signals (lifecycle.sh), the HTTP side (observe.sh), pins of a deleted interface and hostile
# HTTP clients (flood.sh). Prints "ok NAME" / "FAIL NAME: why" per check, then "N passed,
# N failed".
# BUILD (default build) names the build directory; the status page's screenshot goes to
# ARTEFACTS (default tests/artefacts)/status.png.
# Needs: jq, curl, iproute2, util-linux (nsenter), prometheus, chromium, systemd.
set -eu

DIR=$(cd "$(dirname "$0")" && pwd)
cd "$DIR/../.."
BUILD=$(cd "${BUILD:-build}" && pwd)
# shellcheck source=tests/lib/check.sh
. "$DIR/../lib/check.sh"
need_root run.sh "it creates namespaces and attaches XDP programs"
for tool in "$BUILD/xlb" "$BUILD/xlbd" "$BUILD/tests/cli/flowprobe" \
	"$BUILD/tests/daemon/httpstub" "$BUILD/tests/daemon/notifysink" \
	"$BUILD/tests/daemon/httpflood"; do
	if [ ! -x "$tool" ]; then
		echo "run.sh: $tool is missing: build it first (make daemon-test)" >&2
		exit 1
	fi
done

# shellcheck source=tests/lib/ns.sh
. "$DIR/../lib/ns.sh"
# shellcheck source=tests/lib/xlb.sh
. "$DIR/../lib/xlb.sh"
# shellcheck source=tests/daemon/lib.sh
. "$DIR/lib.sh"
# shellcheck source=tests/daemon/health.sh
. "$DIR/health.sh"
# shellcheck source=tests/daemon/gating.sh
. "$DIR/gating.sh"
# shellcheck source=tests/daemon/observe.sh
. "$DIR/observe.sh"
# shellcheck source=tests/daemon/lifecycle.sh
. "$DIR/lifecycle.sh"
# shellcheck source=tests/daemon/flood.sh
. "$DIR/flood.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

V_MAIN=tcp:198.18.1.10:80 # http check, backends .1 .2 .3
V_UDP=udp:198.18.1.11:53  # http check on port 80, backends .1 .2 .3; the real client's VIP
V_500H=tcp:198.18.1.12:80 # http check, backend .4 answering 500
V_500T=tcp:198.18.1.13:80 # tcp check, the same backend
V_DROP=tcp:198.18.1.20:80 # http check, on-all-down drop, backends .5 .6
V_ALL=tcp:198.18.1.21:80  # http check, on-all-down all, backends .5 .6
V_NEW=tcp:198.18.1.14:80  # added by the reload

# write_conf FILE [reload]: the configuration; with "reload", V_NEW and weight 2 for .3.
write_conf() {
	local w3=1 new="" every="interval: ${INTERVAL_MS}ms, timeout: 500ms, rise: $RISE, fall: $FALL"
	local http="{ check: http, $every }"
	if [ "${2:-}" = reload ]; then
		w3=2
		new="
  - vip: $V_NEW
    health: { check: tcp, $every }
    backends: [ { address: 198.18.2.1 }, { address: 198.18.2.3 } ]"
	fi
	cat >"$1" <<EOF
# The daemon tests' configuration (tests/daemon/run.sh).
vips:
  - vip: $V_MAIN
    health: $http
    backends:
      - address: 198.18.2.1
      - address: 198.18.2.2
      - address: 198.18.2.3
        weight: $w3
  - vip: $V_UDP
    health: { check: http, port: 80, $every }
    backends: [ { address: 198.18.2.1 }, { address: 198.18.2.2 }, { address: 198.18.2.3 } ]
  - vip: $V_500H
    health: $http
    backends: [ { address: 198.18.2.4 } ]
  - vip: $V_500T
    health: { check: tcp, $every }
    backends: [ { address: 198.18.2.4 } ]
  - vip: $V_DROP
    on-all-down: drop
    health: $http
    backends: [ { address: 198.18.2.5 }, { address: 198.18.2.6 } ]
  - vip: $V_ALL
    on-all-down: all
    health: $http
    backends: [ { address: 198.18.2.5 }, { address: 198.18.2.6 } ]$new
EOF
}

START=$(now_ms)
setup
for n in 1 2 3 5 6; do
	stub_start "$n" 200 || fail "setup.stub$n" "$(oneline "$T/stub$n.log")"
done
stub_start 4 500 || fail setup.stub4 "$(oneline "$T/stub4.log")"
spawn notify "$BUILD/tests/daemon/notifysink" "$NOTIFY"
NOTIFY_PID=$LAST_PID
wait_line "$T/notify.log" '^bound ' 5000 || fail setup.notify "$(oneline "$T/notify.log")"
write_conf "$CONF"
xlbd_start || fail setup.xlbd "$(oneline "$XLBD_LOG" 6)"

t_start
# Backends added with the daemon's start take flows once their first check has passed.
wait_state "$V_500T" 198.18.2.4 up 3000 || true
probe 198.18.3.1:10000 "$V_500T" 37 >"$T/prom.p"
PROM_SENT=$(wc -l <"$T/prom.p")
check prometheus.sent "$(tally "$T/prom.p")" [ "$(spread_of "$T/prom.p" 2.4)" = "y 0" ]
prom_start
t_http_500
t_endpoints
t_health_base
t_health_down
t_chromium
t_health_up
t_gating
t_slow_start
t_all_down
t_prometheus
t_reload_good
t_reload_broken
t_start_broken
t_restart
t_second
t_sigterm
t_detach
t_notify_all
t_unit
t_unit_caps
t_flood
stop_pid "$NOTIFY_PID"
FINISHED=1
echo "# $((($(now_ms) - START) / 1000)) s"
