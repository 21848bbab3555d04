package dev.plumb.rpc.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.plumb.rpc.frame.ProtocolException;
import io.grpc.InternalMetadata;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * gRPC {@link Metadata} to and from the {@code Headers} payload of HEADERS and TRAILERS
 * (wire.proto). Written by hand over protobuf's coded streams rather than through the generated
 * {@code Headers} message: the bytes are the same, without a message object, a builder, an
 * entry object and two {@code ByteString} copies per metadata entry on every call.
 * {@code MetadataCodecTest} holds it to the generated message both ways.
 */
final class MetadataCodec {
  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  /** Field numbers of {@code Headers} and {@code MetadataEntry}. */
  private static final int METHOD = 1;
  private static final int AUTHORITY = 2;
  private static final int METADATA = 3;
  private static final int KEY = 1;
  private static final int VALUE = 2;
  private static final byte[] EMPTY = new byte[0];

  /** A length-delimited field's tag as protobuf writes it: field number, then wire type. */
  private static int tag(int field) {
    return field << 3 | LENGTH_DELIMITED;
  }

  private MetadataCodec() {}

  /** What a HEADERS or TRAILERS payload carries; method and authority are "" if absent. */
  static final class Decoded {
    final String method;
    final String authority;
    final Metadata metadata;

    private Decoded(String method, String authority, Metadata metadata) {
      this.method = method;
      this.authority = authority;
      this.metadata = metadata;
    }
  }

  /** The payload for {@code metadata}, with the request's method and authority if not null. */
  static byte[] encode(String method, String authority, Metadata metadata) {
    byte[][] serialized = InternalMetadata.serialize(metadata);
    int size = stringSize(METHOD, method) + stringSize(AUTHORITY, authority);
    for (int i = 0; i < serialized.length; i += 2) {
      int entry = entrySize(serialized[i], serialized[i + 1]);
      size += CodedOutputStream.computeTagSize(METADATA)
          + CodedOutputStream.computeUInt32SizeNoTag(entry) + entry;
    }
    byte[] payload = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(payload);
    try {
      // As protobuf does for proto3 fields, empty strings and byte arrays are left out.
      if (method != null && !method.isEmpty()) {
        out.writeString(METHOD, method);
      }
      if (authority != null && !authority.isEmpty()) {
        out.writeString(AUTHORITY, authority);
      }
      for (int i = 0; i < serialized.length; i += 2) {
        out.writeTag(METADATA, LENGTH_DELIMITED);
        out.writeUInt32NoTag(entrySize(serialized[i], serialized[i + 1]));
        writeBytes(out, KEY, serialized[i]);
        writeBytes(out, VALUE, serialized[i + 1]);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("metadata payload sized wrongly", e);
    }
    return payload;
  }

  private static int stringSize(int field, String value) {
    return value == null || value.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, value);
  }

  private static int entrySize(byte[] key, byte[] value) {
    return bytesSize(KEY, key) + bytesSize(VALUE, value);
  }

  private static int bytesSize(int field, byte[] value) {
    return value.length == 0 ? 0 : CodedOutputStream.computeByteArraySize(field, value);
  }

  private static void writeBytes(CodedOutputStream out, int field, byte[] value)
      throws IOException {
    if (value.length > 0) {
      out.writeByteArray(field, value);
    }
  }

  /**
   * Parses a payload as protobuf parses {@code Headers} (unknown fields skipped, the last of a
   * repeated singular field kept, strings checked as UTF-8), and checks the metadata keys as
   * gRPC requires.
   */
  static Decoded decode(ByteBuffer payload) throws ProtocolException {
    CodedInputStream in = CodedInputStream.newInstance(payload);
    String method = "";
    String authority = "";
    byte[][] namesAndValues = new byte[8][];
    int entries = 0;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == tag(METHOD)) {
          method = in.readStringRequireUtf8();
        } else if (tag == tag(AUTHORITY)) {
          authority = in.readStringRequireUtf8();
        } else if (tag == tag(METADATA)) {
          if (2 * entries + 2 > namesAndValues.length) {
            namesAndValues = Arrays.copyOf(namesAndValues, 2 * namesAndValues.length);
          }
          readEntry(in, namesAndValues, 2 * entries++);
        } else {
          skip(in, tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw ProtocolException.malformed("malformed headers payload: " + e.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte buffer failed", e);
    }
    return new Decoded(method, authority, InternalMetadata.newMetadata(entries, namesAndValues));
  }

  /** One {@code MetadataEntry} into {@code namesAndValues[at]} and {@code [at + 1]}. */
  private static void readEntry(CodedInputStream in, byte[][] namesAndValues, int at)
      throws IOException, ProtocolException {
    int limit = in.pushLimit(in.readRawVarint32());
    byte[] key = EMPTY;
    byte[] value = EMPTY;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == tag(KEY)) {
        key = in.readByteArray();
      } else if (tag == tag(VALUE)) {
        value = in.readByteArray();
      } else {
        skip(in, tag);
      }
    }
    in.popLimit(limit);
    checkKey(key);
    namesAndValues[at] = key;
    namesAndValues[at + 1] = value;
  }

  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException("an end-group tag with no group open");
    }
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
