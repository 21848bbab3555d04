package dev.plumb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon started the way systemd starts a socket-activated service: a launcher
 * (listen-fds.pl, perl-base only) binds a TCP and a Unix socket, forks, and its child execs the
 * daemon with the sockets at descriptors 3 and 4, {@code LISTEN_FDS}, {@code LISTEN_FDNAMES},
 * and {@code LISTEN_PID} equal to the daemon's own pid. Like systemd, the launcher keeps its
 * copies, and says after the daemon has exited whether each still listens, ready to start the
 * next instance. (Java's ProcessBuilder closes every descriptor above 2 in its children, so a
 * Java test cannot pass them itself.)
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketActivationTest {
  @TempDir
  Path temp;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void requirePerl() throws Exception {
    try {
      Process perl = new ProcessBuilder("perl", "-e", "exit 0").start();
      assertTrue(perl.waitFor(30, TimeUnit.SECONDS) && perl.exitValue() == 0, "perl -e failed");
    } catch (IOException e) {
      fail("this test passes descriptors with perl (Debian's perl-base), which cannot run here: "
          + e.getMessage());
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /**
   * The launcher with a TCP socket named api and a Unix socket named admin at {@code socket},
   * then the daemon. The socket file stays, as systemd's does.
   */
  private DaemonProcess activate(List<String> launcherOptions, Path socket,
      String... daemonArgs) throws Exception {
    List<String> launcher = new ArrayList<>(List.of("perl", script()));
    launcher.addAll(launcherOptions);
    launcher.addAll(List.of("api=tcp:127.0.0.1", "admin=unix:" + socket, "--"));
    DaemonProcess daemon = DaemonProcess.start(temp, launcher, daemonArgs);
    toClose.add(daemon);
    return daemon;
  }

  private ManagedChannel channel(String target) {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(target).build();
    toClose.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  @Test
  void theSocketsAreServedByNameAndStillListenForTheNextStartOnceTheDaemonHasStopped()
      throws Exception {
    Path socket = temp.resolve("admin.sock");
    DaemonProcess launcher = activate(List.of(), socket, "--service-path",
        DaemonProcess.SERVICE_PATH, "--listen", "systemd:api", "--listen", "systemd:admin",
        "--log-format", "json");
    List<String> addresses = launcher.readyAddresses(2);
    assertTrue(addresses.get(0).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), addresses.get(0));
    assertEquals("unix://" + socket, addresses.get(1));

    long daemonPid = -1;
    for (String address : addresses) {
      ManagedChannel channel = channel(address);
      assertEquals("activated", PlumbDaemonTest.echo(channel, "activated"));
      daemonPid = ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30,
          TimeUnit.SECONDS).serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
    }
    // The launcher's child, which took the sockets as LISTEN_PID said they were its own.
    ProcessHandle daemon = ProcessHandle.of(daemonPid).orElseThrow();
    assertNotEquals(launcher.process.pid(), daemonPid);
    assertEquals(launcher.process.pid(), daemon.parent().map(ProcessHandle::pid).orElse(-1L));

    daemon.destroy();
    assertEquals(0, launcher.awaitExit(60), launcher.stderr());
    assertEquals("listening api\nlistening admin\n", launcher.remainingStdout(),
        "the sockets outlive the daemon, for the next start");
    String stderr = launcher.stderr();
    for (String line : stderr.split("\n")) {
      // The JVM's own warnings ("WARNING: A terminally deprecated method in sun.misc.Unsafe
      // ...", JDK 24 and later, for a library's use of it) go to stderr before any logging.
      if (!line.isEmpty() && !line.startsWith("WARNING: ")) {
        assertTrue(line.startsWith("{\"timestamp\":") && line.endsWith("}"),
            "not a JSON line: " + line);
      }
    }
    // Logback writes '/' as "\/" in JSON strings.
    assertTrue(stderr.contains("\"level\":\"INFO\",\"threadName\":\"main\",\"loggerName\":"
        + "\"dev.plumb.rpc.internal.PlumbInternalServer\",\"mdc\": {},\"formattedMessage\":"
        + "\"listening on " + ("unix://" + socket).replace("/", "\\/") + "\""), stderr);
  }

  @Test
  void socketsPassedToAnotherProcessOrNamedTwiceAreRefused() throws Exception {
    DaemonProcess forked = activate(List.of("--wrong-pid"), temp.resolve("forked.sock"),
        "--service-path",
        DaemonProcess.SERVICE_PATH, "--listen", "systemd:");
    assertEquals(PlumbDaemon.EXIT_USAGE, forked.awaitExit(60), forked.stderr());
    assertTrue(forked.stderr().contains("'systemd:': LISTEN_PID is '" + forked.process.pid()
        + "', not this process's pid"), forked.stderr());
    assertEquals("listening api\nlistening admin\n", forked.remainingStdout());

    DaemonProcess twice = activate(List.of(), temp.resolve("twice.sock"), "--service-path",
        DaemonProcess.SERVICE_PATH, "--listen", "systemd:", "--listen", "systemd:api");
    assertEquals(PlumbDaemon.EXIT_USAGE, twice.awaitExit(60), twice.stderr());
    assertTrue(twice.stderr().contains("'systemd:api': descriptor 3 is served by another listen"
        + " address of this process already"), twice.stderr());
  }

  private static String script() throws URISyntaxException {
    return Path.of(SocketActivationTest.class.getResource("listen-fds.pl").toURI()).toString();
  }
}
