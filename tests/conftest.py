"""Suite-wide test harness settings (no checks live here)."""

from __future__ import annotations

import functools

from streamlit.components.v2 import manifest_scanner

# Every AppTest instance scans the metadata of every installed distribution for Streamlit component
# manifests: ~0.4 s of CPU each with this machine's ~130 packages, 85 % of a typical AppTest. The
# installed packages do not change while the suite runs, so one scan per test process registers the
# same components. Each caller gets its own list.
_scan_once = functools.cache(manifest_scanner.scan_component_manifests)


def _scan_component_manifests(*args, **kwargs):
    return list(_scan_once(*args, **kwargs))


manifest_scanner.scan_component_manifests = _scan_component_manifests
