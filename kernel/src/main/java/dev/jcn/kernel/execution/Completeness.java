package dev.jcn.kernel.execution;

/** is_complete's answer: {@code status} is complete, incomplete, invalid or unknown. */
public record Completeness(String status, String indent) {}
