package dev.plumb.benchmarks.server;

import dev.plumb.benchmarks.proto.EchoGrpc;
import dev.plumb.benchmarks.proto.Payload;
import dev.plumb.benchmarks.proto.ProcessStats;
import dev.plumb.benchmarks.proto.Received;
import dev.plumb.benchmarks.proto.StatsRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The benchmark service: echoes what it gets, doing no work of its own, so a measurement times
 * the transport and gRPC. The same class serves every configuration (Plumb, grpc-netty,
 * in-process).
 */
public final class EchoService extends EchoGrpc.EchoImplBase {

  @Override
  public void unary(Payload request, StreamObserver<Payload> responseObserver) {
    responseObserver.onNext(request);
    responseObserver.onCompleted();
  }

  /**
   * Echoes each message, asking for the next one only while the response side is ready, so a
   * client that reads slowly slows this side down instead of filling its memory (the manual
   * flow-control pattern of grpc-java's examples).
   */
  @Override
  public StreamObserver<Payload> stream(StreamObserver<Payload> responseObserver) {
    ServerCallStreamObserver<Payload> responses =
        (ServerCallStreamObserver<Payload>) responseObserver;
    responses.disableAutoRequest();
    FlowControl flow = new FlowControl(responses);
    responses.setOnReadyHandler(flow::onReady);
    return new StreamObserver<>() {
      @Override
      public void onNext(Payload message) {
        responses.onNext(message);
        flow.afterSend();
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled or died; nothing to clean up.
      }

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }

  /** Counts what arrives and answers with the totals at the end; gRPC requests each message. */
  @Override
  public StreamObserver<Payload> upload(StreamObserver<Received> responseObserver) {
    return new StreamObserver<>() {
      // gRPC calls one call's observer serially, so plain fields do.
      private long messages;
      private long bytes;

      @Override
      public void onNext(Payload message) {
        messages++;
        bytes += message.getData().size();
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled or died; nothing to clean up.
      }

      @Override
      public void onCompleted() {
        responseObserver.onNext(Received.newBuilder().setMessages(messages).setBytes(bytes)
            .build());
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public void stats(StatsRequest request, StreamObserver<ProcessStats> responseObserver) {
    ProcessMeter.Reading reading = ProcessMeter.read();
    responseObserver.onNext(ProcessStats.newBuilder()
        .setCpuNanos(reading.cpuNanos())
        .setAllocatedBytes(reading.allocatedBytes())
        .setPid(ProcessHandle.current().pid())
        .setContextSwitches(reading.contextSwitches())
        .build());
    responseObserver.onCompleted();
  }

  /**
   * Requests one inbound message at a time while the outbound side is ready. gRPC calls
   * {@code onReady} and the request observer serially for one call, so no lock is needed.
   */
  private static final class FlowControl {
    private final ServerCallStreamObserver<Payload> responses;
    /** Whether a request(1) is outstanding that no message has answered yet. */
    private boolean requested;

    FlowControl(ServerCallStreamObserver<Payload> responses) {
      this.responses = responses;
    }

    void onReady() {
      if (!requested && responses.isReady()) {
        requested = true;
        responses.request(1);
      }
    }

    void afterSend() {
      requested = false;
      onReady();
    }
  }
}
