package dev.plumb.benchmarks.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The report's charts as PNG files, drawn with XChart without a display (headless): unary
 * latency percentiles per configuration at the smallest payload, streaming MB/s per payload,
 * and the transfer row's MiB/s per configuration and way. All on logarithmic axes, since the
 * rows span two to four orders of magnitude. A chart plots medians; a configuration without a
 * figure (every repetition failed) is left out of it.
 */
public final class Charts {
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 700;

  private Charts() {}

  /** Writes the charts into {@code directory} and returns their paths. */
  public static List<Path> write(Run run, Path directory) throws IOException {
    // No display is needed, nor wanted: a driver started from an ssh session has none.
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(directory);
    int size = run.settings().payloads().get(0);
    Path latency = directory.resolve("latency-" + Report.size(size).replace(" ", "") + ".png");
    save(latency(run, size), latency);
    Path streaming = directory.resolve("streaming-MBps.png");
    save(streaming(run), streaming);
    Path download = directory.resolve("transfer-row-MiBps.png");
    save(download(run), download);
    return List.of(latency, streaming, download);
  }

  /** Categories: configurations; series: the percentiles. */
  private static CategoryChart latency(Run run, int size) {
    CategoryChart chart = chart("Unary round trip at " + Report.size(size)
        + ", one call outstanding (median of repetitions)", "configuration", "µs (log scale)");
    List<Results.Row> rows = new ArrayList<>();
    for (Results.Row row : run.results().rows()) {
      if (!Double.isNaN(row.median(Metrics.latency(size, 50)))) {
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      return empty(chart);
    }
    List<String> names = rows.stream().map(Results.Row::name).toList();
    for (double percentile : Metrics.PERCENTILES) {
      List<Double> values = new ArrayList<>();
      for (Results.Row row : rows) {
        values.add(positive(row.median(Metrics.latency(size, percentile))));
      }
      chart.addSeries("p" + Metrics.percentileLabel(percentile), names, values);
    }
    return withAxisFloor(chart);
  }

  /** Categories: payload sizes; series: the configurations. */
  private static CategoryChart streaming(Run run) {
    CategoryChart chart = chart("Streaming, one bidi stream, server echoes: payload MB/s one way "
        + "(median of repetitions)", "payload", "MB/s (log scale)");
    List<String> payloads = run.settings().payloads().stream().map(Report::size).toList();
    boolean any = false;
    for (Results.Row row : run.results().rows()) {
      List<Double> values = new ArrayList<>();
      for (int size : run.settings().payloads()) {
        values.add(row.median(Metrics.streamMegabytes(size)));
      }
      if (values.stream().anyMatch(v -> Double.isNaN(v))) {
        continue;
      }
      chart.addSeries(row.name(), payloads, values.stream().map(Charts::positive).toList());
      any = true;
    }
    return any ? withAxisFloor(chart) : empty(chart);
  }

  /**
   * Categories: the configurations with the transfer row; series: its ways, a configuration
   * without a way having no bar there.
   */
  private static CategoryChart download(Run run) {
    CategoryChart chart = chart("The transfer row: MiB/s of one " + Report.bytes(
        run.settings().transferBytes()) + " transfer, checked (median of repetitions)",
        "configuration", "MiB/s (log scale)");
    List<Results.Row> rows = new ArrayList<>();
    for (Results.Row row : run.results().rows()) {
      if (Arrays.stream(DownloadWay.values())
          .anyMatch(way -> !Double.isNaN(row.median(Metrics.download(way))))) {
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      return empty(chart);
    }
    List<String> names = rows.stream().map(Results.Row::name).toList();
    for (DownloadWay way : DownloadWay.values()) {
      List<Double> values = new ArrayList<>();
      for (Results.Row row : rows) {
        double median = row.median(Metrics.download(way));
        values.add(Double.isNaN(median) ? null : positive(median));
      }
      chart.addSeries(way.label(), names, values);
    }
    return withAxisFloor(chart);
  }

  /**
   * XChart draws bars from the axis's bottom, which it takes as 0 unless told, and a log axis
   * cannot start at 0: the bottom is the power of ten at or below the smallest bar.
   */
  private static CategoryChart withAxisFloor(CategoryChart chart) {
    double min = chart.getSeriesMap().values().stream()
        .flatMap(series -> series.getYData().stream())
        .filter(Objects::nonNull)
        .mapToDouble(Number::doubleValue).min().orElse(1);
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
    return chart;
  }

  private static CategoryChart chart(String title, String xTitle, String yTitle) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setPlotGridVerticalLinesVisible(false);
    chart.getStyler().setXAxisLabelRotation(20);
    chart.getStyler().setYAxisDecimalPattern("#,##0.###");
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return chart;
  }

  /** A chart with nothing to show still gets a file, which says so. */
  private static CategoryChart empty(CategoryChart chart) {
    chart.setTitle(chart.getTitle() + ": no figures in this run");
    chart.getStyler().setYAxisLogarithmic(false);
    chart.addSeries("none", List.of("–"), List.of(0));
    return chart;
  }

  /**
   * A log axis cannot show 0 (a figure below the clock's resolution): such a bar is drawn at
   * a thousandth, the bottom of any axis these figures need.
   */
  private static double positive(double value) {
    return value > 0 ? value : 1e-3;
  }

  private static void save(CategoryChart chart, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
