package dev.jcn.kernel.execution;

/** What inspect found: {@code found} false with a null bundle when nothing is known. */
public record Inspection(boolean found, MimeBundle bundle) {}
