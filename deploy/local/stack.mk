# The local stack: Redis + two seed-servers + HAProxy on loopback (deploy/local/stack does the work).
# Settings come from the environment or the command line, e.g. `make stack LB_PORT=9080`:
# LB_PORT, TARGET_A_PORT, TARGET_B_PORT, REDIS_PORT, STACK_DIR, STACK_BACKEND, SEED_SERVER_BIN.

STACK_APT_PACKAGES := haproxy redis-server iproute2 curl util-linux
TEST_APT_PACKAGES += haproxy redis-server iproute2 curl util-linux
# jsonschema + PyYAML validate docker-compose.yml against the Compose schema (no Docker engine).
PIP_PACKAGES += jsonschema pyyaml

# The settings reach the script even when given as make arguments. Only the ones that are set:
# `export` of an unset variable would hand every recipe (make test too) an empty value.
STACK_SETTINGS := LB_PORT TARGET_A_PORT TARGET_B_PORT REDIS_PORT STACK_DIR STACK_BACKEND SEED_SERVER_BIN
$(foreach setting,$(STACK_SETTINGS),$(if $(value $(setting)),$(eval export $(setting))))

.PHONY: stack stack-down stack-status

# Builds first, with the same flags as `make test` (other flags would recompile everything), so
# both seed-server and seed-check are current.
stack: deps
	@./scripts/ensure-apt $(STACK_APT_PACKAGES)
	$(SWIFT) build --build-tests
	@deploy/local/stack up

stack-down:
	@deploy/local/stack down

stack-status:
	@deploy/local/stack status || true  # a stopped part is an answer, not a make error
