package dev.jcn.notebook;

/** A renderer found through ServiceLoader that fails on {@link Broken} values, as a buggy library's would. */
public final class FailingRenderer implements Renderer {

    /** A value only this renderer accepts. */
    record Broken(String name) {}

    @Override
    public boolean accepts(Object value) {
        return value instanceof Broken;
    }

    @Override
    public MimeBundle render(Object value, RenderRequest request) {
        throw new IllegalStateException("cannot draw " + ((Broken) value).name());
    }

    @Override
    public int priority() {
        return 5;
    }
}
