package dev.plumb.benchmarks.server;

import dev.plumb.benchmarks.proto.Chunk;
import dev.plumb.benchmarks.proto.ChunksRequest;
import dev.plumb.benchmarks.proto.DownloadGrpc;
import dev.plumb.benchmarks.proto.PrepareRequest;
import dev.plumb.benchmarks.proto.Prepared;
import dev.plumb.benchmarks.proto.SharedData;
import dev.plumb.benchmarks.proto.SharedRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;

/**
 * The transfer row's service: hands over the data {@link DownloadData} made once, as a shared
 * buffer or in chunks. The same class serves every configuration.
 */
public final class DownloadService extends DownloadGrpc.DownloadImplBase {
  /**
   * Made by the first Prepare, under the monitor (so only once); volatile, so the calls that
   * hand it over read it without the monitor.
   */
  private volatile DownloadData data;

  @Override
  public void prepare(PrepareRequest request, StreamObserver<Prepared> responseObserver) {
    DownloadData made;
    try {
      made = dataOfSize(request.getBytes());
    } catch (IOException | RuntimeException e) {
      responseObserver.onError(Status.FAILED_PRECONDITION.withDescription(e.toString())
          .asRuntimeException());
      return;
    }
    responseObserver.onNext(Prepared.newBuilder().setCrc32C(made.crc32c()).build());
    responseObserver.onCompleted();
  }

  @Override
  public void shared(SharedRequest request, StreamObserver<SharedData> responseObserver) {
    DownloadData made = prepared(responseObserver);
    if (made != null) {
      responseObserver.onNext(SharedData.newBuilder().setData(made.shared()).build());
      responseObserver.onCompleted();
    }
  }

  @Override
  public void chunks(ChunksRequest request, StreamObserver<Chunk> responseObserver) {
    DownloadData made = prepared(responseObserver);
    if (made == null) {
      return;
    }
    if (request.getChunkBytes() <= 0) {
      responseObserver.onError(Status.INVALID_ARGUMENT.withDescription(
          "chunks of " + request.getChunkBytes() + " bytes").asRuntimeException());
      return;
    }
    ChunkSender sender = new ChunkSender(made, request.getChunkBytes(),
        (ServerCallStreamObserver<Chunk>) responseObserver);
    sender.responses.setOnReadyHandler(sender::sendWhileReady);
    // With a cancel handler, a send that races a cancellation is dropped instead of throwing.
    sender.responses.setOnCancelHandler(() -> { });
  }

  /** The data of {@code size} bytes, made now if it is the first call. */
  private synchronized DownloadData dataOfSize(long size) throws IOException {
    if (data == null) {
      data = DownloadData.make(size);
    } else if (data.bytes().size() != size) {
      throw new IllegalArgumentException("this server made " + data.bytes().size()
          + " bytes already, not " + size);
    }
    return data;
  }

  /** The data, or null after failing the call if no Prepare made it. */
  private DownloadData prepared(StreamObserver<?> responseObserver) {
    DownloadData made = data;
    if (made == null) {
      responseObserver.onError(Status.FAILED_PRECONDITION.withDescription(
          "call Prepare first").asRuntimeException());
    }
    return made;
  }

  /**
   * Sends slices of the data while the call is ready, then completes it. gRPC runs one call's
   * onReady handler serially, so a plain field holds the position.
   */
  private static final class ChunkSender {
    private final DownloadData data;
    private final int chunk;
    private final ServerCallStreamObserver<Chunk> responses;
    private int sent;
    private boolean completed;

    ChunkSender(DownloadData data, int chunk, ServerCallStreamObserver<Chunk> responses) {
      this.data = data;
      this.chunk = chunk;
      this.responses = responses;
    }

    void sendWhileReady() {
      int size = data.bytes().size();
      while (sent < size && responses.isReady() && !responses.isCancelled()) {
        int end = Math.min(size, sent + chunk);
        responses.onNext(Chunk.newBuilder().setData(data.bytes().substring(sent, end)).build());
        sent = end;
      }
      if (sent == size && !completed) {
        completed = true;
        responses.onCompleted();
      }
    }
  }
}
