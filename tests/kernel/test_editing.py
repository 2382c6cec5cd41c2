"""Editing like an IDE, through the real kernel: completions with kinds, labels and signatures
(`_jupyter_types_experimental`), and inspection as Markdown rendered from doc-comment trees with the
same content as clean text, for the JDK, the helpers, a cell's own declarations and a %maven library.
"""

from __future__ import annotations

import time

import iopub
from test_faults import TIMEOUT, kernel, run, shell_reply  # noqa: F401 (kernel is a fixture)


def complete(kc, code, cursor=None):
    msg_id = kc.complete(code, len(code) if cursor is None else cursor)
    return shell_reply(kc, msg_id, TIMEOUT)["content"]


def entries(reply):
    """(label, text, type, signature) of every candidate, matched up with its metadata."""
    types = reply["metadata"]["_jupyter_types_experimental"]
    assert len(types) == len(reply["matches"])
    return [(label, t["text"], t["type"], t.get("signature", "")) for label, t in zip(reply["matches"], types)]


def inspect(kc, code, cursor=None):
    msg_id = kc.inspect(code, len(code) if cursor is None else cursor)
    return shell_reply(kc, msg_id, TIMEOUT)["content"]


def test_overloads_are_distinct_entries_that_insert_the_method_name(kernel):
    km, kc = kernel
    assert run(kc, "ExecutorService ex = Executors.newSingleThreadExecutor();").status == "ok"
    reply = complete(kc, "ex.sub")
    assert reply["cursor_start"] == 3 and reply["cursor_end"] == 6
    # the overloads are all that match: they insert the bare name (JupyterLab 4.6 closes its list when
    # every entry inserts the same `name(`; tests/browser/test_editing_in_lab.py shows the list)
    assert entries(reply) == [
        ("submit(Runnable task)", "submit", "method", "Future<?> submit(Runnable task)"),
        ("submit(Callable<T> task)", "submit", "method", "<T> Future<T> submit(Callable<T> task)"),
        ("submit(Runnable task, T result)", "submit", "method", "<T> Future<T> submit(Runnable task, T result)"),
    ]
    # beside other names, a method's entries insert its name and the opening parenthesis
    among = entries(complete(kc, "ex.s"))
    assert ("submit(Callable<T> task)", "submit(", "method", "<T> Future<T> submit(Callable<T> task)") in among
    # JShell closes the call of a method without parameters
    assert ("shutdown()", "shutdown()", "method", "void shutdown()") in among


def test_cell_declarations_complete_with_their_declared_types(kernel):
    km, kc = kernel
    assert run(kc, "var counts = new TreeMap<String, List<Integer>>();\nlong twice(long n) { return 2 * n; }").status == "ok"
    assert ("counts", "counts", "variable", "TreeMap<String, List<Integer>> counts") in entries(complete(kc, "coun"))
    assert entries(complete(kc, "twi")) == [("twice(long n)", "twice(", "method", "long twice(long n)")]


def test_kinds_of_types_fields_keywords_and_magics(kernel):
    km, kc = kernel
    kinds = {label: kind for label, _, kind, _ in entries(complete(kc, "Threa"))}
    assert kinds["Thread"] == "class" and kinds["ThreadFactory"] == "interface"
    assert ("SECONDS", "SECONDS", "field", "TimeUnit SECONDS") in entries(complete(kc, "TimeUnit.SEC"))
    assert ("synchronized", "synchronized", "keyword", "") in entries(complete(kc, "synchr"))
    assert ("maven", "maven", "magic", "") in entries(complete(kc, "%mav"))


def test_jdk_javadoc_is_markdown_from_the_comment_tree_and_clean_text(kernel):
    km, kc = kernel
    reply = inspect(kc, "Thread.ofVirtual()")
    assert reply["found"]
    md, plain = reply["data"]["text/markdown"], reply["data"]["text/plain"]
    assert md.startswith("```java\nstatic Thread.Builder.OfVirtual Thread.ofVirtual()\n```\n")
    assert "virtual `Thread` or `ThreadFactory`" in md
    assert "**API Note:**" in md and "```java\n// Start a virtual thread to run a task." in md
    assert "- **Since:** 21" in md
    for raw in ("{@code", "{@snippet", "{@link", "@apiNote", "@return", "<p>"):
        assert raw not in md and raw not in plain
    assert "virtual Thread or ThreadFactory" in plain and "`" not in plain and "**" not in plain


def test_links_in_javadoc_become_code(kernel):
    km, kc = kernel
    md = inspect(kc, "CompletableFuture.supplyAsync(")["data"]["text/markdown"]
    assert "static <U> CompletableFuture<U> CompletableFuture.supplyAsync(Supplier<U> supplier)" in md
    assert "`ForkJoinPool.commonPool()`" in md and "{@link" not in md


def test_helpers_javadoc_comes_from_their_sources_jar(kernel):
    km, kc = kernel
    reply = inspect(kc, "Primes.isPrime(")
    md = reply["data"]["text/markdown"]
    assert md.startswith("```java\nstatic boolean Primes.isPrime(long n)\n```\n")
    assert "Trial division by odd numbers up to the integer square root" in md
    assert "- **Throws** `IllegalArgumentException`: if `n` is negative" in md


