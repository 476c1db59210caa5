// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Carrying out a parsed xlb command: finding the instance (-i DEV or the only one), taking
 * the writers' lock, and the read-modify-apply cycle of every command that changes state.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include "addr.h"
#include "cli_cmds.h"
#include "exitcode.h"
#include "layout.h"
#include "state.h"

int cli_exit_for(int err)
{
	return xlb_exit_code(err);
}

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xlb: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cli_not_running(const char *dev, const char *what, int err)
{
	if (err == -ESTALE)
		return cli_fail(EX_NOINPUT,
				"Interface '%s' does not run %s: its pins drive a renamed interface; "
				"rename that one back to '%s' to manage or detach it",
				dev, what, dev);
	if (err == -ENOLINK)
		return cli_fail(EX_NOINPUT,
				"Interface '%s' does not run %s: its pins were left by a deleted "
				"interface of that name; attach it again with '%s attach %s'",
				dev, what, what, dev);
	if (err == -EOWNERDEAD)
		return cli_fail(EX_NOINPUT,
				"Interface '%s' does not run %s: its pins were left by a network "
				"namespace that no longer exists", dev, what);
	return cli_fail(EX_NOINPUT, "Interface '%s' does not run %s", dev, what);
}

int cli_fail_on(const char *dev, int err, const char *what)
{
	return cli_fail(cli_exit_for(err), "Couldn't %s on '%s': %s", what, dev, strerror(-err));
}

int cli_no_vip(const struct cli_args *a)
{
	char buf[XLB_VIP_NAME_STRLEN];

	return cli_fail(EX_NOINPUT, "VIP '%s' does not exist",
			xlb_vip_name_str(&a->vip, buf, sizeof(buf)));
}

int cli_no_backend(const struct cli_args *a)
{
	char vip[XLB_VIP_NAME_STRLEN], be[XLB_ADDR_STRLEN];

	if (!a->has_vip)
		return cli_fail(EX_NOINPUT, "Backend '%s' does not exist",
				xlb_addr_str(&a->be_addr, be, sizeof(be)));
	return cli_fail(EX_NOINPUT, "Backend '%s' of VIP '%s' does not exist",
			xlb_addr_str(&a->be_addr, be, sizeof(be)),
			xlb_vip_name_str(&a->vip, vip, sizeof(vip)));
}

static void say_reaped(const char *dir)
{
	fprintf(stderr, "xlb: removed '%s': pins left by a network namespace that no longer "
		"exists\n", dir);
}

void cli_reap(const char *root)
{
	xlb_pins_reap(root, say_reaped);
}

static int pick_dev(const struct cli_args *a, char *dev)
{
	char names[16][IF_NAMESIZE];
	int n;

	if (a->dev) {
		snprintf(dev, IF_NAMESIZE, "%s", a->dev);
		return 0;
	}
	n = xlb_instance_list(names, 16);
	if (n < 0)
		return cli_fail(cli_exit_for(n), "Couldn't list xlb interfaces: %s", strerror(-n));
	if (n == 0)
		return cli_fail(EX_NOINPUT, "No interface runs xlb: attach one with 'xlb attach DEV'");
	if (n > 1)
		return cli_fail(EX_USAGE, "Several interfaces run xlb: choose one with -i DEV");
	snprintf(dev, IF_NAMESIZE, "%s", names[0]);
	return 0;
}

int cli_open(const struct cli_args *a, struct xlb_instance *in, bool lock)
{
	char dev[IF_NAMESIZE];
	int err, ret;

	cli_reap(XLB_PIN_ROOT);
	ret = pick_dev(a, dev);
	if (ret)
		return ret;
	err = xlb_instance_open(dev, in);
	if (err == -ENOENT || err == -ESTALE || err == -ENOLINK || err == -EOWNERDEAD)
		return cli_not_running(dev, "xlb", err);
	if (err == -EPROTO)
		return cli_fail(EX_CONFIG,
				"Couldn't adopt xlb on '%s': its maps have another layout; run "
				"'xlb upgrade %s'", dev, dev);
	if (err)
		return cli_fail_on(dev, err, "open xlb's maps");
	err = lock ? xlb_instance_lock(in) : 0;
	if (err) {
		xlb_instance_close(in);
		return cli_fail(EX_OSERR, "Couldn't lock xlb on '%s': %s", dev, strerror(-err));
	}
	return 0;
}

int cli_open_state(const struct cli_args *a, struct xlb_instance *in, bool lock,
		   struct xlb_conf *conf)
{
	int ret, err;

	ret = cli_open(a, in, lock);
	if (ret)
		return ret;
	err = xlb_state_read(&in->lb, conf);
	if (!err)
		return EX_OK;
	ret = cli_fail_on(in->dev, err, "read xlb's state");
	xlb_instance_close(in);
	return ret;
}

