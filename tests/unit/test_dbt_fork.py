"""The forked dbt child: a short-lived process that runs one command."""

import gc
import os

from orchestration.defs.dbt_fork import _fork


def test_a_forked_dbt_child_leaves_garbage_to_its_exit_and_the_run_process_keeps_collecting():
    read_end, write_end = os.pipe()
    pid = _fork()
    if pid == 0:
        try:
            os.write(write_end, b"off" if not gc.isenabled() else b"on ")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read_end, 3) == b"off"
    assert gc.isenabled()
