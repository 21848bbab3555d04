package dev.plumb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.examples.filter.FilterGrpc;
import dev.plumb.examples.filter.GrepRequest;
import dev.plumb.examples.filter.Match;
import dev.plumb.examples.filter.Pattern;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** The filter's answers and its flow control, over the in-memory transport in this JVM. */
@Timeout(60)
class FilterServiceTest {
  private static final List<String> TEXT = List.of(
      "root         1     0  0 09:00 ?        00:00:01 /sbin/init",
      "alice     4242     1  0 09:01 pts/0    00:00:00 -bash",
      "alice     4300  4242  2 09:02 pts/0    00:00:09 java -jar server.jar",
      "bob       4400     1  0 09:03 ?        00:00:00 sshd: bob@pts/1",
      "alice     4500  4242  0 09:04 pts/0    00:00:00 ps -ef",
      "",
      "ALICE     4600     1  0 09:05 ?        00:00:00 Java -version");

  private final Cleanup cleanup = new Cleanup();

  @AfterEach
  void stop() throws Exception {
    cleanup.close();
  }

  private FilterGrpc.FilterStub start(TestInfo test, int flowControlWindow) throws Exception {
    String address = "mem:filter-" + test.getTestMethod().orElseThrow().getName();
    cleanup.add(PlumbServerBuilder.forAddress(address).flowControlWindow(flowControlWindow)
        .addService(new FilterService()).build().start());
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget(address)
        .flowControlWindow(flowControlWindow)
        .build());
    return FilterGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private FilterGrpc.FilterStub start(TestInfo test) throws Exception {
    return start(test, 1 << 20);
  }

  @Test
  void returnsTheMatchingLinesWithTheirNumbersInOrder(TestInfo test) throws Exception {
    GrepClient.Result result = GrepClient.grep(start(test), "alice", false, TEXT.iterator())
        .get(30, TimeUnit.SECONDS);
    assertEquals(List.of(match(2, TEXT.get(1)), match(3, TEXT.get(2)), match(5, TEXT.get(4))),
        result.matches());
    assertEquals(TEXT.size(), result.linesSent());
  }

