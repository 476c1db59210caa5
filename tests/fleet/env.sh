# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# What the fleet scripts (run.sh, demo.sh) source, in order: the end-to-end topology and its
# helpers (tests/e2e; second.sh for sc_decap_sum, the backends' decap counters), then the
# fleet's BIRD configurations, topology, xlbd configurations and measures. Sourced (bash) from
# the top of the checkout.

for _src in e2e/topo e2e/lib e2e/second fleet/bird fleet/topo fleet/conf fleet/lib; do
	# shellcheck source=/dev/null # (tests/*/*.sh: shellcheck -x cannot follow a loop)
	. "tests/$_src.sh"
done
