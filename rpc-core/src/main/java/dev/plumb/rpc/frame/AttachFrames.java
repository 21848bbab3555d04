package dev.plumb.rpc.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Building and reading ATTACH payloads (docs/PROTOCOL.md, "Attachments"):
 *
 * <pre>
 * u32  message index   the message's place among the sender's messages on the stream, from 0
 * u8   count           entries that follow, at least 1
 * per entry:
 *   16 bytes token
 *   u64      length
 *   u8       mode      0: its descriptor travels beside this frame, in order;
 *                      1: its bytes follow inline in ATTACH_DATA frames
 * </pre>
 */
public final class AttachFrames {
  public static final int TOKEN_LENGTH = 16;
  /** Entries one ATTACH carries at most: its count is one byte. */
  public static final int MAX_ENTRIES = 255;
  public static final int MODE_DESCRIPTOR = 0;
  public static final int MODE_INLINE = 1;

  private static final int PREFIX_LENGTH = 5;
  private static final int ENTRY_LENGTH = TOKEN_LENGTH + 8 + 1;

  private AttachFrames() {}

  /** One attachment as an ATTACH names it. */
  public static final class Entry {
    private final byte[] token;
    private final long length;
    private final int mode;

    public Entry(byte[] token, long length, int mode) {
      if (token.length != TOKEN_LENGTH) {
        throw new IllegalArgumentException("token of " + token.length + " bytes");
      }
      this.token = token;
      this.length = length;
      this.mode = mode;
    }

    public byte[] token() {
      return token.clone();
    }

    public long length() {
      return length;
    }

    public boolean inline() {
      return mode == MODE_INLINE;
    }
  }

  /** What an ATTACH says. */
  public static final class Attach {
    private final int messageIndex;
    private final List<Entry> entries;

    Attach(int messageIndex, List<Entry> entries) {
      this.messageIndex = messageIndex;
      this.entries = entries;
    }

    public int messageIndex() {
      return messageIndex;
    }

    public List<Entry> entries() {
      return entries;
    }

    /** How many entries travel as descriptors. */
    public int descriptors() {
      return (int) entries.stream().filter(entry -> !entry.inline()).count();
    }
  }

  /** An ATTACH for the sender's message {@code messageIndex} (the stream id is set on send). */
  public static Frame attach(int streamId, int messageIndex, List<Entry> entries) {
    if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("an ATTACH names 1 to " + MAX_ENTRIES
          + " attachments, not " + entries.size());
    }
    ByteBuffer payload = ByteBuffer.allocate(PREFIX_LENGTH + entries.size() * ENTRY_LENGTH);
    payload.putInt(messageIndex).put((byte) entries.size());
    for (Entry entry : entries) {
      payload.put(entry.token).putLong(entry.length).put((byte) entry.mode);
    }
    return Frame.of(FrameType.ATTACH, 0, streamId, payload.flip());
  }

  /**
   * Reads an ATTACH.
   *
   * @throws ProtocolException if its length does not match its count, the count is 0, a
   *     length reads as negative (above 2^63-1), or a mode is unknown
   */
  public static Attach parse(Frame frame) throws ProtocolException {
    ByteBuffer payload = frame.payload().duplicate();
    if (payload.remaining() < PREFIX_LENGTH) {
      throw ProtocolException.malformed("ATTACH of " + payload.remaining()
          + " bytes, shorter than its " + PREFIX_LENGTH + "-byte header");
    }
    int messageIndex = payload.getInt();
    int count = payload.get() & 0xff;
    if (count == 0 || payload.remaining() != count * ENTRY_LENGTH) {
      throw ProtocolException.malformed("ATTACH of " + count + " attachments with "
          + payload.remaining() + " bytes of entries, must be " + ENTRY_LENGTH
          + " bytes each and at least one");
    }
    if (messageIndex < 0) {
      throw ProtocolException.malformed("ATTACH for message index above 2^31-1");
    }
    List<Entry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] token = new byte[TOKEN_LENGTH];
      payload.get(token);
      long length = payload.getLong();
      int mode = payload.get() & 0xff;
      if (length < 0) {
        throw ProtocolException.malformed("ATTACH length above 2^63-1");
      }
      if (mode != MODE_DESCRIPTOR && mode != MODE_INLINE) {
        throw ProtocolException.malformed("ATTACH mode " + mode + " is neither 0 nor 1");
      }
      entries.add(new Entry(token, length, mode));
    }
    return new Attach(messageIndex, entries);
  }
}
