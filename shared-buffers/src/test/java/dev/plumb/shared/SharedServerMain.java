package dev.plumb.shared;

import dev.plumb.childjvm.ParentPipe;
import dev.plumb.childjvm.ServerProcess;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.shared.testing.Checksum;
import dev.plumb.shared.testing.ChecksumsGrpc;
import dev.plumb.shared.testing.MakeRequest;
import dev.plumb.shared.testing.Upload;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * A server in a process of its own whose stock service reads and makes shared buffers
 * ({@code Checksums}): {@code SharedServerMain <listen address> [max attached bytes per
 * call]}; prints {@code READY <address>} once serving and exits when its stdin ends; as
 * {@code stdio:}, the child of a {@code pipe:} channel, it serves its parent on stdin and
 * stdout.
 */
public final class SharedServerMain {
  private SharedServerMain() {}

  /** The byte at {@code index} of a buffer made from {@code seed}. */
  static byte byteAt(int seed, long index) {
    return (byte) (index * 31 + (index >>> 12) + seed);
  }

  /** Fills {@code buffer} from {@code seed}, sealed, as {@link #byteAt} says. */
  static SharedBuffer filled(long size, int seed) throws IOException {
    SharedBuffer buffer = SharedBuffer.allocate(size);
    try (OutputStream out = buffer.outputStream()) {
      byte[] chunk = new byte[64 * 1024];
      for (long at = 0; at < size; at += chunk.length) {
        int length = (int) Math.min(chunk.length, size - at);
        for (int i = 0; i < length; i++) {
          chunk[i] = byteAt(seed, at + i);
        }
        out.write(chunk, 0, length);
      }
    }
    buffer.seal();
    return buffer;
  }

  /** The CRC32C of a buffer {@link #filled} from {@code seed}. */
  static long checksumOf(long size, int seed) throws IOException {
    try (SharedBuffer buffer = filled(size, seed); SharedBufferView view =
        SharedBuffers.open(buffer.seal())) {
      return crcOf(view, new CRC32C());
    }
  }

  static long crcOf(SharedBufferView view, CRC32C crc) {
    crc.update(view.buffer());
    return crc.getValue();
  }

  static final class ChecksumService extends ChecksumsGrpc.ChecksumsImplBase {
    @Override
    public void sum(Upload request, StreamObserver<Checksum> response) {
      try (SharedBufferView view = SharedBuffers.open(request.getData())) {
        response.onNext(Checksum.newBuilder().setCrc32C(crcOf(view, new CRC32C()))
            .setSharedMemory(view.isSharedMemory()).build());
        response.onCompleted();
      } catch (IOException | RuntimeException e) {
        response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage())
            .asRuntimeException());
      }
    }

    @Override
    public StreamObserver<Upload> sumAll(StreamObserver<Checksum> response) {
      return new StreamObserver<>() {
        private final CRC32C crc = new CRC32C();
        private boolean sharedMemory = true;

        @Override
        public void onNext(Upload request) {
          try (SharedBufferView view = SharedBuffers.open(request.getData())) {
            crcOf(view, crc);
            sharedMemory &= view.isSharedMemory();
          } catch (IOException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          response.onNext(Checksum.newBuilder().setCrc32C(crc.getValue())
              .setSharedMemory(sharedMemory).build());
          response.onCompleted();
        }
      };
    }

    @Override
    public void make(MakeRequest request, StreamObserver<Upload> response) {
      makeMany(request.toBuilder().setCount(1).build(), response);
    }

    @Override
    public void makeMany(MakeRequest request, StreamObserver<Upload> response) {
      try {
        for (int i = 0; i < request.getCount(); i++) {
          // Closed at once: the call holds a descriptor of its own until it ends.
          try (SharedBuffer buffer = filled(request.getSize(), request.getSeed() + i)) {
            response.onNext(Upload.newBuilder().setName("made " + i).setData(buffer.seal())
                .build());
          }
        }
        response.onCompleted();
      } catch (IOException e) {
        response.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
      }
    }
  }

  /**
   * Fails the first call that carries a {@link #FAIL_ONCE} header of each value with
   * UNAVAILABLE before it reads the request: a retried call's first attempt, whose request
   * (and its buffer) the service never sees.
   */
  static final class FailOnce implements ServerInterceptor {
    static final Metadata.Key<String> FAIL_ONCE =
        Metadata.Key.of("fail-once", Metadata.ASCII_STRING_MARSHALLER);
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String key = headers.get(FAIL_ONCE);
      if (key != null && seen.add(key)) {
        call.close(Status.UNAVAILABLE.withDescription("first attempt fails"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  public static void main(String[] args) throws Exception {
    PlumbServerBuilder builder = PlumbServerBuilder.forAddress(args[0])
        .addService(ServerInterceptors.intercept(new ChecksumService(), new FailOnce()));
    if (args.length > 1) {
      builder.maxAttachedBytesPerCall(Long.parseLong(args[1]));
    }
    Server server = builder.build().start();
    if (args[0].startsWith("stdio:")) {
      // A pipe: client's child: stdin and stdout carry the protocol, and the transport ends
      // this process when the parent closes stdin.
      server.awaitTermination();
      return;
    }
    System.out.println(ServerProcess.READY + server.getListenSockets().get(0));
    System.out.flush();
    ParentPipe.awaitEndOfInput(System.in);
    server.shutdownNow();
    System.exit(0);
  }
}
