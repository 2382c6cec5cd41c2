package dev.jcn.kernel.agent.editing;

import com.sun.source.doctree.AttributeTree;
import com.sun.source.doctree.DeprecatedTree;
import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.DocTree;
import com.sun.source.doctree.EndElementTree;
import com.sun.source.doctree.EntityTree;
import com.sun.source.doctree.IndexTree;
import com.sun.source.doctree.LinkTree;
import com.sun.source.doctree.LiteralTree;
import com.sun.source.doctree.ParamTree;
import com.sun.source.doctree.RawTextTree;
import com.sun.source.doctree.ReturnTree;
import com.sun.source.doctree.SeeTree;
import com.sun.source.doctree.SinceTree;
import com.sun.source.doctree.SnippetTree;
import com.sun.source.doctree.StartElementTree;
import com.sun.source.doctree.SummaryTree;
import com.sun.source.doctree.SystemPropertyTree;
import com.sun.source.doctree.TextTree;
import com.sun.source.doctree.ThrowsTree;
import com.sun.source.doctree.UnknownBlockTagTree;
import com.sun.source.doctree.UnknownInlineTagTree;
import com.sun.source.doctree.ValueTree;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A doc comment, parsed by the JDK into its tree, written out as Markdown (for JupyterLab's tooltip
 * and Contextual Help) or as clean text (for its completer's documentation panel). Inline tags,
 * HTML and block tags each become what a reader of the rendered javadoc would see:
 * {@code {@code x}} a code span, {@code <pre>} and {@code {@snippet}} fenced code, lists, and the
 * block tags as a short list after the description ({@code @apiNote} and its kin as labelled
 * paragraphs before it).
 *
 * <pre>{@code
 * DocText.Rendered r = DocText.render(docCommentTree, inherited);   // r.markdown(), r.plain()
 * }</pre>
 */
public final class DocText {

    /** Both renderings of one comment. */
    public record Rendered(String markdown, String plain) {
        static final Rendered EMPTY = new Rendered("", "");

        boolean isEmpty() {
            return markdown.isBlank();
        }
    }

    /** Block tags shown as the list that ends the comment, in the comment's order. */
    private static final Set<DocTree.Kind> LISTED_TAGS = EnumSet.of(DocTree.Kind.PARAM, DocTree.Kind.RETURN,
            DocTree.Kind.THROWS, DocTree.Kind.EXCEPTION, DocTree.Kind.SINCE, DocTree.Kind.DEPRECATED, DocTree.Kind.SEE);
    private static final Map<String, String> NOTE_LABELS = Map.of(
            "apiNote", "API Note", "implSpec", "Implementation Requirements", "implNote", "Implementation Note");

    private final boolean markdown;
    private final StringBuilder out = new StringBuilder();
    private final Deque<String> lists = new ArrayDeque<>();
    private final DocCommentTree inherited;
    private int pre;

    private DocText(boolean markdown, DocCommentTree inherited) {
        this.markdown = markdown;
        this.inherited = inherited;
    }

    /**
     * Both renderings of {@code doc}. {@code inherited}, the overridden method's comment or null,
     * fills {@code {@inheritDoc}}, and stands for the whole of a comment that is missing or empty.
     */
    public static Rendered render(DocCommentTree doc, DocCommentTree inherited) {
        if (doc == null || (doc.getFullBody().isEmpty() && doc.getBlockTags().isEmpty())) {
            if (inherited == null) {
                return Rendered.EMPTY;
            }
            doc = inherited;
            inherited = null;
        }
        return new Rendered(new DocText(true, inherited).comment(doc), new DocText(false, inherited).comment(doc));
    }

    private String comment(DocCommentTree doc) {
        body(doc.getFullBody(), inherited == null ? List.of() : inherited.getFullBody());
        for (DocTree tag : doc.getBlockTags()) {
            if (tag instanceof UnknownBlockTagTree u && NOTE_LABELS.containsKey(u.getTagName())) {
                paragraph();
                strong(NOTE_LABELS.get(u.getTagName()) + ":");
                out.append(' ');
                body(u.getContent(), List.of());
            }
        }
        boolean listStarted = false;
        for (DocTree tag : doc.getBlockTags()) {
            if (LISTED_TAGS.contains(tag.getKind())) {
                if (!listStarted) {
                    paragraph();
                    listStarted = true;
                }
                blockTag(tag);
            }
        }
        return tidy(out.toString());
    }

    /** One block tag of {@link #LISTED_TAGS} as an item of the list that ends the comment. */
    private void blockTag(DocTree tag) {
        switch (tag) {
            case ParamTree p -> {
                item("Parameter");
                out.append(' ');
                code((p.isTypeParameter() ? "<" + p.getName() + ">" : p.getName().toString()));
                out.append(": ");
                body(p.getDescription(), inheritedTag(t -> t instanceof ParamTree ip && ip.getName().toString().equals(p.getName().toString())
                        ? ip.getDescription() : null));
            }
            case ReturnTree r -> {
                item("Returns:");
                out.append(' ');
                body(r.getDescription(), inheritedTag(t -> t instanceof ReturnTree ir ? ir.getDescription() : null));
            }
            case ThrowsTree t -> {
                item("Throws");
                out.append(' ');
                code(t.getExceptionName().getSignature());
                out.append(": ");
                body(t.getDescription(), inheritedTag(it -> it instanceof ThrowsTree itt
                        && itt.getExceptionName().getSignature().equals(t.getExceptionName().getSignature()) ? itt.getDescription() : null));
            }
            case SinceTree s -> {
                item("Since:");
                out.append(' ');
                body(s.getBody(), List.of());
            }
            case DeprecatedTree d -> {
                item("Deprecated:");
                out.append(' ');
                body(d.getBody(), List.of());
            }
            case SeeTree s -> {
                item("See also:");
                out.append(' ');
                body(s.getReference(), List.of());
            }
            default -> throw new IllegalArgumentException("not a listed tag: " + tag.getKind());
        }
    }

    private List<? extends DocTree> inheritedTag(Function<DocTree, List<? extends DocTree>> pick) {
        if (inherited == null) {
            return List.of();
        }
        for (DocTree t : inherited.getBlockTags()) {
            List<? extends DocTree> found = pick.apply(t);
            if (found != null) {
                return found;
            }
        }
        return List.of();
    }

    private void item(String label) {
        newline();
        out.append("- ");
        strong(label);
    }

    private void strong(String text) {
        out.append(markdown ? "**" + text + "**" : text);
    }

    private void body(List<? extends DocTree> trees, List<? extends DocTree> inheritedBody) {
        for (DocTree t : trees) {
            inline(t, inheritedBody);
        }
    }

    private void inline(DocTree t, List<? extends DocTree> inheritedBody) {
        switch (t.getKind()) {
            case TEXT -> text(((TextTree) t).getBody());
            case ENTITY -> text(entity(((EntityTree) t).getName().toString()));
            case CODE -> code(((LiteralTree) t).getBody().getBody());
            case LITERAL -> text(((LiteralTree) t).getBody().getBody());
            case LINK, LINK_PLAIN -> link((LinkTree) t);
            case SNIPPET -> snippet((SnippetTree) t);
            case VALUE -> {
                ValueTree v = (ValueTree) t;
                if (v.getReference() != null) {
                    code(v.getReference().getSignature().replace('#', '.'));
                }
            }
            case SUMMARY -> body(((SummaryTree) t).getSummary(), inheritedBody);
            case RETURN -> {
                text("Returns ");
                body(((ReturnTree) t).getDescription(), inheritedBody);
                text(".");
            }
            case INDEX -> inline(((IndexTree) t).getSearchTerm(), inheritedBody);
            case SYSTEM_PROPERTY -> code(((SystemPropertyTree) t).getPropertyName().toString());
            case INHERIT_DOC -> body(inheritedBody, List.of());
            case START_ELEMENT -> startElement((StartElementTree) t);
            case END_ELEMENT -> endElement(((EndElementTree) t).getName().toString().toLowerCase());
            case UNKNOWN_INLINE_TAG -> body(((UnknownInlineTagTree) t).getContent(), inheritedBody);
            case MARKDOWN -> raw(((RawTextTree) t).getContent());
            case ERRONEOUS -> text(((TextTree) t).getBody());
            default -> { }
        }
    }

    private void startElement(StartElementTree e) {
        String name = e.getName().toString().toLowerCase();
        switch (name) {
            case "p" -> paragraph();
            case "br" -> newline();
            case "pre" -> {
                paragraph();
                out.append(markdown ? "```java\n" : "");
                pre++;
            }
            case "code", "tt", "kbd", "var", "samp", "b", "strong", "i", "em", "cite", "dfn" -> inlineMark(name);
            case "ul", "ol" -> {
                if (lists.isEmpty()) {
                    paragraph();
                } else {
                    newline();
                }
                lists.push(e.getName().toString().toLowerCase());
            }
            case "li" -> {
                newline();
                out.append("  ".repeat(Math.max(0, lists.size() - 1))).append("ol".equals(lists.peek()) ? "1. " : "- ");
            }
            case "dt", "tr" -> newline();
            case "dd" -> {
                newline();
                out.append("  ");
            }
            case "td", "th" -> out.append(' ');
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                paragraph();
                out.append(markdown ? "**" : "");
            }
            case "blockquote", "table", "dl", "div", "section" -> paragraph();
            default -> { }
        }
        if (e.isSelfClosing() && e.getName().toString().equalsIgnoreCase("p")) {
            paragraph();
        }
        for (DocTree a : e.getAttributes()) {
            if (a instanceof AttributeTree at && at.getName().contentEquals("alt")) {
                body(at.getValue(), List.of());
            }
        }
    }

    private void endElement(String name) {
        switch (name) {
            case "p", "blockquote", "table", "dl", "div", "section" -> paragraph();
            case "pre" -> {
                pre = Math.max(0, pre - 1);
                trimTrailingSpaces();
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
                out.append(markdown ? "```" : "");
                paragraph();
            }
            case "code", "tt", "kbd", "var", "samp", "b", "strong", "i", "em", "cite", "dfn" -> inlineMark(name);
            case "ul", "ol" -> {
                lists.poll();
                paragraph();
            }
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                out.append(markdown ? "**" : "");
                paragraph();
            }
            default -> { }
        }
    }

    /** Code, bold and italic open and close with the same Markdown mark; inside {@code <pre>} they have none. */
    private void inlineMark(String element) {
        if (!markdown || pre > 0) {
            return;
        }
        out.append(switch (element) {
            case "b", "strong" -> "**";
            case "i", "em", "cite", "dfn" -> "*";
            default -> "`";
        });
    }

    private void link(LinkTree link) {
        if (!link.getLabel().isEmpty()) {
            if (link.getKind() == DocTree.Kind.LINK && markdown) {
                out.append('`');
                plainBody(link.getLabel());
                out.append('`');
            } else {
                body(link.getLabel(), List.of());
            }
            return;
        }
        String target = link.getReference().getSignature();
        target = target.startsWith("#") ? target.substring(1) : target.replace('#', '.');
        if (link.getKind() == DocTree.Kind.LINK) {
            code(target);
        } else {
            text(target);
        }
    }

    /** A label inside a code span: its text without markup. */
    private void plainBody(List<? extends DocTree> trees) {
        StringBuilder label = new StringBuilder();
        for (DocTree t : trees) {
            switch (t.getKind()) {
                case TEXT -> label.append(((TextTree) t).getBody());
                case CODE, LITERAL -> label.append(((LiteralTree) t).getBody().getBody());
                case ENTITY -> label.append(entity(((EntityTree) t).getName().toString()));
                default -> { }
            }
        }
        out.append(label.toString().replaceAll("\\s+", " ").strip().replace("`", "'"));
    }

    private void snippet(SnippetTree s) {
        if (s.getBody() == null) {
            return; // an external snippet: its file is not part of the sources we read
        }
        paragraph();
        StringBuilder code = new StringBuilder();
        for (String line : dedent(s.getBody().getBody()).split("\n", -1)) {
            code.append(withoutMarkupComment(line)).append('\n');
        }
        String text = code.toString().strip();
        if (markdown) {
            out.append("```java\n").append(text).append("\n```");
        } else {
            text.lines().forEach(l -> out.append("    ").append(l).append('\n'));
        }
        paragraph();
    }

    /** A snippet line without its markup comment ({@code // @highlight ...}, {@code // @link ...}). */
    private static String withoutMarkupComment(String line) {
        int at = line.indexOf("// @");
        if (at < 0) {
            return line;
        }
        String before = line.substring(0, at);
        return before.isBlank() ? "" : before.stripTrailing();
    }

    private static String dedent(String body) {
        List<String> lines = body.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
        }
        return b.toString();
    }

    private void text(String s) {
        if (pre > 0) {
            out.append(s);
            return;
        }
        String collapsed = s.replaceAll("\\s+", " ");
        if (atLineStart()) {
            collapsed = collapsed.stripLeading();
        }
        out.append(markdown ? escape(collapsed) : collapsed);
    }

    private void raw(String s) {
        out.append(s);
    }

    private void code(String s) {
        if (pre > 0) {
            out.append(s);
            return;
        }
        String c = s.replaceAll("\\s+", " ").strip();
        if (!markdown) {
            out.append(c);
        } else if (c.contains("`")) {
            out.append("`` ").append(c).append(" ``");
        } else {
            out.append('`').append(c).append('`');
        }
    }

    private boolean atLineStart() {
        int i = out.length() - 1;
        while (i >= 0 && out.charAt(i) == ' ') {
            i--;
        }
        return i < 0 || out.charAt(i) == '\n' || out.substring(Math.max(0, i - 1), i + 1).equals("- ");
    }

    private void paragraph() {
        trimTrailingSpaces();
        if (out.isEmpty()) {
            return;
        }
        if (out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
        if (out.length() < 2 || out.charAt(out.length() - 2) != '\n') {
            out.append('\n');
        }
    }

    private void newline() {
        trimTrailingSpaces();
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
            out.append(markdown && pre == 0 && lists.isEmpty() ? "  \n" : "\n");
        }
    }

    private void trimTrailingSpaces() {
        int n = out.length();
        while (n > 0 && out.charAt(n - 1) == ' ') {
            n--;
        }
        out.setLength(n);
    }

    private static String tidy(String s) {
        return s.replaceAll("[ \t]+\n", "\n").replaceAll("\n{3,}", "\n\n").strip();
    }

    /** Characters that Markdown would read as markup, each made literal. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\`*_[]<>#|".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String entity(String name) {
        return switch (name) {
            case "lt" -> "<";
            case "gt" -> ">";
            case "amp" -> "&";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> " ";
            case "mdash" -> "\u2014";
            case "ndash" -> "\u2013";
            case "hellip" -> "\u2026";
            case "times" -> "\u00d7";
            default -> {
                try {
                    if (name.startsWith("#x") || name.startsWith("#X")) {
                        yield Character.toString(Integer.parseInt(name.substring(2), 16));
                    }
                    if (name.startsWith("#")) {
                        yield Character.toString(Integer.parseInt(name.substring(1)));
                    }
                } catch (IllegalArgumentException e) {
                    // not a number: shown as written
                }
                yield "&" + name + ";";
            }
        };
    }
}
