# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The daemon's HTTP side seen from outside, sourced by run.sh (bash): /healthz, 404 and 405
# answers, `promtool check metrics`, a real Prometheus scraping it, and headless Chromium
# reading the status page (its DOM against `xlb vip list`, its charts moving with traffic, and a
# screenshot).

PROM_PID=
# Where the screenshot goes (run.sh runs in the top directory).
ARTEFACTS=${ARTEFACTS:-tests/artefacts}
case $ARTEFACTS in /*) ;; *) ARTEFACTS=$PWD/$ARTEFACTS ;; esac

t_endpoints() {
	get /healthz
	check http.healthz "$(cat "$T/code") '$(oneline "$T/body")'" \
		[ "$(cat "$T/code"):$(cat "$T/body")" = "200:ok" ]
	get /no-such-page
	check http.not_found "$(cat "$T/code") '$(oneline "$T/body")'" [ "$(cat "$T/code")" = 404 ]
	get / -X POST -d x=1 -D "$T/head"
	check http.post_405 "$(cat "$T/code") '$(oneline "$T/body")'" [ "$(cat "$T/code")" = 405 ]
	check http.post_allow "headers: $(tr -d '\r' <"$T/head" | tr '\n' '|')" \
		grep -qix 'allow: GET, HEAD' <(tr -d '\r' <"$T/head")
	get /metrics -X DELETE
	check http.delete_405 "$(cat "$T/code")" [ "$(cat "$T/code")" = 405 ]
	get /metrics -D "$T/head"
	check http.metrics_type "headers: $(tr -d '\r' <"$T/head" | grep -i content-type)" \
		grep -qi '^content-type: text/plain; version=0.0.4' "$T/head"
	cp "$T/body" "$T/metrics"
	promtool check metrics <"$T/metrics" >"$T/promtool.out" 2>&1 && RC=0 || RC=$?
	check promtool.check_metrics "exit $RC: $(oneline "$T/promtool.out" 5)" [ "$RC" = 0 ]
	# The same backend is down for the http check and up for the tcp check.
	check metrics.backend_up "$(grep '^xlb_backend_up{.*198.18.2.4' "$T/metrics" | tr '\n' '|')" \
		[ "$(grep -c -e "^xlb_backend_up{vip=\"198.18.1.12\",.*backend=\"198.18.2.4\"} 0$" \
			-e "^xlb_backend_up{vip=\"198.18.1.13\",.*backend=\"198.18.2.4\"} 1$" "$T/metrics")" = 2 ]
}

# prom_query EXPR: the first result's value of an instant query, empty when there is none.
prom_query() {
	in_ns curl -s --max-time 2 -G --data-urlencode "query=$1" \
		http://127.0.0.1:9090/api/v1/query | jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}

# A real Prometheus in the namespace scraping the daemon every second.
prom_start() {
	mkdir -p "$T/prom"
	cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: xlbd
    static_configs:
      - targets: ['127.0.0.1:9661']
EOF
	spawn prometheus nsenter --net="$NSPATH" prometheus --config.file="$T/prometheus.yml" \
		--storage.tsdb.path="$T/prom" --web.listen-address=127.0.0.1:9090
	PROM_PID=$LAST_PID
}

# The packets flowprobe sent to V_500T (PROM_SENT, before prom_start) as Prometheus saw them.
t_prometheus() {
	local v="" up="" t0 q
	t0=$(now_ms)
	q='xlb_vip_packets_total{vip="198.18.1.13",port="80",proto="tcp"}'
	for _ in $(seq 60); do
		v=$(prom_query "$q")
		[ "$v" != "$PROM_SENT" ] || break
		[ $(($(now_ms) - t0)) -lt 30000 ] || break
		sleep 0.5
	done
	check prometheus.scraped_vip_packets "query $q: '${v}', flowprobe sent $PROM_SENT" \
		[ "$v" = "$PROM_SENT" ]
	up=$(prom_query 'up{job="xlbd"}')
	check prometheus.target_up "up{job=\"xlbd\"} = '$up'" [ "$up" = 1 ]
	v=$(prom_query 'xlb_backend_up{vip="198.18.1.12",backend="198.18.2.4"}')
	check prometheus.backend_down "xlb_backend_up of the HTTP 500 backend = '$v'" [ "$v" = 0 ]
	stop_pid "$PROM_PID"
	check prometheus.stops "exit status $WAIT_RC: $(tail -n 2 "$T/prometheus.log" | tr '\n' '|')" \
		[ "$WAIT_RC" = 0 ]
}

# chromium ARGS...: headless Chromium in the namespace with a profile of its own, 60 s at most.
chromium_run() {
	local prof
	prof=$(mktemp -d "$T/chromium.XXXXXX")
	timeout -k 5 60 nsenter --net="$NSPATH" chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$prof" "$@"
}

# "VIP BACKEND up|down" lines of the status page's DOM (file $1), in page order.
dom_states() {
	grep -oE 'data-vip="[^"]*"|data-backend="[^"]*" data-state="[^"]*"' "$1" |
		awk -F'"' '/^data-vip/ { vip = $2; next } { print vip, $2, $4 }'
}

# The same out of `xlb -j vip list`.
list_states() {
	xl -j vip list | jq -r '.[] | .vip as $v | .backends[] | "\($v) \(.address) \(if
		.state == "pending" then "pending" elif .down then "down" else "up" end)"'
}

# svg_of FILE ID: the <svg> element with that id in a DOM dump, on one line.
svg_of() {
	tr -d '\n' <"$1" | grep -oP "<svg id=\"\Q$2\E\"[^>]*>.*?</svg>"
}

# points_of FILE ID: its polyline's points.
points_of() {
	svg_of "$1" "$2" | grep -oP '<polyline points="\K[^"]*'
}

# The status page's charts in Chromium: one per VIP and backend rate and drop reason, with stable
# ids; the down backend's reason; V_MAIN's packets/s chart moves while frames are sent between
# loads.
t_chromium_charts() {
	local want got p1 p2 last max rc=0
	want=$( (xl -j vip list | jq -r '.[] | .vip as $v | "pps-\($v)", "nf-\($v)",
		(.backends[] | "pps-\($v)-\(.address)", "nf-\($v)-\(.address)")'
		xl -j stats | jq -r '.global.drops | keys[] | "drops-\(.)"') | sort)
	got=$(grep -oE '<svg id="[^"]*" class="chart' "$T/dom.html" | cut -d'"' -f2 | sort)
	check chromium.charts_there "missing: $(comm -23 <(echo "$want") <(echo "$got") | tr '\n' ' ')" \
		[ "$want" = "$got" ]
	check chromium.down_reason "$(grep -oE 'data-backend="198.18.2.2"[^\n]{0,400}' "$T/dom.html" | head -n 1)" \
		grep -qE 'down: <span class="why">connection refused</span> <span class="since">since <time' \
		"$T/dom.html"
	p1=$(points_of "$T/dom.html" "pps-$V_MAIN")
	for _ in 1 2 3 4; do
		probe 198.18.9.9:50000 "$V_MAIN" 300 >/dev/null
		sleep 0.6
	done
	chromium_run --dump-dom "$HTTP/" >"$T/dom2.html" 2>>"$T/chromium.log" || rc=$?
	p2=$(points_of "$T/dom2.html" "pps-$V_MAIN")
	last=$(svg_of "$T/dom2.html" "pps-$V_MAIN" | grep -oP 'data-last="\K[^"]*')
	max=$(svg_of "$T/dom2.html" "pps-$V_MAIN" | grep -oP 'data-max="\K[^"]*')
	echo "# $V_MAIN packets/s chart: $(echo "$p1" | wc -w) then $(echo "$p2" | wc -w) points," \
		"last $last, max $max"
	check chromium.chart_moves "exit $rc; points before '${p1: -40}', after '${p2: -40}'" \
		[ -n "$p2" -a "$p1" != "$p2" ]
	# 300 frames every 0.6 s or so: a second's rate of at least 100.
	check chromium.chart_shows_traffic "pps-$V_MAIN data-max '$max'" \
		awk -v m="$max" 'BEGIN { exit !(m >= 100) }'
}

# While 198.18.2.2 is down: the page Chromium renders says what xlb says.
t_chromium() {
	local png="$ARTEFACTS/status.png" size wh=none rc=0
	chromium_run --dump-dom "$HTTP/" >"$T/dom.html" 2>"$T/chromium.log" || rc=$?
	check chromium.dump_dom "exit $rc, $(wc -c <"$T/dom.html") bytes; $(tail -n 2 "$T/chromium.log" | tr '\n' '|')" \
		grep -q '<section class="vip"' "$T/dom.html"
	dom_states "$T/dom.html" >"$T/dom.states"
	list_states >"$T/list.states"
	check chromium.states_match_xlb "$(diff "$T/list.states" "$T/dom.states" | tr '\n' '|')" \
		cmp -s "$T/list.states" "$T/dom.states"
	check chromium.down_backend_shown "$(grep "^$V_MAIN " "$T/dom.states" | tr '\n' '|')" \
		grep -qx "$V_MAIN 198.18.2.2 down" "$T/dom.states"
	check chromium.http500_states "$(grep 198.18.2.4 "$T/dom.states" | tr '\n' '|')" \
		[ "$(grep 198.18.2.4 "$T/dom.states" | tr '\n' ' ')" = "$V_500H 198.18.2.4 down $V_500T 198.18.2.4 up " ]
	check chromium.vip_sections "$(grep -c '<section class="vip"' "$T/dom.html") sections" \
		[ "$(grep -o '<section class="vip" id="[^"]*" data-vip="[^"]*"' "$T/dom.html" | wc -l)" = "$(xl -j vip list | jq length)" ]
	t_chromium_charts

	mkdir -p "$ARTEFACTS"
	rm -f "$png"
	rc=0
	chromium_run --screenshot="$png" --window-size=1200,900 "$HTTP/" \
		>>"$T/chromium.log" 2>&1 || rc=$?
	size=$(stat -c %s "$png" 2>/dev/null || echo 0)
	# PNG signature, then the IHDR chunk: width and height as 32-bit big-endian numbers.
	wh=$(od -An -tx1 -N24 "$png" 2>/dev/null | tr -d ' \n')
	[ "${#wh}" != 48 ] || wh="${wh:0:16}:$((16#${wh:32:8}))x$((16#${wh:40:8}))"
	check chromium.screenshot "exit $rc, $png: $size bytes, header $wh" \
		[ "$((size > 20000)):$wh" = 1:89504e470d0a1a0a:1200x900 ]
}
