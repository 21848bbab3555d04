package dev.plumb.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes of this machine as lines of text: the output of {@code ps -ef}, or, where
 * {@code ps} cannot run, the same kind of lines made from {@link ProcessHandle#allProcesses()}.
 */
public final class ProcessList {
  private static final long PS_TIMEOUT_SECONDS = 10;

  private ProcessList() {}

  /**
   * The lines, and where they came from.
   *
   * @param source {@code ps -ef}, or {@code ProcessHandle.allProcesses()}
   * @param lines the lines, header first
   */
  public record Snapshot(String source, List<String> lines) {
    public Snapshot {
      lines = List.copyOf(lines);
    }
  }

  public static Snapshot take() throws InterruptedException {
    List<String> lines = psEf();
    return lines != null ? new Snapshot("ps -ef", lines)
        : new Snapshot("ProcessHandle.allProcesses()", fromProcessHandles());
  }

  /** What {@code ps -ef} prints, or null if it cannot run or fails. */
  static List<String> psEf() throws InterruptedException {
    Process ps;
    try {
      ProcessBuilder builder = new ProcessBuilder("ps", "-ef")
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      // ps cuts its lines to $COLUMNS, if set, even when its output is not a terminal.
      builder.environment().remove("COLUMNS");
      ps = builder.start();
      ps.getOutputStream().close();
    } catch (IOException notThere) {
      return null;
    }
    try (InputStream out = ps.getInputStream()) {
      String text = new String(out.readAllBytes(), Charset.defaultCharset());
      if (!ps.waitFor(PS_TIMEOUT_SECONDS, TimeUnit.SECONDS) || ps.exitValue() != 0) {
        return null;
      }
      return text.lines().toList();
    } catch (IOException e) {
      return null;
    } finally {
      ps.destroyForcibly();
      ps.waitFor(PS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** {@code UID PID PPID CMD} lines from the JDK's view of the processes. */
  static List<String> fromProcessHandles() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-8s %7s %7s %s", "UID", "PID", "PPID", "CMD"));
    ProcessHandle.allProcesses().forEach(process -> {
      ProcessHandle.Info info = process.info();
      lines.add(String.format("%-8s %7d %7s %s", info.user().orElse("?"), process.pid(),
          process.parent().map(parent -> String.valueOf(parent.pid())).orElse("?"),
          info.commandLine().orElse(info.command().orElse("?"))));
    });
    return lines;
  }

  /** Whether a {@code ps -ef} line (UID PID ...) is that of process {@code pid}. */
  public static boolean isLineOf(String line, long pid) {
    String[] columns = line.trim().split("\\s+", 3);
    return pid > 0 && columns.length >= 2 && columns[1].equals(String.valueOf(pid));
  }
}
