package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.shared.testing.Checksum;
import dev.plumb.shared.testing.ChecksumsGrpc;
import dev.plumb.shared.testing.Upload;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call over {@code mem:} (client and service in one process) whose request names a shared
 * buffer: stock stubs and a stock service, the message type imported from
 * {@code plumb/shared_bytes.proto}; the service reads the client's pages in place.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InProcessCallTest {
  /** Answers the CRC32C of the request's buffer, read in place. */
  private static final class ChecksumService extends ChecksumsGrpc.ChecksumsImplBase {
    @Override
    public void sum(Upload request, StreamObserver<Checksum> response) {
      try (SharedBufferView view = SharedBuffers.open(request.getData())) {
        CRC32C crc = new CRC32C();
        crc.update(view.buffer());
        response.onNext(Checksum.newBuilder().setCrc32C(crc.getValue())
            .setSharedMemory(view.isSharedMemory()).build());
        response.onCompleted();
      } catch (IOException | IllegalArgumentException e) {
        response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage())
            .asRuntimeException());
      }
    }
  }

  @Test
  void aServiceInTheSameProcessReadsTheCallersBufferInPlace() throws Exception {
    Server server = PlumbServerBuilder.forAddress("mem:shared-checksums")
        .addService(new ChecksumService()).build().start();
    ManagedChannel channel = PlumbChannelBuilder.forTarget("mem:shared-checksums").build();
    try {
      ChecksumsGrpc.ChecksumsBlockingStub stub = ChecksumsGrpc.newBlockingStub(channel);
      byte[] bytes = new byte[4 << 20];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (i ^ (i >>> 8));
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      try (SharedBuffer buffer = SharedBuffer.allocate(bytes.length)) {
        buffer.write(0, ByteBuffer.wrap(bytes));
        Upload upload = Upload.newBuilder().setName("four MiB").setData(buffer.seal()).build();
        Checksum answer = stub.sum(upload);
        assertEquals(crc.getValue(), answer.getCrc32C());
        assertTrue(answer.getSharedMemory());
      }
      // Closed by its sender before the call: the service is told so, not handed other bytes.
      Upload closed;
      try (SharedBuffer buffer = SharedBuffer.allocate(16)) {
        closed = Upload.newBuilder().setName("closed").setData(buffer.seal()).build();
      }
      StatusRuntimeException gone =
          assertThrows(StatusRuntimeException.class, () -> stub.sum(closed));
      assertEquals(Status.Code.INVALID_ARGUMENT, gone.getStatus().getCode());
      assertTrue(gone.getStatus().getDescription().contains("is open in this process"),
          gone.getStatus().getDescription());
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
