# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# What the end-to-end scenarios share: the VIP catalogue and the configuration file made from
# it (conf_yaml), and small helpers for counting answers, reading counters and running load.
# Sourced by run.sh (bash), after topo.sh.

# The VIP addresses by name: NAME ADDR(as in a VIP) BACKEND-FAMILY FORWARD PORTS.
# ipip4in6 is an IPv4 VIP whose backends are IPv6 addresses, ipip6in4 the reverse; both on
# port 0 (every port).
VIPS="ipip4 198.18.100.1 4 ipip 80,7
ipip6 [2001:db8:100::1] 6 ipip 80,7
gue4 198.18.100.2 4 gue 80,7
gue6 [2001:db8:100::2] 6 gue 80,7
dr4 198.18.100.3 4 dr 80,7
dr6 [2001:db8:100::3] 6 dr 80,7
ipip4in6 198.18.100.4 6 ipip 0
ipip6in4 [2001:db8:100::4] 4 ipip 0"
# The VIPs the daemon health-checks (HTTP on port 80, and the line echo on port 7, checked
# through port 80).
HC_ADDR=198.18.100.5
# A VIP scheduled by source address (tcp only, port 80).
SH_ADDR=198.18.100.6
# Two VIPs whose health check (TCP to port 81, where nothing listens) always fails: with
# on-all-down all (one backend drained) and drop.
FO_ALL=198.18.100.7
FO_DROP=198.18.100.8

# vip_field NAME FIELD(2-5): one column of $VIPS.
vip_field() {
	echo "$VIPS" | awk -v n="$1" -v f="$2" '$1 == n { print $f }'
}

# The bare address of VIP NAME (no brackets).
vip_addr() {
	vip_field "$1" 2 | tr -d '[]'
}

# A URL host for VIP NAME, bracketed for IPv6.
vip_host() {
	vip_field "$1" 2
}

be_addr() {
	if [ "$1" = 6 ]; then be_v6 "$2"; else be_v4 "$2"; fi
}

# yaml_backend FAMILY N FORWARD [WEIGHT] [DRAIN]
yaml_backend() {
	echo "      - address: $(be_addr "$1" "$2")"
	[ -z "${4:-}" ] || echo "        weight: $4"
	[ "$3" != dr ] || echo "        mac: \"$(be_mac "$2")\""
	[ -z "${5:-}" ] || echo "        drain: $5"
}

# yaml_backends FAMILY FORWARD VARIANT: b1-b3 (base), and for grow also b4 with b2 at
# weight 2; drain is grow with b4 drained.
yaml_backends() {
	local n
	for n in 1 2 3; do
		if [ "$n:$3" = 2:base ] || [ "$n" != 2 ]; then
			yaml_backend "$1" "$n" "$2"
		else
			yaml_backend "$1" "$n" "$2" 2
		fi
	done
	[ "$3" = base ] || yaml_backend "$1" 4 "$2" 1 "$([ "$3" = drain ] && echo true || echo false)"
}

