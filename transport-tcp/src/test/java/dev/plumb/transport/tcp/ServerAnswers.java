package dev.plumb.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.ServerInfoRequest;
import io.grpc.Channel;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which server answers a call: each replica test's server reports its pid. Deadlines are
 * generous, for a loaded two-core machine where a fresh JVM's first TLS handshake takes
 * seconds; a test that passes takes a fraction of them.
 */
final class ServerAnswers {
  static final long CALL_DEADLINE_SECONDS = 10;
  private static final long WAIT_SECONDS = 30;

  /** One call, made somewhere: the pid of the server that answered it. */
  interface Call {
    long serverPid() throws Exception;
  }

  private ServerAnswers() {}

  /** A {@code ServerInfo} call on {@code channel}. */
  static long serverPid(Channel channel) {
    return ConformanceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
  }

  /**
   * Makes calls until each of {@code pids} has answered one; fails if a call fails, if another
   * server answers, or if {@value #WAIT_SECONDS} s pass. Returns the answers per pid.
   */
  static Map<Long, Integer> awaitEachOf(Set<Long> pids, Call call) throws Exception {
    Map<Long, Integer> seen = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!seen.keySet().containsAll(pids)) {
      assertTrue(System.nanoTime() < deadline, "answers within " + WAIT_SECONDS
          + " s came from " + seen + ", not from each of " + pids);
      long pid = call.serverPid();
      assertTrue(pids.contains(pid), "server " + pid + " answered, not one of " + pids);
      seen.merge(pid, 1, Integer::sum);
    }
    return seen;
  }
}
