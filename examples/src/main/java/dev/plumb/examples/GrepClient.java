package dev.plumb.examples;

import dev.plumb.examples.filter.FilterGrpc;
import dev.plumb.examples.filter.GrepRequest;
import dev.plumb.examples.filter.Match;
import dev.plumb.examples.filter.Pattern;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The parent's side of {@code ps -ef | grep}: streams lines to a {@code Filter} service and
 * collects the matches it streams back, with grpc-java's asynchronous stub.
 *
 * <p>The lines go out as a well-behaved producer sends: only while the call {@code isReady()},
 * resuming in the on-ready handler. A filter that reads slowly (or a channel whose windows are
 * full) therefore holds this producer back, and the lines wait in the iterator instead of
 * piling up in memory. Ordinary grpc-java code: the transport is the channel's business.
 */
public final class GrepClient {
  private GrepClient() {}

  /**
   * What one {@code Grep} call brought back.
   *
   * @param matches the matching lines, in order, with their numbers
   * @param linesSent how many lines were sent
   * @param pauses how often the producer found the call not ready and waited for on-ready
   */
  public record Result(List<Match> matches, long linesSent, int pauses) {
    public Result {
      matches = List.copyOf(matches);
    }
  }

  /**
   * Starts a {@code Grep} call that sends {@code regex} and then every line of {@code lines}.
   * The future completes with the matches once the server has finished, or exceptionally with
   * the call's {@code StatusRuntimeException}. {@code lines} is read on gRPC's threads, one
   * line at a time as the call has room.
   */
  public static CompletableFuture<Result> grep(FilterGrpc.FilterStub filter, String regex,
      boolean ignoreCase, Iterator<String> lines) {
    Producer producer = new Producer(
        GrepRequest.newBuilder().setPattern(Pattern.newBuilder().setRegex(regex)
            .setIgnoreCase(ignoreCase)).build(),
        lines);
    filter.grep(producer);
    return producer.result;
  }

  /**
   * Sends the requests and receives the matches of one call. gRPC runs the on-ready handler and
   * the response callbacks one at a time, on the call's executor, so the fields need no lock.
   */
  private static final class Producer
      implements ClientResponseObserver<GrepRequest, Match>, Runnable {
    final CompletableFuture<Result> result = new CompletableFuture<>();
    private final GrepRequest pattern;
    private final Iterator<String> lines;
    private final List<Match> matches = new ArrayList<>();
    private ClientCallStreamObserver<GrepRequest> requests;
    private boolean patternSent;
    private boolean finished;
    private long linesSent;
    private int pauses;

    Producer(GrepRequest pattern, Iterator<String> lines) {
      this.pattern = pattern;
      this.lines = lines;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<GrepRequest> requests) {
      this.requests = requests;
      requests.setOnReadyHandler(this);
    }

    /** The on-ready handler: sends while the call has room, then waits to be called again. */
    @Override
    public void run() {
      while (!finished && requests.isReady()) {
        if (!patternSent) {
          requests.onNext(pattern);
          patternSent = true;
        } else if (lines.hasNext()) {
          requests.onNext(GrepRequest.newBuilder().setLine(lines.next()).build());
          linesSent++;
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
      matches.add(match);
    }

    @Override
    public void onError(Throwable t) {
      finished = true;
      result.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      finished = true;
      result.complete(new Result(matches, linesSent, pauses));
    }
  }
}
