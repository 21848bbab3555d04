package dev.plumb.examples.identity;

import dev.plumb.rpc.PeerCredentials;
import dev.plumb.rpc.PlumbAttributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client interceptor that notes the process id of every server that answered a call on its
 * channel, from the call's transport attributes ({@link PlumbAttributes#PEER_CREDENTIALS}), on
 * transports that know it. Over {@code pipe:} that is the child the channel started, so a
 * second pid means the channel had to start the server again.
 */
public final class PeerPids implements ClientInterceptor {
  private final Set<Long> pids = new LinkedHashSet<>();
  private volatile long last = -1;

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions, Channel next) {
    return new SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        ClientCall<ReqT, RespT> call = this;
        super.start(new SimpleForwardingClientCallListener<>(responseListener) {
          @Override
          public void onHeaders(Metadata headers) {
            note(call);
            super.onHeaders(headers);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            note(call);
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }

  private void note(ClientCall<?, ?> call) {
    PeerCredentials peer = call.getAttributes().get(PlumbAttributes.PEER_CREDENTIALS);
    if (peer == null || peer.pid().isEmpty()) {
      return;
    }
    long pid = peer.pid().getAsLong();
    if (pid != last) {
      synchronized (pids) {
        pids.add(pid);
      }
      last = pid;
    }
  }

  /** Every pid seen, in the order first seen. */
  public List<Long> all() {
    synchronized (pids) {
      return List.copyOf(pids);
    }
  }

  /**
   * Waits until every process seen has exited, at most {@code timeout} in all, and returns
   * those still running (none, normally: over {@code pipe:}, a child exits once its channel
   * has shut down).
   */
  public List<Long> awaitExit(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Long> running = new ArrayList<>();
    for (long pid : all()) {
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isEmpty()) {
        continue;
      }
      try {
        process.get().onExit().get(Math.max(0, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        running.add(pid);
      }
    }
    return running;
  }

  /** The first pid seen, or -1 if none was. */
  public long first() {
    List<Long> all = all();
    return all.isEmpty() ? -1 : all.get(0);
  }
}
