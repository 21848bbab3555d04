package dev.plumb.examples.share;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of the share example: {@code Take} streams one consumer's share of a
 * {@link DataSet}, the chunks {@code i} with {@code i % consumers == consumer}, in order;
 * {@code Lend} answers with the whole data set in one shared buffer, made once for every
 * consumer ({@link LatestDataSet}), and {@code Prepare} makes that buffer ahead of the loans.
 *
 * <p>Manual flow control: a chunk is made only when the call {@code isReady()}, that is when
 * gRPC has room to send it; when the call stops being ready the producer returns, and gRPC's
 * on-ready callback resumes it. So a slow consumer holds the producer back, and at most a few
 * chunks (the transport's window and gRPC's on-ready threshold) are ever made ahead of it; no
 * queue grows. The data set is named by the request; each chunk is made once, for the one
 * consumer that takes it, so the shares of two consumers produce the data set exactly once.
 */
public final class ShareService extends ShareGrpc.ShareImplBase {
  private static final Logger log = LoggerFactory.getLogger(ShareService.class);

  /** What a producer did, for tests; called on the call's thread, never under a lock. */
  public interface Progress {
    Progress NONE = new Progress() {};

    /** Chunks made so far for this call, after each one was handed to gRPC. */
    default void produced(long chunks) {}

    /** The call stopped being ready after {@code chunks} chunks: the producer waits. */
    default void paused(long chunks) {}

    /** A {@code Lend} or {@code Prepare} call starts making {@code data}'s shared buffer. */
    default void making(DataSet data) {}

    /** A call found {@code data}'s shared buffer being made by another: it waits for it. */
    default void waiting(DataSet data) {}

    /** {@code data}'s shared buffer is made and sealed, in {@code nanos}. */
    default void made(DataSet data, long nanos) {}
  }

  private final Progress progress;
  private final LatestDataSet latest;

  public ShareService() {
    this(Progress.NONE);
  }

  public ShareService(Progress progress) {
    this(progress, new LatestDataSet(progress));
  }

  /** With {@code latest}, the store of lent buffers, which the caller closes. */
  ShareService(Progress progress, LatestDataSet latest) {
    this.progress = progress;
    this.latest = latest;
  }

  @Override
  public void take(TakeRequest request, StreamObserver<Chunk> response) {
    if (refused("Take", DataSet.problem(request), response)) {
      return;
    }
    ServerCallStreamObserver<Chunk> call = (ServerCallStreamObserver<Chunk>) response;
    Producer producer = new Producer(call, DataSet.of(request), request.getConsumer(),
        request.getConsumers(), progress);
    // With a cancel handler set, a send on a cancelled call is a no-op instead of an exception.
    call.setOnCancelHandler(() -> log.debug("Take cancelled by consumer {}",
        request.getConsumer()));
    // gRPC calls this when the call becomes ready, also for readiness it saw before this
    // method returned (grpc-stub replays it after invoking a unary-request method).
    call.setOnReadyHandler(producer::produce);
  }

  @Override
  public void lend(TakeRequest request, StreamObserver<Loan> response) {
    whenMade("Lend", request, response,
        made -> Loan.newBuilder().setData(made.reference()).build());
  }

  @Override
  public void prepare(TakeRequest request, StreamObserver<Prepared> response) {
    whenMade("Prepare", request, response,
        made -> Prepared.newBuilder().setMakingNanos(made.makingNanos()).build());
  }

  /**
   * Answers with {@code answer} of the request's data set once it is made: at once if it is,
   * else from the thread that makes it. The lease ends after the answer is sent, so the buffer
   * cannot be closed before the attachment path took its own descriptor.
   */
  private <T> void whenMade(String method, TakeRequest request, StreamObserver<T> response,
      Function<LatestDataSet.Made, T> answer) {
    if (refused(method, DataSet.lendingProblem(request), response)) {
      return;
    }
    LatestDataSet.Lease lease = latest.lease(DataSet.of(request));
    lease.made().whenComplete((made, error) -> {
      try (lease) {
        if (error != null) {
          response.onError(Status.INTERNAL.withDescription("cannot make the data set's shared"
              + " buffer: " + error).asRuntimeException());
          return;
        }
        response.onNext(answer.apply(made));
        response.onCompleted();
      }
    });
  }

  /** Ends the call with INVALID_ARGUMENT if there is a {@code problem}. */
  private static boolean refused(String method, String problem, StreamObserver<?> response) {
    if (problem == null) {
      return false;
    }
    log.info("{} refused: {}", method, problem);
    response.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
    return true;
  }

  /**
   * One call's producer. gRPC runs a call's callbacks one at a time (on-ready included), so
   * its state needs no lock.
   */
  private static final class Producer {
    private final ServerCallStreamObserver<Chunk> call;
    private final DataSet data;
    private final int consumers;
    private final Progress progress;
    private long next;
    private long made;
    private boolean finished;

    Producer(ServerCallStreamObserver<Chunk> call, DataSet data, int consumer, int consumers,
        Progress progress) {
      this.call = call;
      this.data = data;
      this.consumers = consumers;
      this.progress = progress;
      this.next = consumer;
    }

    /** Sends chunks while gRPC has room for them; on-ready calls it again when it has more. */
    void produce() {
      while (!finished && call.isReady()) {
        if (next >= data.chunkCount()) {
          finished = true;
          call.onCompleted();
          return;
        }
        // The chunk's array is never written again, so the ByteString may wrap it uncopied.
        call.onNext(Chunk.newBuilder().setIndex(next)
            .setData(UnsafeByteOperations.unsafeWrap(data.chunk(next))).build());
        next += consumers;
        made++;
        progress.produced(made);
      }
      if (!finished && !call.isCancelled()) {
        progress.paused(made);
      }
    }
  }
}
