package dev.plumb.transport.unix;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/**
 * A client in a process of its own, possibly run as another user: calls the conformance
 * service's Unary once at each target given as an argument and prints one line per target,
 * {@code RESULT <i> OK} or {@code RESULT <i> <CODE> <description>}, after a {@code PID <pid>}
 * line.
 */
public final class UnixClientMain {
  private UnixClientMain() {}

  public static void main(String[] targets) throws InterruptedException {
    System.out.println("PID " + ProcessHandle.current().pid());
    for (int i = 0; i < targets.length; i++) {
      ManagedChannel channel = PlumbChannelBuilder.forTarget(targets[i]).build();
      try {
        ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .unary(EchoRequest.newBuilder().setPayload(ByteString.copyFromUtf8("hi")).build());
        System.out.println("RESULT " + i + " OK");
      } catch (StatusRuntimeException e) {
        String description = String.valueOf(e.getStatus().getDescription()).replace('\n', ' ');
        System.out.println("RESULT " + i + " " + e.getStatus().getCode() + " " + description);
        // For a failure that is not the expected answer: where the cause came from.
        for (Throwable cause = e.getStatus().getCause(); cause != null; cause = cause.getCause()) {
          System.out.println("CAUSE " + i + " " + cause);
          for (StackTraceElement frame : cause.getStackTrace()) {
            System.out.println("CAUSE " + i + "   at " + frame);
          }
        }
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
    System.out.flush();
    System.exit(0);
  }
}
