# Fuzzing the request-body validation (Sources/SeedInput) with libFuzzer.
#   make fuzz         a long run (FUZZ_SECONDS, default 10 min); the corpus grows in .build-fuzz/
#   make fuzz-smoke   a bounded run (FUZZ_SMOKE_RUNS inputs, at most 60 s); make test runs it
# The target is compiled straight from the module's sources with swiftc, since SwiftPM cannot
# add -sanitize=fuzzer to one target; it lives in the git-ignored .build-fuzz/.

SWIFTC ?= swiftc
FUZZ_DIR := .build-fuzz
FUZZ_BIN := $(FUZZ_DIR)/seed-input-fuzzer
FUZZ_SOURCES := $(wildcard Sources/SeedInput/*.swift) Tests/fuzz/SeedRequestBodyFuzzTarget.swift \
	Tests/fuzz/StrictJSON.swift Tests/fuzz/ExactIntegerValue.swift Tests/fuzz/ExpectedOutcome.swift
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_RUNS ?= 300000
# The first corpus folder is where libFuzzer writes new inputs; the committed seeds stay read-only.
FUZZ_FLAGS := -max_len=2048 -timeout=10 -rss_limit_mb=2048 -dict=Tests/fuzz/json.dict \
	-artifact_prefix=$(FUZZ_DIR)/ -print_final_stats=1 $(FUZZ_DIR)/corpus Tests/fuzz/corpus

.PHONY: fuzz fuzz-smoke fuzz-build

fuzz-build: $(FUZZ_BIN)

$(FUZZ_BIN): $(FUZZ_SOURCES)
	@mkdir -p $(FUZZ_DIR)
	@# ld.gold warns about every ASan helper symbol; those lines are noise, real errors still show.
	set -o pipefail; $(SWIFTC) -sanitize=fuzzer,address -parse-as-library -O \
		-module-name SeedInputFuzz $(FUZZ_SOURCES) -o $@ 2>&1 \
		| { grep -v "Cannot export local symbol" || true; }

# Swift's own crash backtracer would take over libFuzzer's crash handling and stall; turn it off.
fuzz: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_DIR)/corpus
	SWIFT_BACKTRACE=enable=no $(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS)

fuzz-smoke: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_DIR)/corpus
	SWIFT_BACKTRACE=enable=no $(FUZZ_BIN) -runs=$(FUZZ_SMOKE_RUNS) -max_total_time=60 $(FUZZ_FLAGS)

# The reliability tests (Tests/reliability) need HAProxy for the stack, redis-tools for
# REPLICAOF, and schemathesis to test the server against openapi.yaml.
TEST_APT_PACKAGES += haproxy redis-server redis-tools curl iproute2 util-linux
PIP_PACKAGES += schemathesis>=4.32,<5