  @Test
  void findsTheRegexAnywhereInTheLineAndAnchorsWork(TestInfo test) throws Exception {
    FilterGrpc.FilterStub filter = start(test);
    assertEquals(List.of(3L, 4L), numbers(filter, "[0-9]{2}:[0-9]{2}:0[09] [js]", false));
    assertEquals(List.of(6L), numbers(filter, "^$", false));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), numbers(filter, "", false));
    assertEquals(List.of(), numbers(filter, "^alice$", false));
  }

  @Test
  void ignoreCaseIsLikeGrepI(TestInfo test) throws Exception {
    FilterGrpc.FilterStub filter = start(test);
    assertEquals(List.of(3L), numbers(filter, "java", false));
    assertEquals(List.of(3L, 7L), numbers(filter, "java", true));
  }

  @Test
  void noLinesIsNoMatches(TestInfo test) throws Exception {
    GrepClient.Result result = GrepClient.grep(start(test), "x", false,
        List.<String>of().iterator()).get(30, TimeUnit.SECONDS);
    assertEquals(List.of(), result.matches());
  }

  @Test
  void aBadRegexIsInvalidArgument(TestInfo test) throws Exception {
    Status status = failure(GrepClient.grep(start(test), "ps -ef (", false, TEXT.iterator()));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertEquals("'ps -ef (' is not a valid regular expression: Unclosed group at index 8",
        status.getDescription());
  }

  @Test
  void aLineBeforeThePatternIsInvalidArgument(TestInfo test) throws Exception {
    Status status = failure(call(start(test), List.of(line("no pattern yet"))));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertEquals("the first message must carry the pattern, not a line",
        status.getDescription());
  }

  @Test
  void aSecondPatternIsInvalidArgument(TestInfo test) throws Exception {
    Status status = failure(call(start(test),
        List.of(pattern("a"), line("a"), line("b"), pattern("b"))));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertEquals("a second pattern after 2 lines; only the first message may carry one",
        status.getDescription());
  }

  @Test
  void anEmptyMessageOrNoPatternAtAllIsInvalidArgument(TestInfo test) throws Exception {
    FilterGrpc.FilterStub filter = start(test);
    Status empty = failure(call(filter, List.of(pattern("a"), GrepRequest.getDefaultInstance())));
    assertEquals(Status.Code.INVALID_ARGUMENT, empty.getCode());
    assertEquals("a message with neither a pattern nor a line", empty.getDescription());
    Status none = failure(call(filter, List.of()));
    assertEquals(Status.Code.INVALID_ARGUMENT, none.getCode());
    assertEquals("the stream ended without a pattern", none.getDescription());
  }

  /**
   * Every line matches and the client takes the matches one by one, each only after the
   * previous one, so the filter can read a line only as fast as the client consumes: lines
   * sent but not yet consumed as matches never exceed what the transport's windows and
   * gRPC's buffers hold (here windows of 8 KiB, buffers of 32 KiB, 1 KiB lines), while the
   * stream is 4 MiB. A filter that read ahead regardless would let the producer run far ahead.
   */
  @Test
  void aSlowConsumerHoldsTheProducerBack(TestInfo test) throws Exception {
    int lineCount = 4_096;
    long bound = 200;
    String oneKib = "x".repeat(1_020);
    FilterGrpc.FilterStub filter = start(test, 8 * 1024);
    AtomicLong consumed = new AtomicLong();
    BoundedProducer producer = new BoundedProducer(
        IntStream.range(0, lineCount).mapToObj(i -> String.format("%03d ", i % 1000) + oneKib)
            .iterator(),
        consumed);
    filter.grep(producer);
    ClientCallStreamObserver<GrepRequest> call = producer.call.get(10, TimeUnit.SECONDS);
    for (int i = 0; i < lineCount; i++) {
      Object next = producer.received.poll(30, TimeUnit.SECONDS);
      assertTrue(next instanceof Match, "match " + i + ": " + next);
      assertEquals(i + 1, ((Match) next).getNumber());
      consumed.incrementAndGet();
      call.request(1);
    }
    assertEquals("completed", producer.received.poll(30, TimeUnit.SECONDS));
    assertEquals(lineCount, producer.sent);
    assertTrue(producer.maxAhead <= bound, "the producer got " + producer.maxAhead
        + " lines ahead of the consumer; at most " + bound + " fit in the windows");
    assertTrue(producer.pauses > 0, "the producer never had to wait");
  }

  /** Sends lines while the call is ready and notes how far it got ahead of the consumer. */
  private static final class BoundedProducer
      implements ClientResponseObserver<GrepRequest, Match>, Runnable {
    final CompletableFuture<ClientCallStreamObserver<GrepRequest>> call =
        new CompletableFuture<>();
    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Iterator<String> lines;
    private final AtomicLong consumed;
    private ClientCallStreamObserver<GrepRequest> requests;
    private boolean patternSent;
    private boolean finished;
    volatile long sent;
    volatile long maxAhead;
    volatile int pauses;

    BoundedProducer(Iterator<String> lines, AtomicLong consumed) {
      this.lines = lines;
      this.consumed = consumed;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<GrepRequest> requests) {
      this.requests = requests;
      requests.disableAutoRequestWithInitial(1);
      requests.setOnReadyHandler(this);
      call.complete(requests);
    }

    @Override
    public void run() {
      while (!finished && requests.isReady()) {
        if (!patternSent) {
          requests.onNext(pattern("x"));
          patternSent = true;
        } else if (lines.hasNext()) {
          maxAhead = Math.max(maxAhead, sent - consumed.get());
          requests.onNext(line(lines.next()));
          sent++;
        } else {
          finished = true;
          requests.onCompleted();
        }
      }
      if (!finished) {
        pauses++;
      }
    }

    @Override
    public void onNext(Match match) {
      received.add(match);
    }

    @Override
    public void onError(Throwable t) {
      received.add(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      received.add("completed");
    }
  }

  private static List<Long> numbers(FilterGrpc.FilterStub filter, String regex,
      boolean ignoreCase) throws Exception {
    List<Long> numbers = new ArrayList<>();
    for (Match match : GrepClient.grep(filter, regex, ignoreCase, TEXT.iterator())
        .get(30, TimeUnit.SECONDS).matches()) {
      numbers.add(match.getNumber());
    }
    return numbers;
  }

  /** Sends {@code requests} as they are, half-closes, and collects what comes back. */
  private static CompletableFuture<List<Match>> call(FilterGrpc.FilterStub filter,
      List<GrepRequest> requests) {
    CompletableFuture<List<Match>> done = new CompletableFuture<>();
    List<Match> matches = new ArrayList<>();
    io.grpc.stub.StreamObserver<GrepRequest> out = filter.grep(
        new io.grpc.stub.StreamObserver<>() {
          @Override
          public void onNext(Match match) {
            matches.add(match);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(matches);
          }
        });
    requests.forEach(out::onNext);
    out.onCompleted();
    return done;
  }

  private static Status failure(CompletableFuture<?> call) throws Exception {
    try {
      Object result = call.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected the call to fail, got " + result);
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause());
    }
  }

  private static GrepRequest pattern(String regex) {
    return GrepRequest.newBuilder().setPattern(Pattern.newBuilder().setRegex(regex)).build();
  }

  private static GrepRequest line(String line) {
    return GrepRequest.newBuilder().setLine(line).build();
  }

  private static Match match(long number, String line) {
    return Match.newBuilder().setNumber(number).setLine(line).build();
  }
}
