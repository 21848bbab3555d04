package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.testing.BadInputTarget;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.ConformanceServerMain;
import dev.plumb.rpc.testing.RawStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bad-input suite's target over pipe:, where every connection is a server child of its own:
 * a raw stream is a {@link ConformanceServerMain} child on {@code stdio:} whose stdin and stdout
 * the case holds, and a channel starts children of its own. Recovery means that every raw child
 * has exited, with code 0 (a clean exit, not a kill), once its stream was closed: none is left
 * behind.
 */
final class PipeChildTarget implements BadInputTarget {
  /** JVM start and the stdio: server's own two-second grace for the parent's end, and slack. */
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

  private final List<String> serverArgs;
  private final List<ServerProcess> children = new ArrayList<>();

  PipeChildTarget(List<String> serverOptions) {
    this.serverArgs = new ArrayList<>(List.of("stdio:"));
    serverArgs.addAll(serverOptions);
  }

  @Override
  public RawStream openRaw() throws IOException {
    ServerProcess child = ServerProcess.startPiped("raw child", ChildJvm.command(
        ConformanceServerMain.class, serverArgs.toArray(String[]::new)), EXIT_TIMEOUT);
    children.add(child);
    InputStream in = child.stdout();
    OutputStream out = child.stdin();
    return new RawStream() {
      @Override
      public InputStream in() {
        return in;
      }

      @Override
      public OutputStream out() {
        return out;
      }

      /** The parent's end, as a pipe: client's: the child sees end-of-file on stdin. */
      @Override
      public void close() throws IOException {
        try {
          out.close();
        } catch (IOException alreadyGone) {
          // The child exited first and its stdin is broken: nothing to close.
        }
        in.close();
      }
    };
  }

  @Override
  public String channelTarget() {
    return "pipe:" + ChildJvm.commandLine(ConformanceServerMain.class,
        serverArgs.toArray(String[]::new)) + "#maxStarts=1000";
  }

  @Override
  public boolean hasPreface() {
    return true;
  }

  @Override
  public boolean sharesServerWithChannels() {
    return false;
  }

  @Override
  public void assertRecovered() throws InterruptedException {
    try {
      for (ServerProcess child : children) {
        assertTrue(child.waitForExit(EXIT_TIMEOUT), "raw child " + child.pid()
            + " was still running " + EXIT_TIMEOUT.toSeconds() + " s after its stream closed");
        assertEquals(0, child.exitCode(), "raw child " + child.pid() + "'s exit code");
      }
    } finally {
      children.forEach(ServerProcess::close);
      children.clear();
    }
  }

  @Override
  public void close() {
    children.forEach(ServerProcess::close);
  }
}
