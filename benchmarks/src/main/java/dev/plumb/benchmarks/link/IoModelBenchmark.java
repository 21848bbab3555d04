package dev.plumb.benchmarks.link;

import dev.plumb.rpc.frame.Frame;
import dev.plumb.rpc.frame.FrameCodec;
import dev.plumb.rpc.frame.FrameDecoder;
import dev.plumb.rpc.frame.FrameType;
import dev.plumb.rpc.frame.Preface;
import dev.plumb.rpc.frame.ProtocolException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * Not a test: the measurement behind the unix: transport's I/O model (docs/TRANSPORTS.md,
 * "I/O model: measured"). A unary-like ping-pong of small frames over one Unix socket, in one
 * JVM, with the two candidates measured in the same run, in alternating rounds:
 *
 * <ul>
 *   <li>(a) {@code unix:} itself: blocking junixsocket streams under the core's
 *       {@code BlockingStreamConnection}, a reader and a writer thread per end;</li>
 *   <li>(b) Netty NIO on junixsocket's selector provider (AFUNIXSelectorProvider), one event
 *       loop per end, frames coded with the core's codec.</li>
 * </ul>
 *
 * <p>In both, the client's calling thread writes a 64-byte DATA frame, the server echoes it, and
 * the calling thread blocks until the echo is handed over by the transport's thread: the same
 * wait strategy on both sides. Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -DskipTests -pl benchmarks -am package
 * java -cp benchmarks/target/benchmarks.jar dev.plumb.benchmarks.link.IoModelBenchmark
 * </pre>
 */
public final class IoModelBenchmark {
  private static final int PAYLOAD = 64;
  private static final int WARMUP = 20_000;
  private static final int TIMED = 6_000;
  private static final int ROUNDS = 10;

  private IoModelBenchmark() {}

  /** One client end: sends a frame, then waits for its echo. */
  interface PingPong extends AutoCloseable {
    void roundTrip() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("plumb-io-");
    try (PingPong blocking = blocking(dir.resolve("a.sock"));
        PingPong netty = netty(dir.resolve("b.sock"))) {
      run(blocking, WARMUP);
      run(netty, WARMUP);
      long[] allBlocking = new long[0];
      long[] allNetty = new long[0];
      for (int round = 1; round <= ROUNDS; round++) {
        long[] a = run(blocking, TIMED);
        long[] b = run(netty, TIMED);
        System.out.printf("round %d: (a) blocking streams p50 %6.1f µs   (b) Netty NIO p50 %6.1f µs%n",
            round, percentile(a, 50), percentile(b, 50));
        allBlocking = concat(allBlocking, a);
        allNetty = concat(allNetty, b);
      }
      System.out.printf("all rounds, %d round trips each:%n", allBlocking.length);
      System.out.printf("  (a) blocking streams + BlockingStreamConnection: p50 %6.1f µs, p90 %6.1f,"
          + " p99 %6.1f%n", percentile(allBlocking, 50), percentile(allBlocking, 90),
          percentile(allBlocking, 99));
      System.out.printf("  (b) Netty NIO + AFUNIXSelectorProvider:          p50 %6.1f µs, p90 %6.1f,"
          + " p99 %6.1f%n", percentile(allNetty, 50), percentile(allNetty, 90),
          percentile(allNetty, 99));
    } finally {
      try (var files = Files.list(dir)) {
        files.forEach(file -> file.toFile().delete());
      }
      Files.deleteIfExists(dir);
    }
    System.exit(0);
  }

  private static long[] run(PingPong pingPong, int count) throws Exception {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      pingPong.roundTrip();
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }

  private static double percentile(long[] nanos, int percent) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1000.0;
  }

  private static long[] concat(long[] a, long[] b) {
    long[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static Frame ping() {
    return Frame.of(FrameType.DATA, 0, 1, new byte[PAYLOAD]);
  }

  // ---- (a) unix: (blocking streams) ----------------------------------------------------------

  private static PingPong blocking(Path path) throws Exception {
    LinkPair link = LinkPair.open("unix://" + path);
    link.server.start(new FrameCallback(frame -> {
      link.server.write(frame);
      link.server.flush();
    }));
    BlockingQueue<Frame> echoes = new ArrayBlockingQueue<>(1);
    link.client.start(new FrameCallback(echoes::add));
    return new PingPong() {
      @Override
      public void roundTrip() throws Exception {
        link.client.write(ping());
        link.client.flush();
        echoes.take();
      }

      @Override
      public void close() {
        link.close();
      }
    };
  }

  // ---- (b) Netty NIO over junixsocket's selector provider ------------------------------------

  private static PingPong netty(Path path) throws Exception {
    EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("bench-nio", true),
        AFUNIXSelectorProvider.provider());
    Channel server = new ServerBootstrap().group(group)
        .channelFactory(() -> new NioServerSocketChannel(AFUNIXSelectorProvider.provider()))
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(new FrameHandler((ctx, frame) -> ctx.write(encode(frame))));
          }
        })
        .bind(AFUNIXSocketAddress.of(path)).sync().channel();
    BlockingQueue<Frame> echoes = new ArrayBlockingQueue<>(1);
    // Connected before it meets the event loop: registered unconnected, a junixsocket channel
    // can be polled before Netty connects it, and the kernel reports an unconnected stream
    // socket as hung up (POLLHUP), which junixsocket's selector turns into an invalid key and
    // Netty into a closed channel (seen in about one run of three).
    Channel client = new NioSocketChannel(AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(path)));
    client.pipeline().addLast(new FrameHandler((ctx, frame) -> echoes.add(frame)));
    group.register(client).sync();
    return new PingPong() {
      @Override
      public void roundTrip() throws Exception {
        client.writeAndFlush(encode(ping()));
        echoes.take();
      }

      @Override
      public void close() throws Exception {
        client.close().sync();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      }
    };
  }

  private static ByteBuf encode(Frame frame) {
    return Unpooled.wrappedBuffer(FrameCodec.encode(frame));
  }

  /** Sends the preface, decodes frames with the core's decoder, flushes after each read. */
  private static final class FrameHandler extends ChannelInboundHandlerAdapter {
    private final java.util.function.BiConsumer<ChannelHandlerContext, Frame> onFrame;
    private final FrameDecoder decoder = new FrameDecoder(64 * 1024, true);

    FrameHandler(java.util.function.BiConsumer<ChannelHandlerContext, Frame> onFrame) {
      this.onFrame = onFrame;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(Preface.bytes()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws ProtocolException {
      ByteBuf buf = (ByteBuf) msg;
      try {
        ByteBuffer bytes = ByteBuffer.allocate(buf.readableBytes());
        buf.readBytes(bytes);
        decoder.decode(bytes.flip(), frame -> onFrame.accept(ctx, frame));
      } finally {
        buf.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
