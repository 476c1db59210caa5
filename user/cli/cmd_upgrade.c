// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb upgrade DEV: this binary's program takes over the balancer attached to DEV, its maps
 * kept or migrated, in one swap of the pinned link (user/lib/upgrade.c); or why it cannot.
 */
#include <errno.h>
#include <string.h>
#include <jansson.h>
#include "cli_cmds.h"
#include "upgrade.h"

static void print_done(const struct cli_args *a, const struct xlb_upgrade *u)
{
	char from[XLB_LAYOUT_STRLEN], to[XLB_LAYOUT_STRLEN];
	json_t *j;

	if (!u->from.prog)
		snprintf(from, sizeof(from), "abi=%u, no record", u->from.abi);
	else
		xlb_layout_str(&u->from, from, sizeof(from));
	xlb_layout_str(&u->to, to, sizeof(to));
	if (!a->json) {
		printf("Upgraded xlb on '%s': program %u -> %u (%s -> %s); maps: %u kept, %u "
		       "migrated, %u new; swap %llu us\n",
		       a->dev, u->old_prog, u->new_prog, from, to, u->kept, u->migrated, u->created,
		       (unsigned long long)u->swap_ns / 1000);
		return;
	}
	j = json_pack("{s:s, s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "interface", a->dev,
		      "old_prog", (json_int_t)u->old_prog, "new_prog", (json_int_t)u->new_prog,
		      "from", from, "to", to, "kept", (json_int_t)u->kept,
		      "migrated", (json_int_t)u->migrated, "new", (json_int_t)u->created,
		      "copy_ns", (json_int_t)u->copy_ns, "swap_ns", (json_int_t)u->swap_ns);
	json_dumpf(j, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(j);
}

/* Why map u->map cannot be migrated. */
static const char *refusal(const struct xlb_upgrade *u, int err)
{
	if (!strcmp(u->map, XLB_MAP_FLOWS))
		return "the connection table's layout changed, and its flows would be lost";
	if (err == -ERANGE)
		return "an entry does not fit the new map and would be lost";
	if (err == -EPROTO)
		return "its type or key changed";
	return "no migration for its type of map";
}

int cmd_upgrade(const struct cli_args *a)
{
	struct xlb_upgrade u;
	int err;

	cli_reap(XLB_PIN_ROOT);
	err = xlb_instance_upgrade(a->dev, &u);
	if (!err) {
		print_done(a, &u);
		return EX_OK;
	}
	if (err == -ENOENT || err == -ESTALE || err == -ENOLINK || err == -EOWNERDEAD)
		return cli_not_running(a->dev, "xlb", err);
	if (err == -EPROTONOSUPPORT)
		return cli_fail(EX_CONFIG,
				"Couldn't upgrade xlb on '%s': its pins have ABI version %u, this "
				"xlb has %u and no migration between them; nothing was changed",
				a->dev, u.from.abi, u.to.abi);
	if (u.map[0] && (err == -EPROTO || err == -ERANGE || err == -EOPNOTSUPP))
		return cli_fail(EX_CONFIG,
				"Couldn't upgrade xlb on '%s': map '%s' cannot be migrated: %s; "
				"nothing was changed", a->dev, u.map, refusal(&u, err));
	return cli_fail(cli_exit_for(err), "Couldn't upgrade xlb on '%s': %s", a->dev,
			strerror(-err));
}
