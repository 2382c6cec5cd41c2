package dev.jcn.kernel.agent.editing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.doctree.DocCommentTree;
import org.junit.jupiter.api.Test;

class DocTextTest {

    private static DocText.Rendered render(String comment) {
        DocCommentTree tree = Sources.parseComment(comment);
        assertThat(tree).isNotNull();
        return DocText.render(tree, null);
    }

    @Test
    void inlineTagsHtmlAndBlockTagsBecomeMarkdown() {
        DocText.Rendered r = render("""
                Submits a {@code Runnable} task, see {@link java.util.List#of(Object) of} and
                {@link Thread#start()}; a_b * c.
                <p>Second paragraph with <b>bold</b> and {@linkplain Thread the thread}.
                <ul>
                <li>one
                <li>two {@code x < y}
                </ul>
                <pre>{@code
                int x = 1;
                  if (x > 0) { }
                }</pre>
                @apiNote Be careful.
                @param task the task
                @return a {@code Future}
                @throws NullPointerException if {@code task} is null
                @since 21
                """);
        assertThat(r.markdown()).isEqualTo("""
                Submits a `Runnable` task, see `of` and `Thread.start()`; a\\_b \\* c.

                Second paragraph with **bold** and the thread.

                - one
                - two `x < y`

                ```java
                int x = 1;
                  if (x > 0) { }
                ```

                **API Note:** Be careful.

                - **Parameter** `task`: the task
                - **Returns:** a `Future`
                - **Throws** `NullPointerException`: if `task` is null
                - **Since:** 21""");
        assertThat(r.plain()).isEqualTo("""
                Submits a Runnable task, see of and Thread.start(); a_b * c.

                Second paragraph with bold and the thread.

                - one
                - two x < y

                int x = 1;
                  if (x > 0) { }

                API Note: Be careful.

                - Parameter task: the task
                - Returns: a Future
                - Throws NullPointerException: if task is null
                - Since: 21""");
    }

    @Test
    void aSnippetIsFencedCodeWithoutItsMarkupComments() {
        DocText.Rendered r = render("""
                Example:
                {@snippet :
                    Thread t = Thread.ofVirtual().start(task); // @highlight substring="ofVirtual"
                    t.join();
                }
                """);
        assertThat(r.markdown()).isEqualTo("""
                Example:

                ```java
                Thread t = Thread.ofVirtual().start(task);
                t.join();
                ```""");
        assertThat(r.plain()).contains("    Thread t = Thread.ofVirtual().start(task);\n    t.join();").doesNotContain("@highlight");
    }

    @Test
    void inheritDocTakesTheOverriddenComment() {
        DocCommentTree parent = Sources.parseComment("""
                Runs the task.
                @param task what to run
                @return the result
                """);
        DocCommentTree child = Sources.parseComment("""
                {@inheritDoc} Here it also logs.
                @param task {@inheritDoc}
                """);
        DocText.Rendered r = DocText.render(child, parent);
        assertThat(r.markdown()).isEqualTo("""
                Runs the task. Here it also logs.

                - **Parameter** `task`: what to run""");
        assertThat(DocText.render(null, parent).plain()).isEqualTo("""
                Runs the task.

                - Parameter task: what to run
                - Returns: the result""");
    }

    @Test
    void entitiesAreDecodedAndMarkdownCharactersEscaped() {
        DocText.Rendered r = render("a &lt; b &amp;&amp; c &#62; d, [x] and <i>it</i>");
        assertThat(r.markdown()).isEqualTo("a \\< b && c \\> d, \\[x\\] and *it*");
        assertThat(r.plain()).isEqualTo("a < b && c > d, [x] and it");
    }
}
