"""The Jupyter peer suite (jupyter_kernel_test) against the java-concurrency kernel.

Every test of the suite is configured (the pager through the %doc magic). Run with
tests/conformance/run.sh (the kernelspec found through JUPYTER_PATH) or scripts/conformance.sh
(installs it into a scratch prefix first); both run this file under Debian's /usr/bin/python3.

JCN_CONFORMANCE_TARGET=fake runs the same suite against the protocol layer alone, with the test
interpreter of the kernel's test sources, whose "language" is one command per line.
"""

import os
import unittest

import jupyter_kernel_test

TARGET = os.environ.get("JCN_CONFORMANCE_TARGET", "real")


class JavaKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("JCN_KERNEL_NAME", "java-concurrency")
    language_name = "java"
    file_extension = ".java"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("something went wrong");'

    completion_samples = [
        {"text": "Integer.MAX_VA", "matches": {"MAX_VALUE"}},
    ]
    complete_code_samples = ["1", "int x = 1;", "class A {}", 'System.out.println("x");', "void f() {}"]
    incomplete_code_samples = ["class A {", "int f(int x) {", "for (int i = 0; i < 3; i++) {", "int y = 1 +"]
    invalid_code_samples = ["}", "foo())", "int x = ;"]

    code_generate_error = 'throw new IllegalStateException("boom");'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "Math.max(3, 9)", "result": "9"},
        {"code": "1 + 2", "result": "3"},
    ]
    code_display_data = [
        {"code": 'display(html("<b>bold</b>"));', "mime": "text/html"},
        {"code": 'display(markdown("*emphasis*"));', "mime": "text/markdown"},
    ]
    code_clear_output = "clearOutput();"

    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Thread.sleep("
    code_page_something = "%doc Thread.sleep"


class FakeInterpreterKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("JCN_KERNEL_NAME", "java-concurrency")
    language_name = "java"
    file_extension = ".java"

    code_hello_world = "out hello, world"
    code_stderr = "err something went wrong"
    completion_samples = [{"text": "Threa", "matches": {"Thread", "ThreadLocal"}}]
    complete_code_samples = ["1", "class A {}"]
    incomplete_code_samples = ["class A {"]
    invalid_code_samples = ["}"]
    code_generate_error = "fail IllegalStateException boom"
    code_execute_result = [{"code": "6*7", "result": "6*7"}, {"code": "1+2", "result": "1+2"}]
    code_display_data = [{"code": "display text/html <b>bold</b>", "mime": "text/html"}]
    code_clear_output = "clear"
    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Thread"
    code_page_something = "%doc Thread"


# unittest and pytest collect every KernelTests subclass in the module; keep only the chosen one.
if TARGET == "fake":
    del JavaKernelTests
else:
    del FakeInterpreterKernelTests

if __name__ == "__main__":
    unittest.main()
