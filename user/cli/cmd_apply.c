// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xlb apply -f FILE [--dry-run] and xlb save: the whole desired state from a YAML file,
 * validated in full, shown as a difference and applied as one transaction; and the running
 * state written back as a file that apply takes unchanged.
 */
#include <string.h>
#include <jansson.h>
#include "cli_cmds.h"
#include "state.h"

static void print_diff(const struct xlb_strv *lines, bool json)
{
	json_t *arr;
	size_t i;

	if (!json) {
		for (i = 0; i < lines->n; i++)
			printf("%s\n", lines->v[i]);
		if (!lines->n)
			printf("No changes.\n");
		return;
	}
	arr = json_array();
	for (i = 0; i < lines->n; i++)
		json_array_append_new(arr, json_string(lines->v[i]));
	json_dumpf(arr, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(arr);
}

int cmd_apply(const struct cli_args *a)
{
	struct xlb_errors errs = {};
	struct xlb_conf want = {}, cur = {};
	struct xlb_strv diff = {};
	struct xlb_instance in;
	int ret, err;

	err = xlb_conf_load(a->file, &want, &errs);
	if (err) {
		/* The loader names the file and line of every problem it found. */
		xlb_errors_print(&errs, stderr);
		ret = errs.n ? EX_CONFIG : cli_fail(EX_CONFIG, "Couldn't load '%s': %s", a->file,
						    strerror(-err));
		xlb_errors_free(&errs);
		xlb_conf_free(&want);
		return ret;
	}
	xlb_errors_free(&errs);
	ret = cli_open(a, &in, true);
	if (ret)
		goto free_want;
	err = xlb_state_read(&in.lb, &cur);
	if (!err)
		err = xlb_conf_diff(&cur, &want, &diff);
	if (err) {
		ret = cli_fail_on(in.dev, err, "compare with the running state");
		goto close;
	}
	print_diff(&diff, a->json);
	/* A dry run plans the transaction too, so that it fails where apply would. */
	err = a->dry_run ? xlb_state_check(&in.lb, &want) : 0;
	if (err)
		ret = cli_fail_on(in.dev, err, "plan the change");
	else if (a->dry_run)
		ret = cli_prog_check(&in, &want);
	/* Even with no difference to show: a change cut short (a killed writer) left a table that
	 * its VIP entry marks unknown, and applying rebuilds it. */
	if (!a->dry_run)
		ret = cli_apply_conf(&in, &want);
close:
	xlb_strv_free(&diff);
	xlb_conf_free(&cur);
	xlb_instance_close(&in);
free_want:
	xlb_conf_free(&want);
	return ret;
}

int cmd_save(const struct cli_args *a)
{
	struct xlb_instance in;
	struct xlb_conf cur;
	int ret, err;

	ret = cli_open(a, &in, false);
	if (ret)
		return ret;
	err = xlb_state_read(&in.lb, &cur);
	if (!err) {
		xlb_conf_sort(&cur);
		err = xlb_conf_write(&cur, stdout);
		xlb_conf_free(&cur);
	}
	if (err)
		ret = cli_fail_on(in.dev, err, "save xlb's state");
	xlb_instance_close(&in);
	return ret;
}
