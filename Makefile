# Patient Cockpit: `make run` and `make test` work on a fresh Debian 12 machine (as root or with sudo).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSSTAMP := .make-sys.stamp
# Signing and checking installers (make package, tests/packaging). osslsigncode: bookworm main has 2.5,
# backports 2.9; the tests pass with both.
APT_RELEASE := gnupg openssl debsigs debsig-verify wixl osslsigncode
# The practice server's store (issue 7): the tests start a throwaway PostgreSQL cluster (tools/pg-server).
APT_SERVER := postgresql openssl
# System packages: Qt offscreen/xcb libraries, a Secret Service keyring (gnome-keyring in a D-Bus session)
# and Xvfb for screenshots. See ../shared/engineering/ENVIRONMENT.md.
APT_PACKAGES := ca-certificates python3 python3-venv libgl1 libegl1 libfontconfig1 fonts-dejavu-core \
  libglib2.0-0 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 \
  libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 \
  libxcb-xkb1 libxcb-sync1 libxcb-shm0 libxcb-util1 xvfb xauth dbus-daemon dbus-x11 gnome-keyring \
  $(APT_RELEASE) $(APT_SERVER)

.PHONY: run test lint typecheck unit bench sysdeps install clean translations i18n peer package package-lint

# Interface translations: resources/i18n/*.ts (the sources, edited by translators) -> .qm next to the package,
# where cockpit/views/i18n.py loads them. The .qm files are build output (.gitignore).
TS_FILES := $(wildcard resources/i18n/*.ts)
QM_DIR := cockpit/views/translations
QM_FILES := $(patsubst resources/i18n/%.ts,$(QM_DIR)/%.qm,$(TS_FILES))

$(SYSSTAMP): Makefile
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(APT_PACKAGES) 2>/dev/null \
	  | awk '$$NF!="installed"{print $$1}'; for p in $(APT_PACKAGES); do \
	  dpkg-query -W $$p >/dev/null 2>&1 || echo $$p; done | sort -u); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

sysdeps: $(SYSSTAMP)

$(STAMP): pyproject.toml | $(SYSSTAMP)
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

install: $(STAMP) translations

# The sync tests' FHIR server (sekmet-fhir, pinned) in its own venv .peer/, never in the app's.
PEER_STAMP := .peer/.installed-sekmet-fhir-0.1.1
$(PEER_STAMP): tools/fhir-server | $(SYSSTAMP)
	$(PY) tools/fhir-server install
	@touch $@

peer: $(PEER_STAMP)

translations: $(QM_FILES)

$(QM_DIR)/%.qm: resources/i18n/%.ts | $(STAMP)
	@mkdir -p $(@D)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# Re-extract the strings after changing the UI text: keeps existing translations, drops vanished ones; new
# strings arrive as type="unfinished" for a translator (tests/i18n fails until they are translated).
i18n: | $(STAMP)
	$(BIN)/pyside6-lupdate $$(find cockpit/views -name '*.py' | sort) cockpit/app.py \
	  -source-language da_DK -locations relative -no-obsolete $(foreach ts,$(TS_FILES),-ts $(ts))

# The cockpit needs an OS keyring. On a desktop session the user's keyring is used; on a bare machine
# (no D-Bus session) tools/with-keyring starts a private D-Bus session with gnome-keyring.
run: install
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}$${QT_QPA_PLATFORM:-}" ]; then \
	  echo "make run: no display. Run it in a desktop session, or e.g. 'xvfb-run -a make run'."; exit 1; fi
	tools/with-keyring $(BIN)/cockpit --demo $(ARGS)

lint: install
	$(BIN)/ruff check cockpit tests bench
	$(BIN)/ruff format --check cockpit tests bench
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

# COCKPIT_TEST_POSTGRES=required: a missing PostgreSQL fails the run instead of skipping half the store tests.
unit: install peer
	COCKPIT_TEST_POSTGRES=required QT_QPA_PLATFORM=offscreen tools/with-keyring --private $(BIN)/python -m pytest -q $(PYTEST_ARGS)

test: lint typecheck unit

bench: install peer
	QT_QPA_PLATFORM=offscreen tools/with-keyring --private $(BIN)/python -m bench $(ARGS)

# Installers (issue 9): freeze, smoke-test, package (.deb, .tar.gz, MSI), sign into dist/; prints sizes and
# times. Keys from outside: COCKPIT_SIGNING_KEY, COCKPIT_AUTHENTICODE_CERT/_KEY (else throwaway keys).
PACKAGE_STAMP := $(VENV)/.package-installed
$(PACKAGE_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/pip install -q -e '.[package]'
	@touch $@

package: install $(PACKAGE_STAMP)
	$(BIN)/python packaging/build $(ARGS)

# The release tooling's own lint and types (packaging/ is outside the lint and typecheck targets' paths).
package-lint: install
	$(BIN)/ruff check packaging
	$(BIN)/ruff format --check packaging
	$(BIN)/mypy --strict packaging/cockpit_release

clean:
	rm -rf $(VENV) $(SYSSTAMP) .peer .mypy_cache .ruff_cache .pytest_cache
	rm -f cockpit/views/translations/*.qm
