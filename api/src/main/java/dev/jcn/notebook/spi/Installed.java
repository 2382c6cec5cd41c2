package dev.jcn.notebook.spi;

/** Holds the installed {@link Host}: an interface cannot have a field that changes. */
final class Installed {

    static volatile Host host = Host.STANDALONE;

    private Installed() {}
}
