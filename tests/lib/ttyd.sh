# ttyd.sh - which ttyd the shell suites start (sourced by their lib.sh).
#
# The real ttyd when the environment variable TTYD names one or `ttyd` is
# on PATH (.ci/run builds one); otherwise the stand-in
# tests/fixtures/fake-ttyd, since Debian 12 packages no ttyd. Sets
# TTYD_BIN (the backend_path of ttyd terminals); say_backend prints which
# one a suite runs on. A TTYD that does not run is an error, never a
# silent fallback to the stand-in.

FAKE="$TG_BUILDDIR/tests/fixtures/fake-ttyd"
if [ -n "${TTYD:-}" ]; then
	case $TTYD in
	/*)	TTYD_BIN=$TTYD ;;
	*)	TTYD_BIN=$PWD/$TTYD ;;
	esac
else
	TTYD_BIN=$(command -v ttyd || true)
fi
if [ -n "$TTYD_BIN" ]; then
	TTYD_VERSION=$("$TTYD_BIN" --version 2>&1) ||
	    { echo "TTYD=$TTYD_BIN does not run: $TTYD_VERSION" >&2; exit 1; }
else
	TTYD_BIN=$FAKE
fi

say_backend() {
	if real_ttyd; then
		echo "# backend: real ttyd $TTYD_BIN ($TTYD_VERSION)"
	else
		echo "# backend: fake-ttyd stand-in $FAKE"
	fi
}

# real_ttyd: true when the suite runs the real ttyd.
real_ttyd() { [ "$TTYD_BIN" != "$FAKE" ]; }
