package dev.jcn.helpers.chart;

import dev.jcn.helpers.pool.JobSpan;
import dev.jcn.helpers.pool.Pools;
import dev.jcn.helpers.pool.PoolRun;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.timing.Sweep;
import dev.jcn.helpers.timing.SweepResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class ChartsTest {

    private static SweepResult sweep;

    @BeforeAll
    static void sweepOnce() {
        List<Long> some = Primes.NUMBERS.subList(0, 8);
        sweep = Sweep.of("threads").workers(1, 2, 4).repeats(1).numbers(some).run();
    }

    @Test
    void theTimeChartHasOneSeriesPerModelPlusTheIdealLineAndTheMakespanBound() {
        XYChart chart = Charts.timeVsWorkers(sweep);
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertThat(series.keySet()).contains("threads", "ideal (sequential / workers)")
                .anyMatch(name -> name.startsWith("makespan bound"));
        double seq = sweep.sequentialSeconds();
        XYSeries ideal = series.get("ideal (sequential / workers)");
        assertThat(ideal.getXData()).containsExactly(1.0, 2.0, 4.0);
        assertThat(ideal.getYData()[1]).isCloseTo(seq / 2, offset(1e-12));
        XYSeries bound = series.entrySet().stream().filter(e -> e.getKey().startsWith("makespan")).findFirst()
                .orElseThrow().getValue();
        // The bound never beats the ideal line and never exceeds the sequential time.
        for (int i = 0; i < 3; i++) {
            assertThat(bound.getYData()[i]).isGreaterThanOrEqualTo(ideal.getYData()[i] - 1e-12).isLessThanOrEqualTo(seq + 1e-12);
        }
    }

    @Test
    void theSpeedupChartOverlaysSeveralSweeps() {
        XYChart chart = Charts.speedupVsWorkers(sweep);
        assertThat(chart.getSeriesMap()).containsKeys("threads", "ideal (= workers)");
        assertThat(chart.getSeriesMap().get("ideal (= workers)").getYData()).containsExactly(1.0, 2.0, 4.0);
        XYChart both = Charts.speedupVsWorkers(sweep, sweep);
        assertThat(both.getSeriesMap().keySet()).contains(sweep.title() + " threads", sweep.title() + " threads (2)");
    }

    @Test
    void theGanttChartHasOneBarPerJobOnItsWorkersRow() {
        PoolRun run = Pools.threads(2).run(Primes.NUMBERS.subList(0, 8));
        XYChart chart = Charts.gantt(run);
        assertThat(chart.getSeriesMap()).hasSize(8);
        chart.getSeriesMap().values().forEach(s -> {
            assertThat(s.getYData()[0]).isEqualTo(s.getYData()[1]).isBetween(0.0, 1.0);
            assertThat(s.getXData()[1]).isGreaterThanOrEqualTo(s.getXData()[0]);
        });
    }

    @Test
    void wideGanttBarsAreLabelledWithTheirNumberAndTinyOnesAreNot(@TempDir Path dir) throws Exception {
        assertThat(Charts.ganttLabel(2)).isEqualTo("2");
        assertThat(Charts.ganttLabel(999_999)).isEqualTo("999999");
        assertThat(Charts.ganttLabel(9_999_999_999_999_917L)).isEqualTo("…9917");
        PoolRun run = Pools.threads(2).run(List.of(2L, 9_999_999_999_999_917L, 3L));
        // The big job's bar spans most of the run and carries its label; the bars of 2 and 3 are too thin.
        assertThat(Charts.ganttLabels(run)).singleElement().satisfies(label -> {
            assertThat(label.text()).isEqualTo("…9917");
            JobSpan big = run.timeline().stream().filter(s -> s.n() == 9_999_999_999_999_917L).findFirst().orElseThrow();
            assertThat(label.worker()).isEqualTo(big.worker());
            assertThat(label.x()).isBetween(big.startSeconds(), big.endSeconds());
        });
        assertThat(Charts.save(Charts.gantt(run), dir, "gantt").png()).isRegularFile();
        // With 40 workers the rows are too thin for any label.
        assertThat(Charts.ganttLabels(Pools.threads(40).run(List.of(9_999_999_999_999_917L)))).isEmpty();
    }

    @Test
    void lineChartLegendsSitOutsideThePlotSoTheyCoverNoLine() {
        assertThat(Charts.timeVsWorkers(sweep).getStyler().getLegendPosition())
                .isEqualTo(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        assertThat(Charts.speedupVsWorkers(sweep).getStyler().getLegendPosition())
                .isEqualTo(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    }

    @Test
    void aBarChartKeepsTheOrderOfItsValues() {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("platform", 90);
        values.put("virtual", 20);
        CategoryChart chart = Charts.bar("start cost", "µs", values);
        assertThat(List.<Object>copyOf(chart.getSeriesMap().get("µs").getXData())).containsExactly("platform", "virtual");
        CategoryChart fromTable = Charts.bar("medians", sweep.medians(), "model", "seconds");
        assertThat(List.<Object>copyOf(fromTable.getSeriesMap().get("seconds").getXData())).hasSize(4).contains("threads ×2");
        assertThatThrownBy(() -> Charts.bar("none", "s", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saveWritesAPrintQualityPngAndAnSvg(@TempDir Path dir) throws Exception {
        SavedChart saved = Charts.save(Charts.timeVsWorkers(sweep), dir, "06-timings");
        assertThat(saved.png()).isEqualTo(dir.resolve("06-timings.png")).isRegularFile();
        assertThat(saved.svg()).isEqualTo(dir.resolve("06-timings.svg")).isRegularFile();
        BufferedImage png = ImageIO.read(saved.png().toFile());
        assertThat(png.getWidth()).isEqualTo(Charts.WIDTH * Charts.PNG_DPI / 72);
        assertThat(Files.readString(saved.svg())).contains("<svg");
        assertThatThrownBy(() -> Charts.save(Charts.gantt(Pools.sequential().run(List.of(7L))), dir, "../escape"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Charts.image(Charts.speedupVsWorkers(sweep)).getWidth()).isEqualTo(Charts.WIDTH);
    }

    @Test
    void aLogScaleBarChartOfValuesSpanningMicrosecondsToMillisecondsIsSaved(@TempDir Path dir) throws Exception {
        Map<String, Number> micros = new LinkedHashMap<>();
        micros.put("virtual thread", 15.6);
        micros.put("platform thread", 77.2);
        micros.put("child JVM", 39_000);
        CategoryChart chart = Charts.bar("Start cost", "µs", micros, true);
        assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
        SavedChart saved = Charts.save(chart, dir, "log-bars");
        assertThat(ImageIO.read(saved.png().toFile()).getWidth()).isGreaterThan(Charts.WIDTH);
        assertThat(Files.readString(saved.svg())).contains("<svg");
    }

    @Test
    void aBarChartMadeLogScaleByHandIsSavedToo(@TempDir Path dir) {
        CategoryChart chart = Charts.bar("Start cost", "µs", Map.of("virtual thread", 15.6, "child JVM", 39_000));
        chart.getStyler().setYAxisLogarithmic(true);
        assertThat(Charts.save(chart, dir, "by-hand").png()).isRegularFile();
    }

    @Test
    void aLogScaleBarChartRejectsValuesThatAreNotAboveZero() {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("a", 10);
        values.put("b", 0);
        assertThatThrownBy(() -> Charts.bar("t", "µs", values, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above zero").hasMessageContaining("b");
    }
}
