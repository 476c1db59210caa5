# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# What the fleet scripts (run.sh, demo.sh) source, in order: the end-to-end topology and its
# helpers (tests/e2e; second.sh for sc_decap_sum, the backends' decap counters), then the
# fleet's BIRD configurations, topology, xlbd configurations and measures. Sourced (bash) from
# the top of the checkout.

# shellcheck source=tests/e2e/topo.sh
. tests/e2e/topo.sh
# shellcheck source=tests/e2e/lib.sh
. tests/e2e/lib.sh
# shellcheck source=tests/e2e/second.sh
. tests/e2e/second.sh
# shellcheck source=tests/fleet/bird.sh
. tests/fleet/bird.sh
# shellcheck source=tests/fleet/topo.sh
. tests/fleet/topo.sh
# shellcheck source=tests/fleet/conf.sh
. tests/fleet/conf.sh
# shellcheck source=tests/fleet/lib.sh
. tests/fleet/lib.sh
