"""The README explains every diagnostic code the package can emit."""
from __future__ import annotations

import re

from conftest import ROOT

CODE = re.compile(r'Diagnostic\(\s*(?:"(?:info|warning|error)"|[^,()]+),\s*"([a-z]+(?:-[a-z]+)+)"'
                  r'|"(?:info|warning|error)",\s*"([a-z]+(?:-[a-z]+)+)"')


def test_every_diagnostic_code_is_in_the_readme_table():
    codes = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        for match in CODE.finditer(path.read_text("utf-8")):
            codes.add(match.group(1) or match.group(2))
    assert len(codes) > 20  # the scan found the codes at all
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme[readme.index("| code | severity | meaning |"):]
    missing = sorted(code for code in codes if f"`{code}`" not in table)
    assert not missing, f"explain these diagnostic codes in the README: {missing}"
