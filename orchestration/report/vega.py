"""The Vega runtime the report's pages load: Vega, Vega-Lite and vega-embed as one script, from vl-convert.

The process that writes the script imports this module and vl-convert, nothing else.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def vega_bundle(assets: Path) -> Iterator[Path]:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert; written once per vl-convert version.

    Each page loads this one 0.9 MB file rather than carrying its own copy. vl-convert builds it in
    seconds and holds the GIL meanwhile: a missing script is written by a process of its own while the
    pages are built, and is on disk when the block ends.
    """
    import vl_convert
    from altair import SCHEMA_VERSION

    # the Vega-Lite version altair writes its specs for: "v6.4.1" -> "6.4"
    vega_lite = ".".join(SCHEMA_VERSION.lstrip("v").split(".")[:2])
    script = assets / f"vega-embed-vl{vega_lite}-{vl_convert.__version__}.js"
    if script.exists():
        yield script
    else:
        assets.mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as writer:
            written = writer.submit(_write_vega_bundle, script, vega_lite)
            yield script
            written.result()
    for old in assets.glob("vega-embed-*.js"):
        if old != script:
            old.unlink(missing_ok=True)


def _write_vega_bundle(script: Path, vega_lite: str) -> None:
    import vl_convert

    tmp = script.with_name(f".{script.name}.{os.getpid()}.tmp")
    tmp.write_text(vl_convert.javascript_bundle(vl_version=vega_lite), encoding="utf-8")
    tmp.replace(script)
