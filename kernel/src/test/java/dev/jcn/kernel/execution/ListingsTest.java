package dev.jcn.kernel.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.notebook.MimeBundle;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class ListingsTest {

    private static JsonObject thread(String name, boolean virtual, String state, long cpu, int cell) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("virtual", virtual);
        o.addProperty("state", state);
        o.addProperty("cpuNanos", cpu);
        o.addProperty("cell", cell);
        o.addProperty("cellThread", false);
        return o;
    }

    @Test
    void aShortListingShowsEveryThread() {
        JsonArray rows = new JsonArray();
        rows.add(thread("spinner", false, "TIMED_WAITING", 12_000_000, 3));
        rows.add(thread("v1", true, "WAITING", -1, 4));
        String text = Listings.threads(rows).data().get("text/plain").toString();
        assertThat(text).contains("2 live threads started by cells");
        assertThat(text.lines().filter(l -> l.startsWith("spinner")).findFirst().orElseThrow())
                .contains("platform").contains("TIMED_WAITING").contains("12").endsWith("3");
        assertThat(text.lines().filter(l -> l.startsWith("v1")).findFirst().orElseThrow()).contains("virtual").contains("-");
    }

    @Test
    void aLongListingIsCutAndSummarised() {
        JsonArray rows = new JsonArray();
        for (int i = 0; i < 10_000; i++) {
            rows.add(thread("", true, "WAITING", -1, 7));
        }
        var bundle = Listings.threads(rows);
        String text = bundle.data().get("text/plain").toString();
        assertThat(text.lines().count()).isLessThan(Listings.MAX_ROWS + 10);
        assertThat(text).contains("9950 more").contains("cell 7, virtual, WAITING: 10000");
        assertThat(bundle.data().get("text/html").toString()).contains("<table>");
    }

    @Test
    void noProcesses() {
        assertThat(Listings.procs(new JsonArray()).data().get("text/plain").toString()).isEqualTo("no child processes");
    }
}
