package dev.plumb.benchmarks.server;

import com.google.protobuf.ByteString;
import dev.plumb.benchmarks.proto.Chunk;
import dev.plumb.rpc.PlumbServerBuilder;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;

/**
 * A Plumb server whose {@link DownloadService} sends every chunk with one bit flipped, as a
 * transfer that damaged the data would deliver it: {@code CorruptingServerMain URI}. Prints
 * {@code READY <address>} once serving and exits when its stdin ends.
 */
public final class CorruptingServerMain {
  private CorruptingServerMain() {}

  public static void main(String[] args) throws Exception {
    Server server = PlumbServerBuilder.forAddress(args[0])
        .addService(ServerInterceptors.intercept(new DownloadService(), new FlipBit()))
        .build().start();
    System.out.println(EchoServerMain.READY + server.getListenSockets().get(0));
    System.out.flush();
    EchoServerMain.awaitEndOfInput(System.in);
    server.shutdownNow();
    System.exit(0);
  }

  /** Flips the lowest bit of each chunk's first byte. */
  private static final class FlipBit implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      return next.startCall(new SimpleForwardingServerCall<>(call) {
        @Override
        @SuppressWarnings("unchecked")
        public void sendMessage(RespT message) {
          super.sendMessage(message instanceof Chunk chunk ? (RespT) flipped(chunk) : message);
        }
      }, headers);
    }

    private static Chunk flipped(Chunk chunk) {
      byte[] bytes = chunk.getData().toByteArray();
      bytes[0] ^= 1;
      return Chunk.newBuilder().setData(ByteString.copyFrom(bytes)).build();
    }
  }
}
