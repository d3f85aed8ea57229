# The two set-up commands of the README:
#   make demo   installs what is needed, builds, and runs the main job
#   make test   installs what is needed, builds, and runs every test
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30
CMAKE_FLAGS ?=

.PHONY: deps configure build demo demo-service test bench fuzz clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)/al-cape

# the whole Assemblyline loop: AL emulator + CAPE nest emulator + al-cape service, then the stored results
demo-service: build
	@bash scripts/demo-service.sh $(BUILD)/al-cape

# ctest: unit, conformance, CLI, emulator and end-to-end tests; then the sanitizer/fuzz smoke run (clang build)
# and the ThreadSanitizer run of the threaded paths (report warm-up, concurrent targets, service).
test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@bash scripts/fuzz-smoke.sh $(FUZZ_SECONDS)
	@bash scripts/tsan-smoke.sh

bench: build
	@bash scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)