def test_a_cell_method_shows_its_comment_and_source(kernel):
    km, kc = kernel
    code = "/** Halves {@code n}, rounding down. */\nlong half(long n) { return n / 2; }"
    cell = run(kc, code)
    assert cell.status == "ok"
    md = inspect(kc, "half(9)", 2)["data"]["text/markdown"]
    count = cell.reply["content"]["execution_count"]
    assert md == (f"```java\nlong half(long n)\n```\n\nHalves `n`, rounding down.\n\n"
                  f"declared in cell {count}:\n\n```java\n{code}\n```")


def test_a_maven_librarys_javadoc_arrives_without_holding_up_the_cell(kernel):
    km, kc = kernel
    added = run(kc, "%maven com.google.code.gson:gson:2.8.9", timeout=300)
    assert added.status == "ok", added.reply["content"]
    # the sources jar is fetched in the background after the cell: bounded wait for it
    deadline = time.monotonic() + 120
    md = ""
    while "main class for using Gson" not in md and time.monotonic() < deadline:
        md = inspect(kc, "com.google.gson.Gson")["data"].get("text/markdown", "")
        time.sleep(0.2)  # poll interval of the bounded wait above
    assert md.startswith("```java\nfinal class com.google.gson.Gson\n```\n"), md
    assert "This is the main class for using Gson." in md and "`toJson(Object)`" in md
    assert "{@link" not in md


def test_completion_and_inspection_answer_while_a_cell_runs(kernel):
    km, kc = kernel
    running = kc.execute('var declaredBefore = 5L; System.out.println("started"); Thread.sleep(60_000);')
    # wait (bounded) for the cell's user code to run
    deadline = time.monotonic() + TIMEOUT
    started = False
    while not started and time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except Exception:  # queue.Empty
            continue
        started = (msg["parent_header"].get("msg_id") == running and msg["msg_type"] == "stream"
                   and "started" in msg["content"]["text"])
    assert started
    t0 = time.monotonic()
    assert ("declaredBefore", "declaredBefore", "variable", "long declaredBefore") in entries(complete(kc, "declaredB"))
    md = inspect(kc, "Thread.sleep(")["data"]["text/markdown"]
    answered = time.monotonic() - t0
    assert md.startswith("```java\nstatic void Thread.sleep(long millis)\n```")
    assert answered < 10, f"answers took {answered:.1f} s"
    # the cell is still running: its reply has not come
    assert not kc.shell_channel.msg_ready()
    km.interrupt_kernel()
    reply = shell_reply(kc, running, TIMEOUT)
    assert reply["content"]["status"] == "error"


def test_a_question_during_a_cell_leaves_its_output_input_and_comms_with_the_cell(kernel):
    km, kc = kernel
    running = kc.execute('var in = new BufferedReader(new InputStreamReader(System.in));'
                         ' System.out.println("got " + in.readLine());'
                         ' var afterQuestion = Comm.open("jcn.test.after", Map.of()); afterQuestion.close();'
                         ' in.readLine()', allow_stdin=True)
    first = kc.get_stdin_msg(timeout=TIMEOUT)
    assert first["msg_type"] == "input_request" and first["parent_header"]["msg_id"] == running
    # the cell waits for its line: everything it does from here on comes after the question
    question = kc.complete("Thread.sle", 10)
    assert "sleep(long millis)" in shell_reply(kc, question, TIMEOUT)["content"]["matches"]
    kc.input("one")
    second = kc.get_stdin_msg(timeout=TIMEOUT)
    assert second["msg_type"] == "input_request" and second["parent_header"]["msg_id"] == running
    kc.input("two")
    assert shell_reply(kc, running, TIMEOUT)["content"]["status"] == "ok"
    seen = iopub.until_idle(kc, running, TIMEOUT)
    printed = [m for m in seen if m["msg_type"] == "stream" and "got one" in m["content"]["text"]]
    comms = [m for m in seen if m["msg_type"] in ("comm_open", "comm_close")]
    assert [m["parent_header"]["msg_id"] for m in printed] == [running]
    assert [(m["msg_type"], m["parent_header"]["msg_id"]) for m in comms] == [
        ("comm_open", running), ("comm_close", running)]
    assert {m["msg_type"] for m in seen if m["parent_header"].get("msg_id") == question} == {"status"}


def test_maven_completes_coordinates_from_the_local_repository(kernel):
    km, kc = kernel
    # the build put jeromq (a library of the kernel) into the local repository; the first completion
    # starts listing it in the background: bounded wait for the listing
    deadline = time.monotonic() + 60
    found = []
    while not found and time.monotonic() < deadline:
        found = entries(complete(kc, "%maven com.google.code.gson:gson:2.8.9 org.zeromq:jero"))
        time.sleep(0.2)  # poll interval of the bounded wait above
    assert ("org.zeromq:jeromq:0.6.0", "org.zeromq:jeromq:0.6.0", "artifact", "") in found
