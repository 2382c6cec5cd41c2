package dev.jcn.kernel.execution;

import java.util.List;

/** Completion candidates replacing {@code code[cursorStart, cursorEnd)} (code-point offsets). */
public record Completion(List<Item> items, int cursorStart, int cursorEnd) {

    public Completion {
        items = List.copyOf(items);
    }

    /**
     * One candidate: {@code text} is inserted, {@code label} is shown ({@code submit(Runnable task)}
     * while {@code submit(} is inserted), {@code type} its kind (method, field, class, interface, enum,
     * keyword, variable, package, magic), {@code signature} its declaration with types, or empty.
     */
    public record Item(String text, String label, String type, String signature) {

        /** A candidate shown as it is inserted, without a signature. */
        public static Item of(String text, String type) {
            return new Item(text, text, type, "");
        }
    }

    /** What the candidates show, in order (the protocol's {@code matches}). */
    public List<String> labels() {
        return items.stream().map(Item::label).toList();
    }
}
