# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# The keepalived configuration of the active/backup tests, and the one README.md shows: VRRP
# moves the VIP address between two balancers on one segment; a track_script asks xlb
# whether this node should serve. Sourced (bash).

# keepalived_conf DEV PRIORITY VIP XLB: keepalived.conf for one balancer of the pair.
keepalived_conf() {
	cat <<CONF
# xlb on $1 behind VRRP: no preemption, so a recovered node never takes the VIP back (and
# the connections with it) by itself.
global_defs {
	script_user root
	enable_script_security
	vrrp_version 3
}

# xlb's own view: exit 1 when drained or when a VIP has no usable backend.
vrrp_script xlb_serves {
	script "$4 -i $1 node check"
	interval 1
	fall 2
	rise 2
}

vrrp_instance xlb {
	state BACKUP
	nopreempt
	interface $1
	virtual_router_id 51
	priority $2
	advert_int 0.5
	virtual_ipaddress {
		$3/32
	}
	track_script {
		xlb_serves
	}
}
CONF
}
