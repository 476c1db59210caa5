/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Carrying a map's entries into a map of another layout (xlb upgrade): values that grew are
 * zero-extended, values or maps that shrank only when what is cut off is zero, so a migration
 * never loses a byte of state: it is done whole or refused.
 */
#ifndef XLB_MIGRATE_H
#define XLB_MIGRATE_H

#include <stddef.h>

/*
 * Copies a value of ssz bytes into one of dsz bytes: the rest zero when it grew; -ERANGE when
 * it shrank and a byte cut off is not zero.
 */
int xlb_value_copy(void *dst, size_t dsz, const void *src, size_t ssz);
/*
 * Copies every entry of map fd from into the empty map fd to of the same type: an array's
 * indexes (per CPU for per-CPU arrays, past to's size only if zero), a hash's keys (as many as
 * to holds), a map of maps' inner maps. -EPROTO if the types or hash keys differ, -ERANGE if
 * an entry would be lost, -EOPNOTSUPP for another type of map; to is then partly written.
 */
int xlb_map_migrate(int from, int to);

#endif /* XLB_MIGRATE_H */
