"""Standard input through the real kernel (jupyter_client): a cell that reads `System.in` (Scanner,
BufferedReader) or calls `Input.line` / `Input.password` gets an `input_request` on the stdin channel when its
execute_request allows stdin, and the line the reader typed; a headless run (allow_stdin false) and a thread
that reads after its cell ended get the end of input at once with a one-line note; an interrupt while the box
waits ends the cell, and the kernel goes on.
"""

from __future__ import annotations

import queue
import time

import pytest

from test_faults import TIMEOUT, Cell, collect, shell_reply, start


@pytest.fixture(scope="module")
def kernel(kernel_prefix):
    km, kc = start(kernel_prefix)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def input_request(kc, parent_id, timeout=TIMEOUT):
    msg = kc.get_stdin_msg(timeout=timeout)
    assert msg["msg_type"] == "input_request", msg
    assert msg["parent_header"]["msg_id"] == parent_id
    return msg


def no_stdin_message(kc):
    try:
        msg = kc.get_stdin_msg(timeout=0.5)
    except queue.Empty:
        return True
    pytest.fail(f"unexpected stdin message {msg['msg_type']}: {msg['content']}")


def run_typing(kc, code, lines, allow=True):
    """Runs `code`, answering each input_request with the next of `lines`; returns (cell, requests)."""
    msg_id = kc.execute(code, allow_stdin=allow)
    requests = []
    for line in lines:
        requests.append(input_request(kc, msg_id))
        kc.input(line)
    reply = shell_reply(kc, msg_id)
    return Cell(reply, collect(kc, msg_id), 0), requests


def test_scanner_on_system_in_gets_the_input_box_and_the_typed_line(kernel):
    _, kc = kernel
    cell, requests = run_typing(kc, 'var sc = new Scanner(System.in); System.out.print("your name? ");'
                                    ' String name = sc.nextLine(); "hello " + name', ["Ada"])
    assert cell.status == "ok", cell.reply["content"]
    assert cell.result() == 'hello Ada'
    assert requests[0]["content"] == {"prompt": "", "password": False}
    assert "your name? " in cell.stream("stdout")


def test_each_line_a_buffered_reader_reads_is_a_request_of_its_own(kernel):
    _, kc = kernel
    cell, requests = run_typing(kc, "var in = new BufferedReader(new InputStreamReader(System.in));"
                                    ' in.readLine() + "+" + in.readLine()', ["first", "zweite ü"])
    assert cell.result() == 'first+zweite ü', cell.reply["content"]
    assert len(requests) == 2
    no_stdin_message(kc)


def test_the_password_helper_hides_what_is_typed(kernel):
    _, kc = kernel
    cell, requests = run_typing(kc, 'char[] secret = Input.password("secret: "); new String(secret).length()',
                                ["hunter2"])
    assert cell.result() == "7", cell.reply["content"]
    assert requests[0]["content"] == {"prompt": "secret: ", "password": True}
    cell, requests = run_typing(kc, 'Input.line("city? ")', ["Seoul"])
    assert cell.result() == 'Seoul'
    assert requests[0]["content"] == {"prompt": "city? ", "password": False}


def test_a_headless_run_gets_the_end_of_input_at_once_with_a_note(kernel):
    _, kc = kernel
    cell, _ = run_typing(kc, "new BufferedReader(new InputStreamReader(System.in)).readLine() == null"
                             ' && Input.line("name? ") == null', [], allow=False)
    assert cell.result() == "true", cell.reply["content"]
    notes = [line for line in cell.stream("stderr").splitlines() if line.startswith("[System.in: end of input")]
    assert len(notes) == 2 and all("allow_stdin" in n for n in notes), cell.stream("stderr")
    no_stdin_message(kc)


def test_a_thread_that_reads_after_its_cell_ended_gets_the_end_of_input(kernel):
    _, kc = kernel
    started, _ = run_typing(kc, "var go = new CountDownLatch(1); var got = new AtomicReference<String>(\"unset\");"
                                " var late = Thread.ofPlatform().name(\"late-reader\").start(() -> {"
                                " try { go.await(); got.set(String.valueOf(Input.line(\"late? \"))); }"
                                " catch (InterruptedException e) { got.set(\"interrupted\"); } });", [])
    assert started.status == "ok", started.reply["content"]
    msg_id = kc.execute("go.countDown(); late.join(); got.get()", allow_stdin=True)
    reply = shell_reply(kc, msg_id)
    seen = []
    deadline = time.monotonic() + TIMEOUT
    while not any(m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                  and m["content"]["execution_state"] == "idle" for m in seen):
        assert time.monotonic() < deadline, "no idle"
        try:
            seen.append(kc.get_iopub_msg(timeout=1))
        except queue.Empty:
            pass
    cell = Cell(reply, [m for m in seen if m["parent_header"].get("msg_id") == msg_id], 0)
    assert cell.result() == 'null', reply["content"]
    text = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")
    assert '[System.in: end of input for thread "late-reader": cell' in text and "has ended]" in text, text
    no_stdin_message(kc)


def test_an_interrupt_while_the_box_waits_ends_the_cell_and_the_kernel_goes_on(kernel):
    km, kc = kernel
    msg_id = kc.execute('System.out.println("asking"); new Scanner(System.in).nextLine()', allow_stdin=True)
    asked = input_request(kc, msg_id)
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, 20)
    collect(kc, msg_id, 20)
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted", reply["content"]
    assert "step 1 of 3" in reply["content"]["evalue"]
    # JupyterLab's answer to the stale box, parented to its request, comes after the cell ended: dropped.
    kc.stdin_channel.send(kc.session.msg("input_reply", {"status": "ok", "value": "typed too late"},
                                         parent=asked["header"]))
    cell, requests = run_typing(kc, 'Input.line("again? ")', ["yes"])
    assert cell.result() == 'yes', cell.reply["content"]
    assert requests[0]["content"]["prompt"] == "again? "
