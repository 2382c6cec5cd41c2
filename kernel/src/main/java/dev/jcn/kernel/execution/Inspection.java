package dev.jcn.kernel.execution;

import dev.jcn.notebook.MimeBundle;

/** What inspect found: {@code found} false with a null bundle when nothing is known. */
public record Inspection(boolean found, MimeBundle bundle) {}
