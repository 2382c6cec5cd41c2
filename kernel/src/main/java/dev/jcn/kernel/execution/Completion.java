package dev.jcn.kernel.execution;

import java.util.List;

/** Completion candidates replacing {@code code[cursorStart, cursorEnd)} (code-point offsets). */
public record Completion(List<String> matches, int cursorStart, int cursorEnd) {}
