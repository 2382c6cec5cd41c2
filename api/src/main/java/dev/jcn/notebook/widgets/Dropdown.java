package dev.jcn.notebook.widgets;

import java.util.List;

/**
 * A drop-down list; the value is the chosen option's label.
 *
 * <pre>{@code
 * var model = new Dropdown("model", List.of("threads", "processes"), "threads");
 * }</pre>
 */
public final class Dropdown extends Choice {

    public Dropdown(String description, List<String> options, String value) {
        super("DropdownModel", "DropdownView", "DescriptionStyleModel", Control.descriptionStyle(),
                state(description, options, value), List.copyOf(options));
    }
}
