package dev.jcn.kernel.wire;

/** A message from the agent to the kernel: an {@link Answer} to a request, or an {@link Event}. */
public sealed interface ToKernel permits Answer, Event {}
