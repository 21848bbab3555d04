package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.filter.FilterGrpc;
import dev.plumb.examples.filter.Match;
import dev.plumb.examples.identity.PeerPids;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code ps -ef | grep} example against a real child: the channel starts
 * {@link FilterServer} over {@code pipe:}, and the child must be gone once the channel has
 * shut down.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GrepOverPipeTest {
  private static final String TARGET =
      ExampleJvm.pipeTarget(FilterServer.class.getName(), List.of(), "");
  private static final List<String> TEXT = List.of(
      "UID        PID  PPID  C STIME TTY          TIME CMD",
      "root         1     0  0 09:00 ?        00:00:01 /sbin/init",
      "alice     4300  4242  2 09:02 pts/0    00:00:09 java -jar server.jar",
      "alice     4500  4242  0 09:04 pts/0    00:00:00 ps -ef",
      "bob       4700     1  0 09:06 ?        00:00:02 java -cp 'a b.jar' Main # it's here");

  private final PeerPids pids = new PeerPids();
  private ManagedChannel channel;
  private FilterGrpc.FilterStub filter;

  @BeforeEach
  void start() {
    channel = PlumbChannelBuilder.forTarget(TARGET).intercept(pids).build();
    filter = FilterGrpc.newStub(channel);
  }

  @AfterEach
  void noChildLeftBehind() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    assertEquals(List.of(), pids.awaitExit(Duration.ofSeconds(20)), "children still running");
    assertEquals(List.of(), liveChildren(), "processes the test left behind");
  }

  @Test
  void theMatchesOfAFixedTextEqualALocalFilter() throws Exception {
    List<Match> matches = grep("java|^UID", TEXT);
    assertEquals(List.of(1L, 3L, 5L), matches.stream().map(Match::getNumber).toList());
    assertEquals(GrepDemo.localGrep(TEXT.iterator(), "java|^UID"), matches);
    assertEquals(1, pids.all().size(), "one child served the call");
  }

  @Test
  void theMatchesOfTheProcessListEqualALocalFilterAndShowTheChild() throws Exception {
    // The first call starts the child; then it is in the process list.
    assertEquals(List.of(), grep("x", List.of()));
    long child = pids.first();
    assertTrue(child > 0, "the call's transport attributes name the child: " + pids.all());
    assertEquals(ProcessHandle.current().pid(), ProcessHandle.of(child).orElseThrow().parent()
        .orElseThrow().pid(), "the filter is this JVM's child");

    List<String> lines = ProcessList.take().lines();
    List<Match> matches = grep(GrepDemo.DEFAULT_PATTERN, lines);
    assertEquals(GrepDemo.localGrep(lines.iterator(), GrepDemo.DEFAULT_PATTERN), matches);
    assertTrue(matches.stream().anyMatch(match -> ProcessList.isLineOf(match.getLine(),
        child)), "the filter child " + child + " is not among the matches: " + matches);
    assertEquals(List.of(child), pids.all(), "the same child served both calls");
  }

  @Test
  void manyLinesComeBackInOrderOverThePipe() throws Exception {
    List<String> lines = IntStream.rangeClosed(1, 50_000)
        .mapToObj(i -> "line " + i + " " + "abcdefghij".repeat(i % 20))
        .collect(Collectors.toList());
    List<Match> matches = grep("7 (abcdefghij){3}", lines);
    assertEquals(GrepDemo.localGrep(lines.iterator(), "7 (abcdefghij){3}"), matches);
    assertTrue(matches.size() > 100, "matches: " + matches.size());
  }

  @Test
  void aBadRegexIsInvalidArgumentAndTheChildServesOn() throws Exception {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> GrepClient.grep(deadline(), "[a-", false,
            TEXT.iterator()).get(60, TimeUnit.SECONDS));
    Status status = Status.fromThrowable(e.getCause());
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
    assertTrue(status.getDescription().startsWith("'[a-' is not a valid regular expression: "),
        status.getDescription());
    assertEquals(2, grep("alice", TEXT).size());
    assertEquals(1, pids.all().size(), "one child for both calls: " + pids.all());
  }

  @Test
  void theChildIsGoneOnceTheChannelHasShutDown() throws Exception {
    grep("root", TEXT);
    long child = pids.first();
    assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
    channel.shutdown();
    assertTrue(channel.awaitTermination(20, TimeUnit.SECONDS));
    ProcessHandle.of(child).ifPresent(process -> {
      try {
        process.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("child " + child + " still runs after its channel shut down",
            e);
      }
    });
    assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
  }

  private FilterGrpc.FilterStub deadline() {
    return filter.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private List<Match> grep(String regex, List<String> lines) throws Exception {
    return GrepClient.grep(deadline(), regex, false, lines.iterator())
        .get(65, TimeUnit.SECONDS).matches();
  }

  private static List<String> liveChildren() {
    return ProcessHandle.current().children()
        .filter(ProcessHandle::isAlive)
        .map(child -> child.pid() + " " + child.info().commandLine().orElse("?"))
        .toList();
  }
}
