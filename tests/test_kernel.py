"""The notebooks' kernel (kernelspec python3) imports this repository's lib."""

from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[1]


def test_the_python3_kernel_imports_the_projects_lib():
    outputs: list[str] = []

    def collect(message: dict) -> None:
        if message["msg_type"] == "stream":
            outputs.append(message["content"]["text"])

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        reply = client.execute_interactive(
            "import lib, pathlib; print(pathlib.Path(lib.__file__).resolve().parent)",
            timeout=60,
            output_hook=collect,
        )
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert str(ROOT / "lib") in "".join(outputs)
