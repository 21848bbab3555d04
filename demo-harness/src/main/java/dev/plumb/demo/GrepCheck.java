package dev.plumb.demo;

import dev.plumb.examples.ChannelReadiness;
import dev.plumb.examples.ExampleJvm;
import dev.plumb.examples.FilterServer;
import dev.plumb.examples.GrepClient;
import dev.plumb.examples.GrepDemo;
import dev.plumb.examples.ProcessList;
import dev.plumb.examples.filter.FilterGrpc;
import dev.plumb.examples.filter.Match;
import dev.plumb.examples.identity.PeerPids;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The {@code ps -ef | grep} example, checked. The channel starts {@link FilterServer} as its
 * child over {@code pipe:}; once the child is serving, the process list (which by then shows
 * the child too) is streamed to it, then a few thousand generated lines that keep the
 * producer waiting for on-ready now and then. The matches of both must equal a local filter of
 * the same lines, a pattern that is not a regular expression must be refused with
 * {@code INVALID_ARGUMENT}, and the child must be gone once the channel has shut down. Progress
 * goes to {@code out}, each line starting with {@code grep: }.
 */
public final class GrepCheck {
  /** The demo's pattern: the demo's and the examples' JVMs, the filter child among them. */
  public static final String DEFAULT_PATTERN = "dev\\.plumb\\.(demo|examples)\\.\\w+";
  /** About one generated line in ten matches. */
  static final String GENERATED_PATTERN = "^entry \\d*7 ";
  static final String BAD_PATTERN = "(";
  /**
   * The deadline of the generated lines' call: their rate is shown, not judged, and a small
   * busy machine may take long; only a hang should reach it.
   */
  private static final Duration GENERATED_DEADLINE = Duration.ofSeconds(120);
  private static final int SHOWN_MATCHES = 8;
  private static final int SHOWN_WIDTH = 140;
  private static final Pattern WORD = Pattern.compile("\\S+");
  /** Longer words with a '/' in them are shown by their last part, class paths not at all. */
  private static final int LONG_WORD = 24;

  private final DemoSettings settings;
  private final PrintStream out;

