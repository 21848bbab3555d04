package dev.plumb.benchmarks.driver;

import com.google.protobuf.ByteString;
import dev.plumb.benchmarks.proto.Chunk;
import dev.plumb.benchmarks.proto.ChunksRequest;
import dev.plumb.benchmarks.proto.DownloadGrpc;
import dev.plumb.benchmarks.proto.PrepareRequest;
import dev.plumb.benchmarks.proto.SharedData;
import dev.plumb.benchmarks.proto.SharedRequest;
import dev.plumb.shared.SharedBufferView;
import dev.plumb.shared.SharedBuffers;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The transfer row, one repetition: the client gets {@code transferBytes} of data that the
 * server made before anything is timed ({@code DownloadService}), in each of the
 * configuration's {@link DownloadWay}s, and checks every transfer: the CRC32C of the bytes it
 * received, in order, must equal the checksum the server took when it made them. Untimed
 * transfers come first, then the timed ones, the ways taking turns so that a noisy moment hits
 * them alike. A way's figure is the median of its timed transfers, in MiB/s.
 */
// "try": a Watchdog is held by try-with-resources only to be disarmed at the end of a transfer.
@SuppressWarnings("try")
final class DownloadBenchmark {
  /** The size of each streamed chunk. */
  static final int CHUNK = 256 * 1024;
  private static final double MIB = 1 << 20;
  private static final Duration PREPARE_LIMIT = Duration.ofSeconds(60);

  private final ManagedChannel channel;
  private final DownloadGrpc.DownloadBlockingStub blocking;
  private final DownloadGrpc.DownloadStub async;
  private final Settings settings;
  private final List<DownloadWay> ways;

  /**
   * @param channel what a hung transfer shuts down
   * @param calls the channel the calls go through (with the run's deadlines)
   */
  DownloadBenchmark(ManagedChannel channel, Channel calls, Settings settings,
      List<DownloadWay> ways) {
    this.channel = channel;
    this.blocking = DownloadGrpc.newBlockingStub(calls);
    this.async = DownloadGrpc.newStub(calls);
    this.settings = settings;
    this.ways = ways;
  }

  List<DownloadWay> ways() {
    return ways;
  }

  /** Has the server make its data, transfers it, and puts each way's figure into figures. */
  void run(Map<String, Double> figures) throws Exception {
    long expected = blocking.withDeadlineAfter(PREPARE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)
        .prepare(PrepareRequest.newBuilder().setBytes(settings.transferBytes()).build())
        .getCrc32C();
    for (int i = 0; i < settings.downloadWarmups(); i++) {
      for (DownloadWay way : ways) {
        transfer(way, expected, figures);
      }
    }
    Map<DownloadWay, List<Double>> timed = new EnumMap<>(DownloadWay.class);
    for (int i = 0; i < settings.downloads(); i++) {
      for (DownloadWay way : ways) {
        long nanos = transfer(way, expected, figures);
        timed.computeIfAbsent(way, w -> new ArrayList<>())
            .add(settings.transferBytes() / MIB / (nanos / 1e9));
      }
    }
    timed.forEach((way, rates) -> figures.put(Metrics.download(way), Results.median(rates)));
  }

  /** One checked transfer; returns how long it took, in nanoseconds. */
  private long transfer(DownloadWay way, long expected, Map<String, Double> figures)
      throws Exception {
    // Plumb never unmaps a mapping nor frees a received private copy itself: the garbage
    // collector does, once the client drops them. Collecting before each transfer, untimed,
    // lets go of the last one's, and starts every transfer of every way with an empty heap.
    System.gc();
    return way == DownloadWay.SHARED_BUFFER ? sharedBuffer(expected, figures) : chunks(expected);
  }

  /**
   * One unary call for the reference, then the buffer opened and checksummed in place: the time
   * includes the call, the mapping and the first touch of every page. 256 MiB fits one
   * {@code buffer()}; a larger transfer fails there, asking for windows.
   */
  private long sharedBuffer(long expected, Map<String, Double> figures) throws Exception {
    try (Watchdog watchdog = watch()) {
      long start = System.nanoTime();
      SharedData reply = blocking.shared(SharedRequest.getDefaultInstance());
      CRC32C received = new CRC32C();
      long length;
      boolean inPlace;
      try (SharedBufferView view = SharedBuffers.open(reply.getData())) {
        received.update(view.buffer());
        length = view.length();
        inPlace = view.isSharedMemory();
      }
      long nanos = System.nanoTime() - start;
      check(DownloadWay.SHARED_BUFFER, length, received.getValue(), expected);
      figures.put(Metrics.DOWNLOAD_IN_PLACE, inPlace ? 1.0 : 0.0);
      return nanos;
    }
  }

  /** One server-streaming call, each chunk checksummed as it arrives. */
  private long chunks(long expected) throws Exception {
    ChunkReceiver receiver = new ChunkReceiver();
    try (Watchdog watchdog = watch()) {
      long start = System.nanoTime();
      async.chunks(ChunksRequest.newBuilder().setChunkBytes(CHUNK).build(), receiver);
      try {
        receiver.done.get(limit().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the chunks call failed: " + e.getCause(), e.getCause());
      }
      long nanos = System.nanoTime() - start;
      check(DownloadWay.CHUNKS, receiver.bytes, receiver.crc.getValue(), expected);
      return nanos;
    }
  }

  private void check(DownloadWay way, long bytes, long crc, long expected) {
    if (bytes != settings.transferBytes() || crc != expected) {
      throw new IllegalStateException(String.format("%s: received %d bytes of CRC32C %08x, the "
          + "server made %d of %08x", way.label(), bytes, crc, settings.transferBytes(),
          expected));
    }
  }

  /** As long as a transfer at 10 MB/s would take, with the usual slack. */
  private Duration limit() {
    return Transfer.planned(settings.transferBytes()).plus(CallLoop.SLACK);
  }

  private Watchdog watch() {
    return Watchdog.arm(limit(), channel::shutdownNow);
  }

  /**
   * Checksums each chunk as it arrives, and drops it: the stub asks for the next message only
   * after this one's onNext, so gRPC's flow control bounds what waits in the client. gRPC calls
   * one call's observer serially; {@code done}'s completion publishes the fields to the thread
   * that waits for it.
   */
  private static final class ChunkReceiver extends CompletionObserver<Chunk> {
    final CRC32C crc = new CRC32C();
    long bytes;

    @Override
    public void onNext(Chunk chunk) {
      ByteString data = chunk.getData();
      for (ByteBuffer piece : data.asReadOnlyByteBufferList()) {
        crc.update(piece);
      }
      bytes += data.size();
    }
  }
}
