package dev.plumb.transport.unix;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.testing.Cleanup;
import dev.plumb.rpc.testing.ConformanceService;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Conformance servers for the access-control tests of {@code unix:} and {@code shm:}: each
 * records, per call, what the transport told the service about its caller, as
 * {@code "LOCAL PEER_CREDENTIALS REMOTE"} from the call's attributes.
 */
public final class CallerRecordingServers {
  private final Cleanup cleanup;
  private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

  /** @param cleanup closes the servers started here */
  public CallerRecordingServers(Cleanup cleanup) {
    this.cleanup = cleanup;
  }

  /** Starts a server at {@code address}; returns the address it is bound to. */
  public String serve(String address) throws IOException {
    ServerInterceptor record = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        PeerCredentials peer = call.getAttributes().get(PlumbAttributes.PEER_CREDENTIALS);
        seen.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR) + " " + peer + " "
            + call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        return next.startCall(call, headers);
      }
    };
    Server server = cleanup.add(PlumbServerBuilder.forAddress(address)
        .addService(ServerInterceptors.intercept(new ConformanceService(), record))
        .build().start());
    return server.getListenSockets().get(0).toString();
  }

  /** The next call's caller, waiting up to 10 s; null if no call came. */
  public String nextCaller() throws InterruptedException {
    return seen.poll(10, TimeUnit.SECONDS);
  }

  /** A caller recorded beyond those taken, or null. */
  public String unexpectedCaller() {
    return seen.poll();
  }
}
