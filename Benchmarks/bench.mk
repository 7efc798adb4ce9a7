# make bench: seed-server (release build) against nginx, HAProxy and Flask, measured side by side
# in one run on loopback; prints a markdown table. How to read it: Benchmarks/README.md.
#   make bench                     report in Benchmarks/out/ (git-ignored)
#   make bench-record              also rewrites Benchmarks/RESULTS.md and Benchmarks/chart.png
#   make bench BENCH_ARGS='--rounds 1 --seconds 2'    a quick look while working on it
BENCH_APT_PACKAGES := wrk nginx-light haproxy redis-server
BENCH_ARGS ?=

.PHONY: bench bench-record

bench: deps
	@./scripts/ensure-apt $(BENCH_APT_PACKAGES)
	@./scripts/ensure-pip $$(sed -e 's/#.*//' -e '/^ *$$/d' Benchmarks/requirements.txt)
	# The binary as it ships (Dockerfile, make artifact): Swift runtime linked statically.
	$(SWIFT) build -c release --static-swift-stdlib --product seed-server
	$(PYTHON) Benchmarks/run_bench.py $(BENCH_ARGS) $(BENCH_RECORD)

# Its own variable: BENCH_ARGS given on the command line would override an append to it.
bench-record: BENCH_RECORD := --record
bench-record: bench
