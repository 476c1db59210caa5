# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
# xlb: one flat Makefile. BPF objects (bpf/*.bpf.c -> build/*.bpf.o -> build/*.skel.h), the
# userspace libraries (maps/ and user/lib/, user/cli/, user/daemon/: one each) and binaries, and
# the test and benchmark programs, all under build/.
# `make V=1` shows the commands; headers are tracked with -MMD -MP.

BUILD	?= build
CLANG	?= clang
BPFTOOL	?= bpftool
CC	?= cc

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

INCLUDES  := -Iinclude -Imaps -Iuser/lib -Iuser/cli -Iuser/daemon -Itests/lib -I$(BUILD)
CFLAGS	  ?= -O2 -g
CFLAGS	  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP $(INCLUDES)
LDLIBS	  := -lbpf -lelf -lz -lyaml -ljansson
BPF_CFLAGS := -target bpf -mcpu=v3 -O2 -g -Wall -Werror -MMD -MP -I. -Iinclude -Imaps -Ibpf

BPF_PROGS   := xlb xlb_decap
BENCH_BPF   := xlb_bench decap_bench
LIB_SRCS    := $(wildcard maps/*.c user/lib/*.c)
CLI_SRCS    := $(filter-out user/cli/xlb.c,$(wildcard user/cli/*.c))
DAEMON_SRCS := $(filter-out user/daemon/xlbd.c,$(wildcard user/daemon/*.c))
LIB	    := $(BUILD)/libxlb.a
CLI_LIB	    := $(BUILD)/libxlbcli.a
DAEMON_LIB  := $(BUILD)/libxlbd.a
BINS	    := $(BUILD)/xlb $(BUILD)/xlbd
SKELS	    := $(BPF_PROGS:%=$(BUILD)/%.skel.h)
UNIT_TESTS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))
BPF_TESTS   := $(BUILD)/tests/bpf/xlb_fixtures
CLI_TOOLS   := $(patsubst tests/cli/%.c,$(BUILD)/tests/cli/%,$(wildcard tests/cli/*.c))
DAEMON_TOOLS := $(patsubst tests/daemon/%.c,$(BUILD)/tests/daemon/%,$(wildcard tests/daemon/*.c))
E2E_TOOLS   := $(patsubst tests/e2e/%.c,$(BUILD)/tests/e2e/%,\
		 $(filter-out %.bpf.c,$(wildcard tests/e2e/*.c)))
E2E_BPF     := $(BUILD)/tests/e2e/xdp_pass.bpf.o
BENCHES     := $(BUILD)/tests/bench/maglev_bench $(BUILD)/tests/bench/xdp_bench \
	       $(BUILD)/tests/bench/rate_bench $(BUILD)/tests/bench/decap_bench
DEPS_STAMP  := $(BUILD)/.deps-installed

.PHONY: all deps test unit-test bpf-test cli-test daemon-test e2e-test fleet-test verifier-test \
	demo fleet-demo bench \
	vmlinux clean install
.DELETE_ON_ERROR:
.SECONDARY:

all: $(SKELS) $(LIB) $(BINS)

# The Debian packages, installed once per machine (and again when the list changes).
deps: $(DEPS_STAMP)
$(DEPS_STAMP): .ci/deps.sh
	$(Q)sh .ci/deps.sh
	$(Q)mkdir -p $(@D) && touch $@

$(BUILD)/%.bpf.o: bpf/%.bpf.c | $(DEPS_STAMP)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.bpf.o: tests/bench/%.bpf.c | $(DEPS_STAMP)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

$(BUILD)/%.o: %.c | $(DEPS_STAMP) $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_SRCS:%.c=$(BUILD)/%.o)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(CLI_LIB): $(CLI_SRCS:%.c=$(BUILD)/%.o)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(DAEMON_LIB): $(DAEMON_SRCS:%.c=$(BUILD)/%.o)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/xlb: $(BUILD)/user/cli/xlb.o $(CLI_LIB) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/xlbd: $(BUILD)/user/daemon/xlbd.o $(DAEMON_LIB) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS) -lmicrohttpd

# A test links the libraries of the parts it tests; an archive adds only the objects it uses.
# The other files of tests/unit/ are the helpers every test links.
UNIT_HELPERS := $(patsubst %.c,$(BUILD)/%.o,$(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c)))
$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(UNIT_HELPERS) $(CLI_LIB) $(DAEMON_LIB) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ -lcmocka $(LDLIBS)

# What the fixtures and xdp_bench share: libbpf's messages and staying on one CPU.
TEST_RUN_OBJ  := $(BUILD)/tests/lib/test_run.o
BPF_TEST_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/bpf/*.c)) $(TEST_RUN_OBJ)
# The golden frames are a data file, made into C arrays for the one case file that reads them.
$(BUILD)/tests/bpf/golden_frames.h: tests/bpf/golden.txt tests/bpf/golden.awk
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)awk -f tests/bpf/golden.awk $< > $@.tmp && mv $@.tmp $@
$(BUILD)/tests/bpf/cases_golden.o: $(BUILD)/tests/bpf/golden_frames.h
$(BUILD)/tests/bpf/cases_golden.o: CFLAGS += -I$(BUILD)/tests/bpf
$(BPF_TESTS): $(BPF_TEST_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/bench/maglev_bench: $(BUILD)/tests/bench/maglev_bench.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

XDP_BENCH_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/bench/xdp_*.c)) $(TEST_RUN_OBJ)
$(XDP_BENCH_OBJS): $(BUILD)/xlb_bench.skel.h
$(BUILD)/tests/bench/xdp_bench: $(XDP_BENCH_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

# The decap program's per-packet costs, with real sockets in a namespace of its own (root).
$(BUILD)/tests/bench/decap_bench.o: $(BUILD)/decap_bench.skel.h
$(BUILD)/tests/bench/decap_bench: $(BUILD)/tests/bench/decap_bench.o $(BUILD)/tests/bpf/netns.o \
				  $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/cli/%: $(BUILD)/tests/cli/%.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/e2e/%.bpf.o: tests/e2e/%.bpf.c | $(DEPS_STAMP)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/e2e/%: $(BUILD)/tests/e2e/%.o
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^

# The SYN flood sends with the packet-rate benchmark's generator.
$(BUILD)/tests/e2e/synflood.o: $(BUILD)/pktgen.skel.h
$(BUILD)/tests/e2e/synflood: $(BUILD)/tests/e2e/synflood.o $(BUILD)/tests/bench/pktgen_frame.o
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/daemon/%: $(BUILD)/tests/daemon/%.o
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^

RATE_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/bench/rate_*.c)) \
	     $(BUILD)/tests/bench/pktgen_frame.o
$(BUILD)/tests/bench/rate_bench.o: $(BUILD)/pktgen.skel.h
$(BUILD)/tests/bench/rate_bench: $(RATE_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

unit-test: $(UNIT_TESTS)
	$(Q)set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

bpf-test: $(BPF_TESTS)
	$(Q)echo "== $(BPF_TESTS)"; $(BPF_TESTS)

# Root: runs the real xlb binary against interfaces in network namespaces it creates.
cli-test: $(BINS) $(CLI_TOOLS)
	$(Q)echo "== tests/cli/run.sh"; BUILD=$(BUILD) sh tests/cli/run.sh

# Root: the real xlbd with real HTTP backends, Prometheus and Chromium, in a namespace it creates.
daemon-test: $(BINS) $(CLI_TOOLS) $(DAEMON_TOOLS)
	$(Q)echo "== tests/daemon/run.sh"; BUILD=$(BUILD) bash tests/daemon/run.sh

# The guest's /init for verifier-test: static, so the initrd needs nothing else.
$(BUILD)/tests/verifier/guest_init: tests/verifier/guest_init.c $(SKELS) | $(DEPS_STAMP)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -static -o $@ $< -lbpf -lelf -lz

# The fixture suite of bpf-test, static too, for the same guests.
$(BUILD)/tests/verifier/xlb_fixtures: $(BPF_TEST_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -static -o $@ $^ $(LDLIBS)

# Both XDP programs and the packet fixtures on Debian 12's 6.1 and 6.12 kernels, under qemu.
verifier-test: $(BUILD)/tests/verifier/guest_init $(BUILD)/tests/verifier/xlb_fixtures
	$(Q)echo "== tests/verifier/run.sh"; BUILD=$(BUILD) sh tests/verifier/run.sh

# Root: real TCP/UDP/ICMP through xlb between network namespaces it creates.
e2e-test: $(BINS) $(E2E_TOOLS) $(E2E_BPF)
	$(Q)echo "== tests/e2e/run.sh"; BUILD=$(BUILD) bash tests/e2e/run.sh

# Root: BIRD (BGP, BFD) and keepalived with a fleet of xlbd balancers in namespaces it creates.
fleet-test: $(BINS) $(E2E_TOOLS) $(E2E_BPF)
	$(Q)echo "== tests/fleet/run.sh"; BUILD=$(BUILD) bash tests/fleet/run.sh

# A real topology in namespaces, real traffic, stats shown; KEEP=1 leaves it up.
demo: $(BINS) $(E2E_TOOLS) $(E2E_BPF)
	$(Q)BUILD=$(BUILD) bash tests/e2e/demo.sh

# Three balancers behind a BIRD router: traffic spread, one killed, one drained, per-node counters.
fleet-demo: $(BINS) $(E2E_TOOLS) $(E2E_BPF)
	$(Q)BUILD=$(BUILD) bash tests/fleet/demo.sh

# make test first builds everything its root tiers run (build/, NPROC jobs at a time), then
# runs the tiers one after another: the root suites share the CPU with the daemons they time.
# What needs nothing but CPU (the fuzz tier's build and harnesses, then the build of
# $(SAN_BUILD)) runs beside the two that mostly wait on timers and the network (e2e, fleet: half
# a core of two), at idle priority (SCHED_IDLE: it gets only the cycles they leave), in a
# process group of its own that their failure ends; its log follows theirs.
NPROC	   ?= $(shell nproc)
TEST_BUILD := $(UNIT_TESTS) $(BPF_TESTS) $(BINS) $(CLI_TOOLS) $(DAEMON_TOOLS) $(E2E_TOOLS) \
	      $(E2E_BPF) $(BUILD)/tests/verifier/guest_init $(BUILD)/tests/verifier/xlb_fixtures
TIERS	   := unit-test verifier-test bpf-test cli-test daemon-test
WAIT_TIERS := e2e-test fleet-test
BESIDE_LOG := $(BUILD)/beside.log

test: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) $(TEST_BUILD)
	$(Q)$(MAKE) --no-print-directory $(TIERS)
	$(Q)setsid chrt -i 0 $(MAKE) --no-print-directory beside >$(BESIDE_LOG) 2>&1 & f=$$!; \
	trap 'kill -- -$$f 2>/dev/null' EXIT; trap 'exit 130' INT TERM HUP; \
	$(MAKE) --no-print-directory $(WAIT_TIERS) || exit; \
	wait $$f; s=$$?; trap - EXIT; cat $(BESIDE_LOG); exit $$s
	$(Q)$(MAKE) --no-print-directory sanitize-test

# One after another, each build NPROC jobs at a time: the fuzzers' run is timed, so nothing
# else shares the spare CPU with it.
beside:
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) fuzz-build
	$(Q)$(MAKE) --no-print-directory fuzz-test
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) san-build

# Sanitizers and fuzzing: the same sources again, built by clang with AddressSanitizer (and its
# leak checker) and UndefinedBehaviorSanitizer into $(SAN_BUILD), and with libFuzzer's coverage
# hooks too into $(FUZZ_BUILD), each by a make of its own, so their objects never mix with
# build/'s. The hooks (a call at every comparison) double the CPU time of the code they are
# in, so only the fuzzers have them. Every report fails the run.
SAN_BUILD    ?= build-san
FUZZ_BUILD   ?= build-fuzz
SAN_CC	     := clang -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer
FUZZ_CC	     := $(SAN_CC) -fsanitize=fuzzer-no-link
SAN_MAKE     := $(MAKE) --no-print-directory BUILD=$(SAN_BUILD) CC="$(SAN_CC)" PLAIN_BUILD=$(BUILD)
FUZZ_MAKE    := $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC="$(FUZZ_CC)"
FUZZ_SECONDS ?= 60
FUZZERS	     := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: san-build san-targets sanitize-test fuzz-build fuzz-targets fuzz fuzz-test beside

$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(CLI_LIB) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# The packet parser is BPF code: its vmlinux.h is a shim of uapi headers.
$(BUILD)/tests/fuzz/fuzz_parse.o: CFLAGS += -Ibpf -Itests/fuzz/bpf_shim

# Their objects depend on the compiler, which make cannot see: a change of it starts directory
# $(1), built by compiler $(2), afresh.
fresh = echo '$(2)' | cmp -s - $(1)/.san-cc || \
	{ rm -rf $(1) && mkdir -p $(1) && echo '$(2)' > $(1)/.san-cc; }

# What the sanitizer tier runs; and the fuzzers.
san-build:
	$(Q)$(call fresh,$(SAN_BUILD),$(SAN_CC))
	$(Q)+$(SAN_MAKE) san-targets
san-targets: all $(UNIT_TESTS) $(filter-out %/flowprobe,$(CLI_TOOLS))
	@:
fuzz-build:
	$(Q)$(call fresh,$(FUZZ_BUILD),$(FUZZ_CC))
	$(Q)+$(FUZZ_MAKE) fuzz-targets
fuzz-targets: $(FUZZERS)
	@:

# The tier checks xlb's code; flowprobe only sends frames through the program and says where
# they went, over a thousand times a run, and sanitized each start costs five times the CPU
# (most of it the leak check at exit): the CLI suite's flowprobe is build/'s, copied in by the
# cli-test of $(SAN_BUILD).
ifdef PLAIN_BUILD
$(BUILD)/tests/cli/flowprobe: $(PLAIN_BUILD)/tests/cli/flowprobe
	$(call msg,CP,$@)
	$(Q)mkdir -p $(@D) && cp $< $@
endif

# Root (for the CLI suite): unit tests and the CLI suite with every report logged in one folder.
sanitize-test: san-build $(BUILD)/tests/cli/flowprobe
	$(Q)echo "== tests/sanitize/run.sh"; SAN_MAKE='$(SAN_MAKE)' BUILD=$(SAN_BUILD) \
		sh tests/sanitize/run.sh

# Each harness for FUZZ_SECONDS (make fuzz) or 30 s (make test), two at a time.
fuzz: FUZZ_TIME = $(FUZZ_SECONDS)
fuzz-test: FUZZ_TIME = 30
fuzz fuzz-test: fuzz-build
	$(Q)echo "== tests/fuzz/run.sh"; BUILD=$(FUZZ_BUILD) sh tests/fuzz/run.sh $(FUZZ_TIME)

# Katran's figures beside xlb's per-packet ones when the peer harness is there (see README).
KATRAN_BENCH ?= ../shared/peers/run-katran-bench.sh
bench: $(BENCHES)
	$(Q)$(BUILD)/tests/bench/maglev_bench
	$(Q)BUILD=$(BUILD) KATRAN_BENCH=$(KATRAN_BENCH) sh tests/bench/xdp_bench.sh
	$(Q)BUILD=$(BUILD) sh tests/bench/rate_bench.sh
	$(Q)BUILD=$(BUILD) sh tests/bench/rate_bench.sh -f gue-sc
	$(Q)BUILD=$(BUILD) sh tests/bench/rate_bench.sh -f gue-sc-fast
	$(Q)BUILD=$(BUILD) sh tests/bench/rate_bench.sh -f relay
	$(Q)$(BUILD)/tests/bench/decap_bench

# vmlinux.h is committed; regenerate it only on purpose, from the running kernel's BTF.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h

# The binaries carry their BPF objects (skeletons): nothing else to install but docs and the unit.
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
UNITDIR	?= $(PREFIX)/lib/systemd/system

install: $(BINS)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(SBINDIR)
	install -m 0644 user/cli/xlb.8 user/daemon/xlbd.8 $(DESTDIR)$(MANDIR)/man8
	sed 's|@SBINDIR@|$(SBINDIR)|' user/daemon/xlbd@.service.in > $(DESTDIR)$(UNITDIR)/xlbd@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/xlbd@.service

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