# conf_yaml [base|grow|drain]: the whole configuration; the variants change the backends of
# ipip4's tcp:80 VIP and of the health-checked VIP (see yaml_backends).
conf_yaml() {
	local variant=${1:-base} name addr fam fwd ports proto port n
	echo "vips:"
	echo "$VIPS" | while read -r name addr fam fwd ports; do
		for proto in tcp udp; do
			for port in ${ports//,/ }; do
				[ "$proto:$port" != udp:80 ] || continue
				echo "  - vip: $proto:$addr:$port"
				echo "    forward: $fwd"
				echo "    backends:"
				if [ "$name:$proto:$port" = ipip4:tcp:80 ]; then
					yaml_backends "$fam" "$fwd" "$variant"
				else
					yaml_backends "$fam" "$fwd" base
				fi
			done
		done
	done
	echo "  - vip: tcp:$SH_ADDR:80"
	echo "    forward: ipip"
	echo "    sched: source-hash"
	echo "    backends:"
	for n in 1 2 3; do
		yaml_backend 4 "$n" ipip
	done
	for n in all drop; do
		echo "  - vip: tcp:$([ $n = all ] && echo $FO_ALL || echo $FO_DROP):80"
		echo "    forward: ipip"
		echo "    on-all-down: $n"
		echo "    health: { check: tcp, port: 81, interval: 1s, timeout: 500ms, rise: 2," \
			"fall: 2 }"
		echo "    backends:"
		yaml_backends 4 ipip base
		[ $n = drop ] || yaml_backend 4 4 ipip 1 true
	done
	for port in 80 7; do
		echo "  - vip: tcp:$HC_ADDR:$port"
		echo "    forward: ipip"
		echo "    health:"
		echo "      check: http"
		echo "      port: 80"
		echo "      path: \"/healthz\""
		echo "      interval: 1s"
		echo "      timeout: 500ms"
		echo "      rise: 2"
		echo "      fall: 2"
		echo "    backends:"
		yaml_backends 4 ipip "$([ $port = 80 ] && echo "$variant" || echo base)"
	done
}

# matches STRING REGEX: STRING matches the extended regular expression.
matches() {
	[[ $1 =~ $2 ]]
}

# lacks STRING SUBSTRING
lacks() {
	[[ $1 != *"$2"* ]]
}

# clean_run OK FAILED MIN: more than MIN requests answered and none failed.
clean_run() {
	[ "$1" -gt "$3" ] && [ "$2" -eq 0 ]
}

# A counter of `xlb -j stats` by jq path.
xstat() {
	topo_xlb -j stats | jq -r "($1) // 0"
}

# names FILE: "b1=N b2=N ..." for the answer lines (one name each) of FILE.
names() {
	sort "$1" | uniq -c | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1 }'
}

# each_at_least FILE MIN NAME...: FILE (one answer a line) has only NAMEs, each >= MIN times.
each_at_least() {
	local f=$1 min=$2 n c total=0
	shift 2
	for n; do
		c=$(grep -cx "$n" "$f")
		[ "$c" -ge "$min" ] || return 1
		total=$((total + c))
	done
	[ "$total" -eq "$(wc -l <"$f")" ]
}

# client_curls URL COUNT: COUNT GETs from the client, one answer (or FAIL) a line.
client_curls() {
	topo_client bash -c 'for i in $(seq "$2"); do
		curl -s -g --max-time 3 "$1" || echo FAIL; done' curls "$1" "$2"
}

# field FILE KEY: the number after the word KEY in e2e_client output FILE (0 if none).
field() {
	awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) v = $(i + 1) } END { print v + 0 }' \
		"$1"
}

# Client answers as one name a line, out of e2e_client's "name NAME COUNT" lines.
expand_names() {
	awk '$1 == "name" { for (i = 0; i < $3; i++) print $2 }' "$1"
}

# load_bg NAME ADDR SECS: a background load run on ADDR:80, output in $T/load.NAME, pid in
# LOAD_PID.
load_bg() {
	topo_client "$E2E_BIN/e2e_client" load "$2" 80 -t "$3" -c 4 -i 10 -T 2000 \
		>"$T/load.$1" 2>&1 &
	# shellcheck disable=SC2034 # for the caller
	LOAD_PID=$!
}

# apply_cycle NAME GAP [AFTER_GROW]: `xlb apply` of grow.yaml (b4 added, b2 at weight 2),
# drain.yaml (b4 drained) and xlb.yaml (b4 gone) in turn, GAP seconds before each, and the
# command AFTER_GROW run after the first (under xlbd, a new backend takes flows only once its
# first check passed); their output in $T/NAME1.log .. $T/NAME3.log, their exit codes in
# APPLY_RCS ("0:0:0" when all succeeded).
apply_cycle() {
	local i=0 f
	APPLY_RCS=
	for f in grow drain xlb; do
		i=$((i + 1))
		sleep "$2"
		topo_xlb apply -f "$T/$f.yaml" >"$T/$1$i.log" 2>&1
		APPLY_RCS="$APPLY_RCS${APPLY_RCS:+:}$?"
		[ "$f" != grow ] || [ -z "${3:-}" ] || $3 >/dev/null || true
	done
}

# load_ok NAME CHECK: the load run in $T/load.NAME had over 100 requests and no failure.
load_ok() {
	local f=$T/load.$1
	check "$2" "$(grep -E '^(fail|total)' "$f" | head -n 4 | tr '\n' '|')" \
		clean_run "$(field "$f" ok)" "$(field "$f" failed)" 100
}

