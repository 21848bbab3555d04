package dev.plumb.examples.identity;

import dev.plumb.examples.ExampleConfiguration;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/**
 * {@code IdentityClient TARGET}: asks the server who it thinks this process is, and prints it
 * beside what this process knows about itself.
 */
public final class IdentityClient {
  private IdentityClient() {}

  public static void main(String[] args) throws InterruptedException {
    ManagedChannel channel = ExampleConfiguration.client(args).channelBuilder().build();
    try {
      Caller caller = IdentityGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .whoAmI(WhoAmIRequest.getDefaultInstance());
      System.out.println("the server (pid " + caller.getServerPid() + ") sees me as "
          + describe(caller) + "; I am pid " + ProcessHandle.current().pid());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** {@code pid 123, uid 1000, gid 1000 at unix:...}; "?" for what the transport did not tell. */
  public static String describe(Caller caller) {
    return "pid " + (caller.hasPid() ? caller.getPid() : "?")
        + ", uid " + (caller.hasUid() ? caller.getUid() : "?")
        + ", gid " + (caller.hasGid() ? caller.getGid() : "?")
        + (caller.getRemoteAddress().isEmpty() ? "" : " at " + caller.getRemoteAddress());
  }
}
