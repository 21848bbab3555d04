package dev.plumb.shared;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.shared.testing.ChecksumsGrpc;
import dev.plumb.shared.testing.Upload;
import io.grpc.ManagedChannel;

/**
 * A client in a process of its own that sends one large shared buffer and waits for the answer
 * ({@code UploadClientMain <target> <bytes>}): prints {@code SENDING} just before the call, for
 * a test that kills it while the buffer is in flight.
 */
public final class UploadClientMain {
  private UploadClientMain() {}

  public static void main(String[] args) throws Exception {
    ManagedChannel channel = PlumbChannelBuilder.forTarget(args[0]).build();
    try (SharedBuffer buffer = SharedServerMain.filled(Long.parseLong(args[1]), 9)) {
      System.out.println("SENDING");
      System.out.flush();
      ChecksumsGrpc.newBlockingStub(channel)
          .sum(Upload.newBuilder().setName("killed").setData(buffer.seal()).build());
    }
    System.exit(0);
  }
}
