package dev.plumb.examples;

import dev.plumb.examples.filter.FilterGrpc;
import dev.plumb.examples.filter.GrepRequest;
import dev.plumb.examples.filter.Match;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The filter behind the {@code ps -ef | grep} example: plain grpc-java service code. The client
 * streams a pattern and then lines; every line that contains a match comes back with its number.
 *
 * <p>Flow control works in both directions, as in grpc-java's manual flow control example: the
 * service asks for one message at a time, and asks for the next only while its own stream to the
 * client is ready, resuming in the on-ready handler otherwise. A client that reads the matches
 * slowly therefore stops the lines too, and neither side buffers more than the transport's
 * windows.
 */
public final class FilterService extends FilterGrpc.FilterImplBase {
  /** How much of a bad pattern an error message quotes. */
  private static final int QUOTED_PATTERN_LENGTH = 100;

  @Override
  public StreamObserver<GrepRequest> grep(StreamObserver<Match> responses) {
    ServerCallStreamObserver<Match> call = (ServerCallStreamObserver<Match>) responses;
    call.disableAutoRequest();
    Grep grep = new Grep(call);
    // gRPC calls this once the method has returned and the call is ready, which asks for the
    // first message, and again whenever the client has made room after isReady() said no.
    call.setOnReadyHandler(grep::onReady);
    return grep;
  }

  /**
   * One call. gRPC runs its request-observer methods and its on-ready handler one at a time, on
   * the call's executor, so the fields need no lock.
   */
  private static final class Grep implements StreamObserver<GrepRequest> {
    private final ServerCallStreamObserver<Match> call;
    private Matcher matcher;
    private long lineNumber;
    /** Whether a message has been requested since the call was last not ready. */
    private boolean wasReady;
    private boolean done;

    Grep(ServerCallStreamObserver<Match> call) {
      this.call = call;
    }

    void onReady() {
      if (!done && !wasReady && call.isReady()) {
        wasReady = true;
        call.request(1);
      }
    }

    @Override
    public void onNext(GrepRequest request) {
      if (done) {
        return;
      }
      switch (request.getKindCase()) {
        case PATTERN:
          if (matcher != null) {
            fail("a second pattern after " + lineNumber + " lines; only the first message may"
                + " carry one");
            return;
          }
          matcher = compile(request.getPattern());
          if (matcher == null) {
            return;
          }
          break;
        case LINE:
          if (matcher == null) {
            fail("the first message must carry the pattern, not a line");
            return;
          }
          lineNumber++;
          if (matcher.reset(request.getLine()).find()) {
            call.onNext(Match.newBuilder().setNumber(lineNumber).setLine(request.getLine())
                .build());
          }
          break;
        default:
          fail("a message with neither a pattern nor a line");
          return;
      }
      // The next line only if the match just sent (if any) could go out; else onReady asks.
      if (call.isReady()) {
        call.request(1);
      } else {
        wasReady = false;
      }
    }

    private Matcher compile(dev.plumb.examples.filter.Pattern pattern) {
      int flags = pattern.getIgnoreCase() ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
      try {
        return Pattern.compile(pattern.getRegex(), flags).matcher("");
      } catch (PatternSyntaxException e) {
        String regex = pattern.getRegex();
        fail("'" + (regex.length() <= QUOTED_PATTERN_LENGTH ? regex
            : regex.substring(0, QUOTED_PATTERN_LENGTH) + "...")
            + "' is not a valid regular expression: " + e.getDescription()
            + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        return null;
      }
    }

    @Override
    public void onError(Throwable t) {
      // The client cancelled, or its deadline passed: there is no one left to answer.
      done = true;
    }

    @Override
    public void onCompleted() {
      if (done) {
        return;
      }
      if (matcher == null) {
        fail("the stream ended without a pattern");
        return;
      }
      done = true;
      call.onCompleted();
    }

    private void fail(String description) {
      done = true;
      call.onError(Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException());
    }
  }
}
