package dev.plumb.demo;

import dev.plumb.examples.identity.Caller;
import dev.plumb.examples.identity.IdentityClient;
import dev.plumb.examples.identity.IdentityGrpc;
import dev.plumb.examples.identity.WhoAmIRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Peer identity in the demo: over a transport that knows its peer ({@code unix:}, {@code shm:},
 * {@code pipe:}) the server must name the demo's own process as the caller; over one that does
 * not ({@code tcp:}) it must say nothing rather than guess.
 */
final class IdentityChecks {
  private IdentityChecks() {}

  static void run(Channel channel, Duration deadline, boolean transportKnowsPeer,
      Checklist checklist, Consumer<String> progress) {
    Caller caller;
    try {
      caller = IdentityGrpc.newBlockingStub(channel)
          .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
          .whoAmI(WhoAmIRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      checklist.fail("WhoAmI: " + CalculatorChecks.describe(e.getStatus()));
      return;
    }
    long self = ProcessHandle.current().pid();
    progress.accept("identity: the server sees its caller as " + IdentityClient.describe(caller)
        + "; the demo is pid " + self);
    if (!transportKnowsPeer) {
      if (caller.hasPid() || caller.hasUid() || caller.hasGid()) {
        checklist.fail("WhoAmI: the transport cannot know the caller, yet the server says "
            + IdentityClient.describe(caller));
      } else {
        checklist.pass();
      }
    } else if (!caller.hasPid() || caller.getPid() != self || !caller.hasUid()) {
      checklist.fail("WhoAmI: expected pid " + self + " with a uid, got "
          + IdentityClient.describe(caller));
    } else {
      checklist.pass();
    }
  }
}
