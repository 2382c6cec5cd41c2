"""A SIGINT and an interrupt_request reaching the kernel at the same moment (a frontend that sends both, or a
user pressing Ctrl-C in a console while JupyterLab interrupts): the running cell is stopped once, at step 1,
with one error, and the next cells run untouched. The contract is InterruptEscalation's: the first interrupt
starts the escalation, every other one that races it does nothing. The SIGINT goes to the kernel's process
group, as jupyter_client sends it: the user JVM, in the same group, must not end on it.
"""

from __future__ import annotations

import os
import signal
import threading

from test_faults import TIMEOUT, collect, kernel, run, shell_reply  # noqa: F401 (kernel is a fixture)

CPU_LOOP = '{ System.out.println("started"); long n = 0; while (true) { n++; } }'


def test_a_sigint_and_an_interrupt_request_at_once_stop_the_cell_once(kernel):
    km, kc = kernel
    kernel_pid = km.provisioner.process.pid
    assert run(kc, "int keptAcrossTheSignals = 42;").status == "ok"
    for _ in range(5):
        msg_id = kc.execute(CPU_LOOP)
        collect(kc, msg_id, TIMEOUT, until=lambda ms: any(
            m["msg_type"] == "stream" and "started" in m["content"]["text"] for m in ms))
        both = threading.Barrier(2, timeout=10)

        def by_signal():
            both.wait()
            os.killpg(os.getpgid(kernel_pid), signal.SIGINT)

        signaller = threading.Thread(target=by_signal)
        signaller.start()
        both.wait()
        kc.control_channel.send(kc.session.msg("interrupt_request", {}))
        signaller.join(10)
        reply = shell_reply(kc, msg_id, 20)
        messages = collect(kc, msg_id, 20)
        assert reply["content"]["ename"] == "Interrupted" and "step 1" in reply["content"]["evalue"], reply["content"]
        assert [m["msg_type"] for m in messages].count("error") == 1
        assert run(kc, "1 + 1").result() == "2"
    # the session outlived every signal: the user JVM was never replaced
    assert run(kc, "keptAcrossTheSignals").result() == "42"
    assert km.is_alive()
