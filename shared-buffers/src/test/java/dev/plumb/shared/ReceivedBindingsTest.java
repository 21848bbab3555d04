package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.rpc.attach.ReceivedAttachment;
import dev.plumb.shared.proto.SharedBytes;
import dev.plumb.shared.testing.Batch;
import dev.plumb.shared.testing.Upload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How long a received buffer stays open: as long as the reference that names it, whether or
 * not the application still holds the message that brought it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceivedBindingsTest {
  private static final int LENGTH = 16;

  @Test
  void aReferenceKeptWithoutItsMessageStillOpensAndGoesWithTheReference() throws Exception {
    byte[] token = token();
    Upload message = Upload.newBuilder().setName("loan").setData(reference(token)).build();
    ReceivedBindings.bind(message, List.of(attachment(token, 7)));
    SharedBytes reference = message.getData();
    WeakReference<Upload> messageGone = new WeakReference<>(message);
    message = null;
    Collected.await(() -> messageGone.get() == null, "the message was never collected");
    // A binding made after the message went, on an object that goes now: once the cleaner has
    // closed it, one bound to the message would most likely have gone too (the cleaner's order
    // is not promised; without binding to the reference this test failed every time).
    byte[] canaryToken = token();
    Object canary = new Object();
    ReceivedBindings.bind(canary, List.of(attachment(canaryToken, 9)));
    canary = null;
    Collected.await(() -> ReceivedBindings.find(ByteString.copyFrom(canaryToken)).isEmpty(),
        "the canary's binding never went");

    assertEquals(7, firstByte(reference));

    WeakReference<SharedBytes> referenceGone = new WeakReference<>(reference);
    reference = null;
    Collected.await(() -> referenceGone.get() == null
        && ReceivedBindings.find(ByteString.copyFrom(token)).isEmpty(),
        "the binding outlived its reference");
  }

  @Test
  void aBufferNamedTwiceInOneMessageBindsEachArrivalToItsOwnReference() throws Exception {
    byte[] token = token();
    // Equal references, but two objects, as each field holds its own once parsed; only the
    // message holds them.
    Batch batch = Batch.newBuilder()
        .addUploads(Upload.newBuilder().setName("first").setData(reference(token)))
        .addUploads(Upload.newBuilder().setName("second").setData(reference(token)))
        .build();
    ReceivedBindings.bind(batch, List.of(attachment(token, 1), attachment(token, 2)));
    SharedBytes second = batch.getUploads(1).getData();
    batch = null;
    // The first arrival goes with the first reference, the message with it; the second stays.
    Collected.await(() -> firstByte(second) == 2, "the first arrival's binding never went");
  }

  @Test
  void anArrivalClosedBetweenTheLookUpAndTheOpenLeavesTheNextOneToServe() throws Exception {
    byte[] token = token();
    SharedBytes earlier = reference(token);
    SharedBytes later = reference(token);
    ReceivedAttachment first = attachment(token, 4);
    ReceivedBindings.bind(earlier, List.of(first));
    ReceivedBindings.bind(later, List.of(attachment(token, 5)));
    // As the cleaner does once the earlier reference is garbage, between a look-up and an open.
    ((ReceivedSegment) first.content()).close();
    assertEquals(5, firstByte(later));
    // The earlier reference lives to here, so the cleaner leaves its binding alone.
    Reference.reachabilityFence(earlier);
  }

  @Test
  void anAttachmentNoReferenceNamesIsBoundToItsMessage() throws Exception {
    byte[] token = token();
    Object message = new Object();
    ReceivedBindings.bind(message, List.of(attachment(token, 3)));
    SharedBytes unnamed = reference(token);
    assertEquals(3, firstByte(unnamed));
    message = null;
    Collected.await(() -> ReceivedBindings.find(unnamed.getToken()).isEmpty(),
        "the binding outlived its message");
  }

  @Test
  void anUnboundTokenDoesNotOpen() {
    SharedBytes reference = reference(token());
    assertTrue(ReceivedBindings.find(reference.getToken()).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> SharedBuffers.open(reference));
  }

  /** A sealed private copy of {@link #LENGTH} bytes, each {@code fill}, as it arrived. */
  private static ReceivedAttachment attachment(byte[] token, int fill) throws IOException {
    PrivateCopy copy = PrivateCopy.of(LENGTH);
    byte[] bytes = new byte[LENGTH];
    Arrays.fill(bytes, (byte) fill);
    copy.append(ByteBuffer.wrap(bytes));
    return new ReceivedAttachment(token, LENGTH, copy.finish());
  }

  /** The first byte of the buffer {@code reference} opens to here. */
  private static int firstByte(SharedBytes reference) {
    try (SharedBufferView view = SharedBuffers.open(reference)) {
      return view.buffer().get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SharedBytes reference(byte[] token) {
    return SharedBytes.newBuilder().setToken(ByteString.copyFrom(token)).setLength(LENGTH)
        .build();
  }

  private static byte[] token() {
    byte[] token = new byte[LocalSegments.TOKEN_LENGTH];
    ThreadLocalRandom.current().nextBytes(token);
    return token;
  }
}
