package dev.plumb.rpc.testing;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.EchoResponse;
import dev.plumb.proto.testing.OutcomeRequest;
import dev.plumb.proto.testing.OutcomeResponse;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.proto.testing.ServerInfoResponse;
import dev.plumb.proto.testing.ShutdownRequest;
import dev.plumb.proto.testing.ShutdownResponse;
import io.grpc.Server;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service behind the conformance kit. Calls with a tag record how they went, so a test in
 * another process can ask (with {@code Outcome}) whether the server saw a cancellation, a
 * deadline, or a producer held back by flow control.
 */
public final class ConformanceService extends ConformanceGrpc.ConformanceImplBase {
  private final Map<String, CallRecord> records = new HashMap<>();
  private final AtomicReference<Server> server = new AtomicReference<>();

  /** The server this service runs in, which {@code Shutdown} stops. */
  public void setServer(Server server) {
    this.server.set(server);
  }

  @Override
  public void serverInfo(ServerInfoRequest request, StreamObserver<ServerInfoResponse> responses) {
    if (request.getCollectGarbage()) {
      // The test JVMs run the serial collector, for which this is a full, stop-the-world
      // collection: what is left is what the server still holds.
      System.gc();
    }
    responses.onNext(ServerInfoResponse.newBuilder().setPid(ProcessHandle.current().pid())
        .setHeapUsedBytes(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
        .build());
    responses.onCompleted();
  }

  @Override
  public void shutdown(ShutdownRequest request, StreamObserver<ShutdownResponse> responses) {
    responses.onNext(ShutdownResponse.getDefaultInstance());
    responses.onCompleted();
    Server target = server.get();
    if (request.getNow()) {
      target.shutdownNow();
    } else {
      target.shutdown();
    }
  }

  @Override
  public void unary(EchoRequest request, StreamObserver<EchoResponse> responses) {
    if (failIfAsked(request, responses)) {
      return;
    }
    responses.onNext(response(request, 0));
    responses.onCompleted();
  }

  @Override
  public void serverStream(EchoRequest request, StreamObserver<EchoResponse> responses) {
    if (failIfAsked(request, responses)) {
      return;
    }
    ServerCallStreamObserver<EchoResponse> observer =
        (ServerCallStreamObserver<EchoResponse>) responses;
    CallRecord record = record(request.getTag());
    observer.setOnCancelHandler(() -> record.end("cancelled"));
    // Produce only while the transport has room: a slow client holds this producer back.
    Runnable produce = new Runnable() {
      private int next;
      private boolean done;

      @Override
      public synchronized void run() {
        while (!done && observer.isReady() && next < request.getResponseCount()) {
          observer.onNext(response(request, next++));
          record.sent();
        }
        if (!done && next == request.getResponseCount()) {
          done = true;
          observer.onCompleted();
          record.end("completed");
        } else if (!done) {
          record.blocked();
        }
      }
    };
    observer.setOnReadyHandler(produce);
  }

  @Override
  public StreamObserver<EchoRequest> clientStream(StreamObserver<EchoResponse> responses) {
    return new StreamObserver<>() {
      private int count;

      @Override
      public void onNext(EchoRequest request) {
        count++;
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(EchoResponse.newBuilder().setSequence(count).build());
        responses.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<EchoRequest> bidi(StreamObserver<EchoResponse> responses) {
    ServerCallStreamObserver<EchoResponse> observer =
        (ServerCallStreamObserver<EchoResponse>) responses;
    // The cancel handler must be set before this method returns; the tag comes later.
    AtomicReference<CallRecord> tagged = new AtomicReference<>();
    observer.setOnCancelHandler(() -> {
      CallRecord record = tagged.get();
      if (record != null) {
        record.end("cancelled");
      }
    });
    return new StreamObserver<>() {
      private int sequence;
      private CallRecord record;

      @Override
      public void onNext(EchoRequest request) {
        if (record == null && !request.getTag().isEmpty()) {
          record = record(request.getTag());
          tagged.set(record);
        }
        if (failIfAsked(request, responses)) {
          return;
        }
        responses.onNext(response(request, sequence++));
        if (record != null) {
          record.sent();
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onCompleted();
        if (record != null) {
          record.end("completed");
        }
      }
    };
  }

  @Override
  public void hang(EchoRequest request, StreamObserver<EchoResponse> responses) {
    CallRecord record = record(request.getTag());
    ((ServerCallStreamObserver<EchoResponse>) responses)
        .setOnCancelHandler(() -> record.end("cancelled"));
  }

  @Override
  public void outcome(OutcomeRequest request, StreamObserver<OutcomeResponse> responses) {
    long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.getWaitMillis());
    CallRecord record = awaitRecord(request.getTag(), deadlineNanos);
    if (record == null) {
      responses.onNext(OutcomeResponse.newBuilder().setState("unknown").build());
    } else {
      responses.onNext(record.await(request.getUntil(), deadlineNanos));
    }
    responses.onCompleted();
  }

  private CallRecord record(String tag) {
    CallRecord record = new CallRecord(Context.current().getDeadline());
    if (!tag.isEmpty()) {
      synchronized (records) {
        records.put(tag, record);
        records.notifyAll();
      }
    }
    return record;
  }

  /** The tagged call's record, waiting for the call to reach the service if it has not yet. */
  private CallRecord awaitRecord(String tag, long deadline) {
    synchronized (records) {
      CallRecord record;
      while ((record = records.get(tag)) == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(records, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      return record;
    }
  }

  private static boolean failIfAsked(EchoRequest request, StreamObserver<?> responses) {
    if (request.getFailCode() == 0) {
      return false;
    }
    responses.onError(Status.fromCodeValue(request.getFailCode())
        .withDescription(request.getFailMessage()).asRuntimeException());
    return true;
  }

  private static EchoResponse response(EchoRequest request, int sequence) {
    ByteString payload = request.getResponseSize() > 0
        ? ByteString.copyFrom(new byte[request.getResponseSize()]) : request.getPayload();
    return EchoResponse.newBuilder().setPayload(payload).setSequence(sequence).build();
  }

  /** What one tagged call did; read by Outcome from another thread. */
  private static final class CallRecord {
    private final long deadlineMillis;
    private String state = "running";
    private long sent;
    private boolean blocked;

    CallRecord(Deadline deadline) {
      deadlineMillis = deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS);
    }

    private boolean reached(OutcomeRequest.Until until) {
      switch (until) {
        case END:
          return !state.equals("running");
        case PRODUCER_BLOCKED:
          return blocked || !state.equals("running");
        default:
          return true;
      }
    }

    synchronized void sent() {
      sent++;
      blocked = false;
    }

    synchronized void blocked() {
      blocked = true;
      notifyAll();
    }

    synchronized void end(String how) {
      if (state.equals("running")) {
        state = how;
      }
      notifyAll();
    }

    synchronized OutcomeResponse await(OutcomeRequest.Until until, long deadline) {
      try {
        while (!reached(until)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return OutcomeResponse.newBuilder().setState(state).setMessagesSent(sent)
          .setProducerBlocked(blocked).setDeadlineMillis(deadlineMillis).build();
    }
  }
}
