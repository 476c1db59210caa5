/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The YAML configuration file: the one `xlb apply -f` reads and `xlb save` writes. Included by
 * the CLI and tests/unit/test_config.c. The schema, with the defaults of optional keys:
 *
 *   vips:
 *     - vip: tcp:198.18.0.10:80     # PROTO:ADDR:PORT, IPv6 in brackets; required
 *       forward: ipip               # ipip | gue | dr
 *       sched: maglev               # maglev | maglev-fast | source-hash
 *       gue-port: 6080              # 1-65535
 *       backends:
 *         - address: 198.18.1.1     # required
 *           weight: 1               # 0-100
 *           mac: 02:00:00:00:01:01  # none; every backend of a dr VIP needs one
 *           drain: false            # true | false
 */
#ifndef XLB_CONFIG_H
#define XLB_CONFIG_H

#include <stdio.h>

#include "model.h"

/*
 * Reads and validates the file at path into c (VIPs and backends in file order, each with its
 * line). Records in errs every problem found, sorted by line: YAML syntax (the first only:
 * parsing stops there), unknown and repeated keys, missing or malformed values, and every
 * xlb_conf_validate() rule. Sets errs->file to path (borrowed: print errs while path lives);
 * path "-" reads standard input.
 * Returns 0; -EINVAL when errs holds problems; -errno if the file cannot be opened (also in
 * errs); -ENOMEM. On error c is empty.
 */
int xlb_conf_load(const char *path, struct xlb_conf *c, struct xlb_errors *errs);
/* As xlb_conf_load(), from the len bytes at buf (no NUL needed); errs->file is set to name. */
int xlb_conf_load_buf(const char *name, const void *buf, size_t len, struct xlb_conf *c,
		      struct xlb_errors *errs);

/*
 * Writes c as canonical YAML: canonical order, every key explicit except an absent mac and an
 * empty host, text in double quotes with YAML escapes. What it writes from a valid model
 * (xlb_conf_validate()), xlb_conf_load() reads back to the same model. c may come from
 * anywhere (a file, the maps, code). Returns 0, -ENOMEM or -EIO.
 */
int xlb_conf_write(const struct xlb_conf *c, FILE *out);

#endif /* XLB_CONFIG_H */
