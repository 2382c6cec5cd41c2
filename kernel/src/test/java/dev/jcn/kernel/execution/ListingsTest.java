package dev.jcn.kernel.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.wire.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListingsTest {

    private static Reply.ThreadRow thread(String name, boolean virtual, String state, long cpuNanos, int cell) {
        return new Reply.ThreadRow(name, virtual, state, cpuNanos, cell, "", false);
    }

    @Test
    void aShortListingShowsEveryThread() {
        List<Reply.ThreadRow> rows = List.of(thread("spinner", false, "TIMED_WAITING", 12_000_000, 3),
                thread("v1", true, "WAITING", -1, 4));
        String text = Listings.threads(rows).text();
        assertThat(text).contains("2 live threads started by cells").doesNotContain("services");
        assertThat(text.lines().filter(l -> l.startsWith("spinner")).findFirst().orElseThrow())
                .contains("platform").contains("TIMED_WAITING").contains("12").endsWith("3");
        assertThat(text.lines().filter(l -> l.startsWith("v1")).findFirst().orElseThrow()).contains("virtual").contains("-");
    }

    @Test
    void aServicesThreadsAreListedUnderItsName() {
        List<Reply.ThreadRow> rows = List.of(thread("spinner", false, "RUNNABLE", 0, 3),
                new Reply.ThreadRow("hz.member-1.partition-0", false, "WAITING", 5_000_000, 0, "member-1", false));
        String text = Listings.threads(rows).text();
        assertThat(text).startsWith("1 live thread started by cells, 1 of services");
        assertThat(text.lines().filter(l -> l.startsWith("hz.member-1")).findFirst().orElseThrow())
                .endsWith("member-1 (service)");
        assertThat(Listings.threads(rows.subList(1, 2)).text()).startsWith("1 live thread of services\n");
    }

    @Test
    void aLongListingIsCutAndSummarised() {
        List<Reply.ThreadRow> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rows.add(thread("", true, "WAITING", -1, 7));
        }
        var bundle = Listings.threads(rows);
        String text = bundle.text();
        assertThat(text.lines().count()).isLessThan(Listings.MAX_ROWS + 10);
        assertThat(text).contains("9950 more").contains("cell 7, virtual, WAITING: 10000");
        assertThat(bundle.data().get("text/html").toString()).contains("<table>");
    }

    @Test
    void noProcesses() {
        assertThat(Listings.procs(List.of()).text()).isEqualTo("no child processes");
    }

    @Test
    void stoppingNamesWhatWasClosedStoppedAndKilled() {
        String all = Listings.stopped("", new Reply.Stopped(List.of("member-1"), List.of(), List.of("spinner"), 0, 0, List.of(42L))).text();
        assertThat(all).isEqualTo("closed 1 service (member-1), stopped 1 thread (spinner) and 1 process (pid 42)");
        String none = Listings.stopped("ghost", new Reply.Stopped(List.of(), List.of(), List.of(), 0, 0, List.of())).text();
        assertThat(none).isEqualTo("no service or thread named \"ghost\" and no child process with pid ghost");
        String stuck = Listings.stopped("", new Reply.Stopped(List.of("db"), List.of("db did not finish closing in time"),
                List.of("a", "b"), 1, 1, List.of())).text();
        assertThat(stuck).contains("1 of them ignored the interrupt").contains("1 still alive").endsWith("\ndb did not finish closing in time");
    }
}
