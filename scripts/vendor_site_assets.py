"""Refresh the site's vendored JavaScript from npm (a maintainer's tool; never run in CI).

    python scripts/vendor_site_assets.py [--minisearch 7.2.0] [--ts-fsrs 5.4.2]

``npm pack`` fetches each package's tarball into a temporary folder; its one-file browser
build (UMD, which defines a global) and its licence are copied into
``templates/site/vendor/`` unchanged, and ``templates/site/vendor/README.md`` records the
name, version, source and sha256 of each file. The site loads these copies: nothing is
downloaded when a site is built or opened.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "templates" / "site" / "vendor"

# package -> (its browser build inside the tarball, its licence, the names we give them,
#             the global it defines)
PACKAGES = {
    "minisearch": ("package/dist/umd/index.js", "package/LICENSE.txt",
                   "minisearch.js", "LICENSE-minisearch.txt", "MiniSearch"),
    "ts-fsrs": ("package/dist/index.umd.js", "package/LICENSE",
                "ts-fsrs.js", "LICENSE-ts-fsrs.txt", "FSRS"),
}


def fetch(name: str, version: str, folder: Path) -> tuple[str, Path]:
    """``npm pack name@version`` into ``folder``; the exact version and the tarball."""
    done = subprocess.run(["npm", "pack", f"{name}@{version}", "--json", "--silent"],
                          cwd=folder, capture_output=True, text=True, check=True)
    (packed,) = json.loads(done.stdout)
    return packed["version"], folder / packed["filename"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minisearch", default="latest", help="version (default: latest)")
    parser.add_argument("--ts-fsrs", dest="ts_fsrs", default="latest",
                        help="version (default: latest)")
    args = parser.parse_args()
    wanted = {"minisearch": args.minisearch, "ts-fsrs": args.ts_fsrs}
    VENDOR.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="drillbook-vendor-") as temporary:
        for name, (build, licence, build_as, licence_as, global_name) in PACKAGES.items():
            version, tarball = fetch(name, wanted[name], Path(temporary))
            with tarfile.open(tarball) as archive:
                meta = json.loads(archive.extractfile("package/package.json").read())  # type: ignore[union-attr]
                for member, target in ((build, build_as), (licence, licence_as)):
                    data = archive.extractfile(member).read()  # type: ignore[union-attr]
                    (VENDOR / target).write_bytes(data)
                    if target == build_as:
                        digest = hashlib.sha256(data).hexdigest()
            rows.append(f"| `{build_as}` | [{name}](https://www.npmjs.com/package/{name}) "
                        f"{version} | `{build[len('package/'):]}` of "
                        f"`npm pack {name}@{version}` | `{global_name}` | {meta['license']}, "
                        f"`{licence_as}` | `{digest}` |")
    (VENDOR / "README.md").write_text(
        "# Vendored JavaScript of the study site\n\n"
        "Copied unchanged from npm by `scripts/vendor_site_assets.py` (run by hand, never "
        "in CI); the site loads these files, nothing is downloaded at build or run time.\n\n"
        "| file | package and version | source | global | licence | sha256 |\n"
        "| --- | --- | --- | --- | --- | --- |\n" + "\n".join(rows) + "\n", "utf-8")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
