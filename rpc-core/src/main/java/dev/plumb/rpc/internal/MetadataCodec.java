package dev.plumb.rpc.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.plumb.proto.wire.Headers;
import dev.plumb.proto.wire.MetadataEntry;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.InternalMetadata;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.util.List;

/** gRPC {@link Metadata} to and from the {@code Headers} payload of HEADERS and TRAILERS. */
final class MetadataCodec {
  private MetadataCodec() {}

  static byte[] encode(String method, String authority, Metadata metadata) {
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
    return headers.build().toByteArray();
  }

  static Headers parse(ByteBuffer payload) throws ProtocolException {
    try {
      return Headers.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw ProtocolException.malformed("malformed headers payload: " + e.getMessage());
    }
  }

  /** The metadata of a parsed payload; keys are checked as gRPC requires. */
  static Metadata toMetadata(Headers headers) throws ProtocolException {
    List<MetadataEntry> entries = headers.getMetadataList();
    byte[][] namesAndValues = new byte[entries.size() * 2][];
    int i = 0;
    for (MetadataEntry entry : entries) {
      byte[] key = entry.getKey().toByteArray();
      checkKey(key);
      namesAndValues[i++] = key;
      namesAndValues[i++] = entry.getValue().toByteArray();
    }
    return InternalMetadata.newMetadata(entries.size(), namesAndValues);
  }

  /**
   * The status carried by trailers, removing its keys from them. A missing grpc-status is an
   * error of the peer, reported as gRPC does over HTTP/2.
   */
  static Status takeStatus(Metadata trailers) {
    Status status = trailers.get(InternalStatus.CODE_KEY);
    String message = trailers.get(InternalStatus.MESSAGE_KEY);
    trailers.discardAll(InternalStatus.CODE_KEY);
    trailers.discardAll(InternalStatus.MESSAGE_KEY);
    if (status == null) {
      return Status.UNKNOWN.withDescription("trailers carry no grpc-status");
    }
    return message == null ? status : status.withDescription(message);
  }

  private static void checkKey(byte[] key) throws ProtocolException {
    if (key.length == 0) {
      throw ProtocolException.malformed("empty metadata key");
    }
    for (byte b : key) {
      boolean ok = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_'
          || b == '.';
      if (!ok) {
        throw ProtocolException.malformed(String.format(
            "metadata key with byte 0x%02x; keys are lower-case [a-z0-9._-]", b & 0xff));
      }
    }
  }
}
