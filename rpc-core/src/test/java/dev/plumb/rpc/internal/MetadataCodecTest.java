package dev.plumb.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.wire.Headers;
import dev.plumb.proto.wire.MetadataEntry;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The hand-written codec against the generated {@code Headers} message of wire.proto. */
class MetadataCodecTest {
  private static Metadata sample() {
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("x-text", Metadata.ASCII_STRING_MARSHALLER), "hello");
    metadata.put(Metadata.Key.of("x-text", Metadata.ASCII_STRING_MARSHALLER), "again");
    metadata.put(Metadata.Key.of("x-empty", Metadata.ASCII_STRING_MARSHALLER), "");
    metadata.put(Metadata.Key.of("x-data-bin", Metadata.BINARY_BYTE_MARSHALLER),
        new byte[] {0, (byte) 0xff, 7});
    return metadata;
  }

  /** What the generated message makes of the same content. */
  private static Headers generated(String method, String authority, Metadata metadata) {
    Headers.Builder headers = Headers.newBuilder();
    if (method != null) {
      headers.setMethod(method);
    }
    if (authority != null) {
      headers.setAuthority(authority);
    }
    byte[][] serialized = InternalMetadata.serialize(metadata);
    for (int i = 0; i < serialized.length; i += 2) {
      headers.addMetadata(MetadataEntry.newBuilder()
          .setKey(ByteString.copyFrom(serialized[i]))
          .setValue(ByteString.copyFrom(serialized[i + 1])));
    }
    return headers.build();
  }

  @Test
  void encodesTheBytesTheGeneratedMessageWrites() {
    String method = "plumb.testing.v1.Conformance/Unäry";
    assertArrayEquals(generated(method, "localhost", sample()).toByteArray(),
        MetadataCodec.encode(method, "localhost", sample()));
    assertArrayEquals(generated(null, null, sample()).toByteArray(),
        MetadataCodec.encode(null, null, sample()));
    assertArrayEquals(new byte[0], MetadataCodec.encode(null, "", new Metadata()));
  }

  @Test
  void decodesWhatTheGeneratedMessageWritesSkippingUnknownFields() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    generated("svc/M", "host:1", sample()).writeTo(bytes);
    // Field 9 as a varint and field 10 length-delimited: unknown to this version, skipped.
    bytes.write(new byte[] {9 << 3, 42, 10 << 3 | 2, 2, 'h', 'i'});
    MetadataCodec.Decoded decoded = MetadataCodec.decode(ByteBuffer.wrap(bytes.toByteArray()));
    assertEquals("svc/M", decoded.method);
    assertEquals("host:1", decoded.authority);
    assertTrue(Arrays.deepEquals(InternalMetadata.serialize(sample()),
        InternalMetadata.serialize(decoded.metadata)));

    MetadataCodec.Decoded empty = MetadataCodec.decode(ByteBuffer.allocate(0));
    assertEquals("", empty.method);
    assertEquals(0, empty.metadata.keys().size());
  }

  @Test
  void decodesManyEntries() throws Exception {
    Metadata many = new Metadata();
    for (int i = 0; i < 100; i++) {
      many.put(Metadata.Key.of("k" + i, Metadata.ASCII_STRING_MARSHALLER), "v" + i);
    }
    Metadata decoded = MetadataCodec.decode(
        ByteBuffer.wrap(MetadataCodec.encode(null, null, many))).metadata;
    assertTrue(Arrays.deepEquals(InternalMetadata.serialize(many),
        InternalMetadata.serialize(decoded)));
  }

  @Test
  void rejectsMalformedPayloadsNamingTheProblem() {
    byte[] whole = MetadataCodec.encode("svc/M", null, sample());
    assertMalformed(Arrays.copyOf(whole, whole.length - 1), "malformed headers payload");
    // The method as invalid UTF-8.
    assertMalformed(new byte[] {1 << 3 | 2, 2, (byte) 0xc3, 0x28}, "UTF-8");
    // An end-group tag with no group open.
    assertMalformed(new byte[] {4 << 3 | 4}, "end-group");
    // An entry whose key is upper case, and one with no key.
    byte[] upper = Headers.newBuilder().addMetadata(MetadataEntry.newBuilder()
        .setKey(ByteString.copyFrom("X-Bad", StandardCharsets.US_ASCII))).build().toByteArray();
    assertMalformed(upper, "keys are lower-case");
    byte[] keyless = Headers.newBuilder().addMetadata(MetadataEntry.newBuilder()
        .setValue(ByteString.copyFromUtf8("v"))).build().toByteArray();
    assertMalformed(keyless, "empty metadata key");
  }

  private static void assertMalformed(byte[] payload, String expected) {
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> MetadataCodec.decode(ByteBuffer.wrap(payload)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
