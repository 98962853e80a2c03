"""Puts libjogg into the wheel. The package is ctypes over the C library, so the wheel carries
the library beside the Python code and is tagged for this platform and any Python 3 (the
library does not link Python, so one wheel serves every version).

The library is $JOGG_WHEEL_LIB when set (`make wheel` passes the one it built), else the one
`cargo build --release -p jogg --lib` reports in the source tree this directory belongs to.
"""

import json
import os
import subprocess
import sys
import sysconfig
from typing import Any, Dict

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The name jogg/_library.py loads (its FILE_NAME; the tests check the two agree). Not imported
# from there: importing it loads the library.
FILE_NAME = {"darwin": "libjogg.dylib", "win32": "jogg.dll"}.get(sys.platform, "libjogg.so")


class JoggLibraryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: Dict[str, Any]) -> None:
        # An editable install runs the sources in place, where no library is bundled: it uses
        # JOGG_LIB or an installed jogg.
        if self.target_name != "wheel" or version == "editable":
            return
        library = os.environ.get("JOGG_WHEEL_LIB") or self._cargo_build()
        if not os.path.isfile(library):
            raise RuntimeError("JOGG_WHEEL_LIB: %s is not a file" % library)
        build_data["force_include"][library] = "jogg/" + FILE_NAME
        build_data["pure_python"] = False
        build_data["tag"] = "py3-none-" + sysconfig.get_platform().replace("-", "_").replace(".", "_")

    def _cargo_build(self) -> str:
        repo = os.path.dirname(os.path.abspath(self.root))
        if not os.path.isfile(os.path.join(repo, "Cargo.toml")):
            raise RuntimeError(
                "no jogg source tree above %s to build libjogg from: set JOGG_WHEEL_LIB to a built %s"
                % (self.root, FILE_NAME)
            )
        command = [os.environ.get("CARGO", "cargo"), "build", "--release", "-p", "jogg", "--lib",
                   "--message-format=json-render-diagnostics"]
        # Cargo's messages on stdout name the files it built, wherever its target directory is.
        run = subprocess.run(command, cwd=repo, stdout=subprocess.PIPE, universal_newlines=True)
        if run.returncode != 0:
            raise RuntimeError("%s failed with status %d" % (" ".join(command), run.returncode))
        for line in run.stdout.splitlines():
            message = json.loads(line)
            if message.get("reason") == "compiler-artifact" and "cdylib" in message["target"]["kind"]:
                for path in message["filenames"]:
                    if os.path.basename(path) == FILE_NAME:
                        return str(path)
        raise RuntimeError("%s built no %s" % (" ".join(command), FILE_NAME))
