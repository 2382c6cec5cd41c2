package dev.jcn.kernel.wire;

/** The {@link Reply} to the request with id {@code id}. */
public record Answer(long id, Reply reply) implements ToKernel {}
