# deploy/docker: the Docker path (deploy/docker/README.md).
#   make compose        engine, stand-in base images, docker-compose.yml up and healthy on 127.0.0.1
#   make compose-down   the stack down with its volume; the engine too if `make compose` started it
#   make standins       only the stand-in base images (debian, redis, haproxy, swift)
# The tests in Tests/docker run in `make test`: they start their own engine when none answers.

DOCKER_APT_PACKAGES := docker.io docker-compose debootstrap iptables
TEST_APT_PACKAGES += $(DOCKER_APT_PACKAGES)

.PHONY: compose compose-down standins

compose:
	@./scripts/ensure-apt $(DOCKER_APT_PACKAGES)
	deploy/docker/compose up

compose-down:
	deploy/docker/compose down

# The engine is stopped again afterwards if this target started it.
standins:
	@./scripts/ensure-apt $(DOCKER_APT_PACKAGES)
	@unset SEEDKEEPER_ENGINE_STARTED; env="$$(deploy/docker/engine up)" && eval "$$env" && status=0 && deploy/docker/standins/build || status=$$?; \
	 [ -z "$${SEEDKEEPER_ENGINE_STARTED:-}" ] || deploy/docker/engine down; exit $$status