  public GrepCheck(DemoSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Greps the process list for {@code pattern}, then the generated lines, then a bad pattern. */
  public GrepResult run(String pattern) throws InterruptedException {
    Checklist checklist = new Checklist();
    PeerPids pids = new PeerPids();
    Figures figures = new Figures();
    progress("the channel starts " + FilterServer.class.getSimpleName()
        + " as its child JVM over pipe:, and waits until it serves");
    ManagedChannel channel = PlumbChannelBuilder
        .forTarget(ExampleJvm.pipeTarget(FilterServer.class.getName(), List.of(), ""))
        .intercept(pids)
        .build();
    try {
      ChannelReadiness.await(channel, settings.serverStartTimeout());
      FilterGrpc.FilterStub filter = FilterGrpc.newStub(channel);
      grepProcesses(filter, pattern, pids, checklist, figures);
      grepGenerated(filter, checklist, figures);
      grepWithBadPattern(filter, checklist);
    } finally {
      progress("shutting the channel down (it closes the child's stdin)");
      shutdown(channel);
      List<Long> started = pids.all();
      if (started.size() > 1) {
        checklist.fail("the channel started the filter " + started.size() + " times (pids "
            + started + "): a child died during the example");
      }
      List<Long> running = pids.awaitExit(ScenarioRunner.CHILD_EXIT_TIMEOUT);
      for (long pid : started) {
        if (running.contains(pid)) {
          checklist.fail("filter pid " + pid + " was still running "
              + ScenarioRunner.CHILD_EXIT_TIMEOUT.toSeconds() + " s after its channel shut"
              + " down");
        }
        progress("filter child pid " + pid + (running.contains(pid) ? " is still running"
            : " exited"));
      }
    }
    progress(checklist.allPassed() ? "all " + checklist.passed() + " answers right"
        : checklist.failures().size() + " answers WRONG");
    return new GrepResult(pids.first(), figures.source, figures.processLines,
        figures.processMatches, settings.grepLines(), figures.linesPerSecond, figures.pauses,
        checklist.passed(), checklist.failures());
  }

  private void grepProcesses(FilterGrpc.FilterStub filter, String pattern, PeerPids pids,
      Checklist checklist, Figures figures) throws InterruptedException {
    ProcessList.Snapshot processes = ProcessList.take();
    figures.source = processes.source();
    figures.processLines = processes.lines().size();
    progress("streaming the " + processes.lines().size() + " lines of " + processes.source()
        + " to the filter, pattern '" + pattern + "'");
    List<Match> matches;
    try {
      matches = grep(filter, pattern, processes.lines().iterator(), settings.callDeadline())
          .matches();
    } catch (StatusRuntimeException e) {
      checklist.fail("grep of " + processes.source() + ": " + CalculatorChecks.describe(
          e.getStatus()));
      return;
    }
    figures.processMatches = matches.size();
    progress("filter child pid " + pids.first() + " sent back " + matches.size() + " of "
        + processes.lines().size() + " lines:");
    for (Match match : matches.subList(0, Math.min(matches.size(), SHOWN_MATCHES))) {
      progress(String.format("%5d: %s", match.getNumber(), shorten(match.getLine())));
    }
    if (matches.size() > SHOWN_MATCHES) {
      progress("       ... and " + (matches.size() - SHOWN_MATCHES) + " more");
    }
    if (matches.stream().anyMatch(match -> ProcessList.isLineOf(match.getLine(), pids.first()))) {
      progress("the filter child's own line is among them");
    }
    compare("grep of " + processes.source(), matches,
        GrepDemo.localGrep(processes.lines().iterator(), pattern), checklist);
  }

  private void grepGenerated(FilterGrpc.FilterStub filter, Checklist checklist,
      Figures figures) throws InterruptedException {
    int count = settings.grepLines();
    progress(String.format("streaming %,d generated lines, pattern '%s'", count,
        GENERATED_PATTERN));
    GrepClient.Result result;
    long start = System.nanoTime();
    try {
      result = grep(filter, GENERATED_PATTERN, generatedLines(count), GENERATED_DEADLINE);
    } catch (StatusRuntimeException e) {
      checklist.fail("grep of the generated lines: " + CalculatorChecks.describe(
          e.getStatus()));
      return;
    }
    figures.linesPerSecond = count / ((System.nanoTime() - start) / 1e9);
    figures.pauses = result.pauses();
    progress(String.format("%,d matches, %,.0f lines/s; the producer waited for on-ready %,d"
        + " time%s", result.matches().size(), figures.linesPerSecond, result.pauses(),
        result.pauses() == 1 ? "" : "s"));
    compare("grep of the generated lines", result.matches(),
        GrepDemo.localGrep(generatedLines(count), GENERATED_PATTERN), checklist);
  }

  private void grepWithBadPattern(FilterGrpc.FilterStub filter, Checklist checklist)
      throws InterruptedException {
    String what = "grep with the pattern '" + BAD_PATTERN + "'";
    try {
      GrepClient.Result result = grep(filter, BAD_PATTERN, List.of("a line").iterator(),
          settings.callDeadline());
      checklist.fail(what + ": expected INVALID_ARGUMENT, got " + result.matches().size()
          + " matches");
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      progress("'" + BAD_PATTERN + "' was refused: " + CalculatorChecks.describe(status));
      if (status.getCode() == Status.Code.INVALID_ARGUMENT
          && String.valueOf(status.getDescription()).contains("not a valid regular expression")) {
        checklist.pass();
      } else {
        checklist.fail(what + ": expected INVALID_ARGUMENT saying 'not a valid regular"
            + " expression', got " + CalculatorChecks.describe(status));
      }
    }
  }

  private GrepClient.Result grep(FilterGrpc.FilterStub filter, String regex,
      Iterator<String> lines, Duration timeout) throws InterruptedException {
    long deadline = timeout.toMillis();
    try {
      return GrepClient.grep(filter.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS), regex,
          false, lines).get(deadline + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("the call neither completed nor failed after its deadline")
          .asRuntimeException();
    }
  }

  private static void compare(String what, List<Match> actual, List<Match> expected,
      Checklist checklist) {
    if (actual.equals(expected)) {
      checklist.pass();
      return;
    }
    int i = 0;
    while (i < actual.size() && i < expected.size() && actual.get(i).equals(expected.get(i))) {
      i++;
    }
    checklist.fail(what + ": expected " + expected.size() + " matches, got " + actual.size()
        + "; match " + (i + 1) + " is " + describe(actual, i) + ", expected "
        + describe(expected, i));
  }

  private static String describe(List<Match> matches, int i) {
    return i < matches.size() ? "line " + matches.get(i).getNumber() + " '"
        + shorten(matches.get(i).getLine()) + "'" : "missing";
  }

  /** {@code entry 1 ...} to {@code entry count ...}, made as they are read. */
  static Iterator<String> generatedLines(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> "entry " + i + " of a generated log: checksum "
            + Integer.toHexString(i * 0x9E3779B1))
        .iterator();
  }

  /**
   * A line fit to show: long paths by their last part, class paths as {@code …}, then cut to a
   * width.
   */
  static String shorten(String line) {
    Matcher word = WORD.matcher(line);
    StringBuilder shown = new StringBuilder();
    while (word.find()) {
      String text = word.group();
      int slash = text.lastIndexOf('/');
      if (text.length() > LONG_WORD && slash >= 0) {
        text = text.contains(File.pathSeparator) ? "…" : "…/" + text.substring(slash + 1);
      }
      word.appendReplacement(shown, Matcher.quoteReplacement(text));
    }
    word.appendTail(shown);
    return shown.length() <= SHOWN_WIDTH ? shown.toString()
        : shown.substring(0, SHOWN_WIDTH - 1) + "…";
  }

  private void progress(String line) {
    out.println("grep: " + line);
  }

  private static void shutdown(ManagedChannel channel) throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** What {@link GrepResult} reports besides the checks. */
  private static final class Figures {
    String source = "ps -ef";
    int processLines;
    int processMatches;
    double linesPerSecond = Double.NaN;
    int pauses;
  }
}
