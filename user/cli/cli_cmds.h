/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Internal to the xlb CLI: one handler per command (cmd_*.c), and the helpers they share
 * (cli_run.c, and cmd_instance.c's attach options). Each handler returns a sysexits code and prints its own one-line error.
 */
#ifndef XLB_CLI_CMDS_H
#define XLB_CLI_CMDS_H

#include <stdarg.h>
#include "cli.h"
#include "config.h"
#include "instance.h"

typedef int (*cli_cmd_fn)(const struct cli_args *a);
/* Changes conf as the command says; EX_OK to apply it. */
typedef int (*cli_edit_fn)(const struct cli_args *a, struct xlb_conf *conf);

int cli_exit_for(int err);
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "Couldn't WHAT on 'DEV': why" for a step that failed with -err, and its exit code. */
int cli_fail_on(const char *dev, int err, const char *what);
/* "VIP '%s' does not exist", "Backend '%s' [of VIP '%s'] does not exist" (66). */
int cli_no_vip(const struct cli_args *a);
int cli_no_backend(const struct cli_args *a);
int cli_open(const struct cli_args *a, struct xlb_instance *in, bool lock);
/* cli_open(), then the running state into *conf; on failure the error is said, in closed. */
int cli_open_state(const struct cli_args *a, struct xlb_instance *in, bool lock,
		   struct xlb_conf *conf);
/*
 * "Interface DEV does not run WHAT" (66), and why for -ESTALE, -ENOLINK and -EOWNERDEAD from
 * xlb_pins_check().
 */
int cli_not_running(const char *dev, const char *what, int err);
/* Removes the pin directories under root left by a namespace that is gone, saying so. */
void cli_reap(const char *root);
/*
 * o from attach's options in a, with what was not given learned from a->dev (cmd_instance.c);
 * without need_next_hop, no next hop to learn leaves o->cfg.next_hop zero. EX_OK, or the exit
 * code after a one-line error.
 */
int cli_attach_cfg(const struct cli_args *a, struct xlb_attach_opts *o, bool need_next_hop);
int cli_edit(const struct cli_args *a, cli_edit_fn edit);
/*
 * Whether in's attached program runs conf as written: 78 (said) for a maglev-fast VIP while
 * the program is not this build's (an older one takes it for maglev), else EX_OK.
 */
int cli_prog_check(const struct xlb_instance *in, const struct xlb_conf *conf);
/*
 * Validates conf and applies it to in; EX_OK, or the exit code after what went wrong was said
 * (cli_prog_check()'s among them).
 */
int cli_apply_conf(struct xlb_instance *in, const struct xlb_conf *conf);

int cmd_attach(const struct cli_args *a);
int cmd_detach(const struct cli_args *a);
int cmd_status(const struct cli_args *a);
/* vip add/del, backend add/set/drain/undrain/del: one edit each (cmd_edit.c). */
int cmd_edit(const struct cli_args *a);
/* vip list, and stats with the counters (cmd_show.c). */
int cmd_show(const struct cli_args *a);
int cmd_explain(const struct cli_args *a);
int cmd_apply(const struct cli_args *a);
int cmd_save(const struct cli_args *a);
int cmd_decap_attach(const struct cli_args *a);
int cmd_decap_detach(const struct cli_args *a);
int cmd_decap_stats(const struct cli_args *a);
/* node drain and node undrain. */
int cmd_node_drain(const struct cli_args *a);
int cmd_node_check(const struct cli_args *a);
int cmd_flows_list(const struct cli_args *a);
int cmd_flows_flush(const struct cli_args *a);
int cmd_upgrade(const struct cli_args *a);

#endif /* XLB_CLI_CMDS_H */
