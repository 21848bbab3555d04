package dev.plumb.transport.pipe;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/** A parent that starts a pipe: child, prints {@code CHILD <pid>}, then waits to be killed. */
public final class PipeParentMain {
  private PipeParentMain() {}

  public static void main(String[] args) throws Exception {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(args[0]).build();
    long pid = ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
    System.out.println("CHILD " + pid);
    System.out.flush();
    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
  }
}
