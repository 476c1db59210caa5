// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * libFuzzer harness of the text parsers (user/lib/addr.c): the input, as one string, goes through
 * every parser. Each must leave its output untouched when it refuses, and what it accepts
 * must print as text that parses back to the same value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"

#define FILL 0xa5 /* what outputs hold before a parse: a refusal must leave it */

static void check_untouched(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != FILL)
			abort();
}

static void addr(const char *s)
{
	char text[XLB_ADDR_STRLEN];
	struct xlb_addr a, b;

	memset(&a, FILL, sizeof(a));
	if (xlb_addr_parse(s, &a)) {
		check_untouched(&a, sizeof(a));
		return;
	}
	if (xlb_addr_parse(xlb_addr_str(&a, text, sizeof(text)), &b) || xlb_addr_cmp(&a, &b))
		abort();
}

static void mac(const char *s)
{
	char text[XLB_MAC_STRLEN];
	__u8 m[6], m2[6];

	memset(m, FILL, sizeof(m));
	if (xlb_mac_parse(s, m)) {
		check_untouched(m, sizeof(m));
		return;
	}
	if (xlb_mac_parse(xlb_mac_str(m, text, sizeof(text)), m2) || memcmp(m, m2, sizeof(m)))
		abort();
}

static void vip_name(const char *s)
{
	char text[XLB_VIP_NAME_STRLEN];
	struct xlb_vip_name v, v2;
	int ret;

	memset(&v, FILL, sizeof(v));
	ret = xlb_vip_name_parse(s, &v);
	if (ret) {
		if (ret != -EINVAL && ret != -ERANGE)
			abort();
		check_untouched(&v, sizeof(v));
		return;
	}
	if (xlb_vip_name_parse(xlb_vip_name_str(&v, text, sizeof(text)), &v2) ||
	    xlb_vip_name_cmp(&v, &v2))
		abort();
}

static void endpoint(const char *s)
{
	struct xlb_addr a;
	__u16 port;
	int ret;

	memset(&a, FILL, sizeof(a));
	memset(&port, FILL, sizeof(port));
	ret = xlb_endpoint_parse(s, &a, &port);
	if (ret) {
		if (ret != -EINVAL && ret != -ERANGE)
			abort();
		check_untouched(&a, sizeof(a));
		check_untouched(&port, sizeof(port));
	}
}

static void numbers_and_keywords(const char *s)
{
	__u32 v;
	__u8 k;

	memset(&v, FILL, sizeof(v));
	if (xlb_u32_parse(s, 10, 1000, &v))
		check_untouched(&v, sizeof(v));
	else if (v < 10 || v > 1000)
		abort();
	if (!xlb_proto_parse(s, &k) && strcmp(xlb_proto_str(k), s))
		abort();
	if (!xlb_forward_parse(s, &k) && strcmp(xlb_forward_str(k), s))
		abort();
	if (!xlb_sched_parse(s, &k) && strcmp(xlb_sched_str(k), s))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	addr(s);
	mac(s);
	vip_name(s);
	endpoint(s);
	numbers_and_keywords(s);
	free(s);
	return 0;
}
