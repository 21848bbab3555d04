package dev.plumb.transport.grpc;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The epoll event loops of a server's {@code grpc+unix:} listeners. grpc-netty serves a Unix
 * socket only on event loops and a channel type given together, and it does not own loops it
 * is given: these are shut down once the servers that use them have terminated, by a thread
 * started at the server's shutdown, which {@link #awaitClosed} waits for. Their threads are
 * daemons, so a server that is never shut down does not keep the JVM alive.
 */
final class UnixEventLoops {
  private static final long QUIET_MILLIS = 0;
  private static final long CLOSE_TIMEOUT_MILLIS = 2000;

  private final EventLoopGroup boss = new EpollEventLoopGroup(1,
      new DefaultThreadFactory("plumb-grpc-unix-boss", true));
  private final EventLoopGroup workers = new EpollEventLoopGroup(0,
      new DefaultThreadFactory("plumb-grpc-unix-worker", true));
  /** Guarded by this: started once, at the first shutdown. */
  private Thread closer;

  /** Has {@code builder} serve its Unix socket on these loops. */
  void use(NettyServerBuilder builder) {
    builder.channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        // grpc-netty asks every accepted channel for TCP keep-alive, which a Unix socket has
        // not: Netty would log a warning per connection. A null value removes the option.
        .withChildOption(ChannelOption.SO_KEEPALIVE, null);
  }

  /** Shuts the loops down once every one of {@code servers} has terminated. Idempotent. */
  synchronized void closeAfter(List<Server> servers) {
    if (closer != null) {
      return;
    }
    closer = new Thread(() -> {
      try {
        for (Server server : servers) {
          server.awaitTermination();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      boss.shutdownGracefully(QUIET_MILLIS, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(QUIET_MILLIS, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }, "plumb-grpc-unix-loops-closer");
    closer.setDaemon(true);
    closer.start();
  }

  /** Whether the loops are shut down. */
  boolean isClosed() {
    return boss.isTerminated() && workers.isTerminated();
  }

  /** Waits up to {@code timeout} for the loops to be shut down; whether they are. */
  boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
    // At most a century: a deadline that cannot overflow.
    long nanos = Math.min(unit.toNanos(timeout), TimeUnit.DAYS.toNanos(36500));
    long deadline = System.nanoTime() + nanos;
    Thread thread;
    synchronized (this) {
      thread = closer;
    }
    if (thread == null) {
      return false;
    }
    TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(0, nanos));
    return boss.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        && workers.awaitTermination(Math.max(0, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS);
  }
}