int cli_prog_check(const struct xlb_instance *in, const struct xlb_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->nvips && conf->vips[i].sched != XLB_SCHED_MAGLEV_FAST; i++)
		;
	/* An older program reads maglev-fast as maglev: explain would name other backends. */
	if (i == conf->nvips || xlb_layout_prog_ours(in->dir))
		return EX_OK;
	return cli_fail(EX_CONFIG,
			"sched maglev-fast needs this xlb's program on '%s': run 'xlb upgrade %s' first",
			in->dev, in->dev);
}

int cli_apply_conf(struct xlb_instance *in, const struct xlb_conf *conf)
{
	struct xlb_errors errs = {};
	int err;

	err = xlb_conf_validate(conf, &errs);
	if (err) {
		xlb_errors_print(&errs, stderr);
		xlb_errors_free(&errs);
		return EX_DATAERR;
	}
	xlb_errors_free(&errs);
	err = cli_prog_check(in, conf);
	if (err)
		return err;
	err = xlb_state_apply(&in->lb, conf, 0);
	if (err)
		return cli_fail_on(in->dev, err, "apply the change");
	return EX_OK;
}

/* Locks the instance, reads its state, lets edit change it, and applies the result. */
int cli_edit(const struct cli_args *a, cli_edit_fn edit)
{
	struct xlb_instance in;
	struct xlb_conf conf;
	int ret;

	ret = cli_open_state(a, &in, true, &conf);
	if (ret)
		return ret;
	ret = edit(a, &conf);
	if (ret == EX_OK)
		ret = cli_apply_conf(&in, &conf);
	xlb_conf_free(&conf);
	xlb_instance_close(&in);
	return ret;
}

/*
 * Each command's handler, and whether it changes a balancer or an interface (then it needs the
 * capabilities first; apply even with --dry-run, which answers whether apply would go through).
 */
static const struct {
	cli_cmd_fn run;
	bool changes;
} cmds[CMD__MAX] = {
	[CMD_ATTACH] = { cmd_attach, true },
	[CMD_DETACH] = { cmd_detach, true },
	[CMD_STATUS] = { cmd_status, false },
	[CMD_VIP_ADD] = { cmd_edit, true },
	[CMD_VIP_DEL] = { cmd_edit, true },
	[CMD_VIP_LIST] = { cmd_show, false },
	[CMD_BE_ADD] = { cmd_edit, true },
	[CMD_BE_SET] = { cmd_edit, true },
	[CMD_BE_DRAIN] = { cmd_edit, true },
	[CMD_BE_UNDRAIN] = { cmd_edit, true },
	[CMD_BE_DEL] = { cmd_edit, true },
	[CMD_STATS] = { cmd_show, false },
	[CMD_EXPLAIN] = { cmd_explain, false },
	[CMD_APPLY] = { cmd_apply, true },
	[CMD_SAVE] = { cmd_save, false },
	[CMD_DECAP_ATTACH] = { cmd_decap_attach, true },
	[CMD_DECAP_DETACH] = { cmd_decap_detach, true },
	[CMD_DECAP_STATS] = { cmd_decap_stats, false },
	[CMD_NODE_DRAIN] = { cmd_node_drain, true },
	[CMD_NODE_UNDRAIN] = { cmd_node_drain, true },
	[CMD_NODE_CHECK] = { cmd_node_check, false },
	[CMD_FLOWS_LIST] = { cmd_flows_list, false },
	[CMD_FLOWS_FLUSH] = { cmd_flows_flush, true },
	[CMD_UPGRADE] = { cmd_upgrade, true },
};

static bool cap_effective(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1U << (cap % 32));
}

/*
 * A change needs CAP_BPF (maps, programs) and CAP_NET_ADMIN (XDP attachment) in the effective
 * set; checked before anything is touched, so that no change starts that could not finish.
 * xlb asks for these two by name, even where the kernel would take CAP_SYS_ADMIN instead.
 */
static int check_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {};
	bool bpf, net;

	if (syscall(SYS_capget, &hdr, d))
		return cli_fail(EX_OSERR, "Couldn't read the capabilities of xlb: %s",
				strerror(errno));
	bpf = cap_effective(d, CAP_BPF);
	net = cap_effective(d, CAP_NET_ADMIN);
	if (bpf && net)
		return EX_OK;
	return cli_fail(EX_NOPERM, "Couldn't change xlb's state: it needs CAP_BPF and "
			"CAP_NET_ADMIN, and this process lacks %s",
			bpf ? "CAP_NET_ADMIN" : net ? "CAP_BPF" : "both");
}

int cli_run(const struct cli_args *a)
{
	int ret;

	if (a->cmd == CMD_HELP || (a->given & OPT_BIT(OPT_HELP))) {
		cli_usage(stdout, a->cmd);
		return EX_OK;
	}
	ret = cmds[a->cmd].changes ? check_caps() : EX_OK;
	return ret ? ret : cmds[a->cmd].run(a);
}
