package dev.jcn.kernel.wire;

/** A {@link Request} with the id its {@link Answer} will carry. */
public record Call(long id, Request request) {}
