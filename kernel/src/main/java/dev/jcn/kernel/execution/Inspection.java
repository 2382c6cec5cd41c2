package dev.jcn.kernel.execution;

import dev.jcn.notebook.MimeBundle;

/**
 * What inspect found: {@code found} false with a null bundle when nothing is known; otherwise
 * {@code text/markdown} (rendered javadoc, a cell's source) and the same as clean {@code text/plain}.
 */
public record Inspection(boolean found, MimeBundle bundle) {}
